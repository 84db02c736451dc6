"""How the sandbox command's server time grows from the first action of a run to the 500th."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.test import Client

from bench.generate import Generated
from bench.measure import Request, timed
from bench.measure import percentile as pct
from bench.report import Row, at_most
from bench.script import lines
from portal.sandbox import services
from portal.sandbox.models import Scenario

MAX_P95_MS = 20.0
# "Flat": the last window's p95 at most this many times the first window's.
MAX_GROWTH = 1.5


def curve(data: Generated, actions: int = 500) -> list[Row]:
    """Play one fresh run action by action through the view, timing each request."""
    user = User.objects.get(pk=data.learner_ids[1])
    scenario = Scenario.objects.get(slug=data.scenario_slug)
    run = services.start_or_resume(user, scenario)
    client = Client()
    client.force_login(user)

    times = []
    for index, text in enumerate(lines(actions)):
        kind_data = {"kind": "command", "command": text, "index": str(index)}
        if not text.startswith("kubectl"):
            kind_data = _form_for(text, index)
        # Each rendering of the play page's form carries a fresh token, as here.
        kind_data["token"] = uuid.uuid4().hex
        request = Request(
            "POST", f"/runs/{run.pk}/actions/", kind_data, {"HX-Request": "true"}
        )
        times.append(timed(client, request))

    run.refresh_from_db()
    window = min(50, actions // 2)
    first, last = times[:window], times[-window:]
    growth = pct(last, 95) / pct(first, 95)
    label = f"actions 1-{window}"
    tail = f"actions {actions - window + 1}-{actions}"
    return [
        Row("sandbox curve", "actions stored", run.action_count, "",
            f"= {actions}", run.action_count == actions),
        Row("sandbox curve", f"{label} p50", pct(first, 50), "ms"),
        Row("sandbox curve", f"{label} p95", pct(first, 95), "ms",
            f"<= {MAX_P95_MS:g} ms", at_most(pct(first, 95), MAX_P95_MS)),
        Row("sandbox curve", f"{tail} p50", pct(last, 50), "ms"),
        Row("sandbox curve", f"{tail} p95", pct(last, 95), "ms",
            f"<= {MAX_P95_MS:g} ms", at_most(pct(last, 95), MAX_P95_MS)),
        Row("sandbox curve", f"all {actions} p95", pct(times, 95), "ms",
            f"<= {MAX_P95_MS:g} ms", at_most(pct(times, 95), MAX_P95_MS)),
        Row("sandbox curve", "growth (last p95 / first p95)", growth, "x",
            f"<= {MAX_GROWTH:g}x (flat)", at_most(growth, MAX_GROWTH)),
    ]  # fmt: skip


def _form_for(text: str, index: int) -> dict[str, str]:
    """The play page's form fields for a non-kubectl action line of the script."""
    words = text.split(" ", 1)
    verb, rest = words[0], words[1] if len(words) > 1 else ""
    base = {"index": str(index)}
    if verb == "wait":
        return {**base, "kind": "wait", "minutes": "1"}
    if verb == "severity":
        return {**base, "kind": "severity", "severity": rest}
    if verb == "page":
        return {**base, "kind": "page", "person": rest}
    if verb == "status":
        return {**base, "kind": "status", "audience": "customer",
                "impact": "Checkout fails for some customers",
                "current_action": "Investigating", "next_update": "23:45"}  # fmt: skip
    return {**base, "kind": verb}
