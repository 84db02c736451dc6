"""What the run page shows at the run's current time, as plain data."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from . import incident, metrics
from .replay import RunState, Step
from .scenario import Scenario

CHART_HISTORY = 15 * 60
# The play page charts the last half hour, like an on-call dashboard, so what it computes
# does not grow with the length of the run.
WINDOW = 30 * 60


def window_start(state: RunState) -> int:
    """The whole minute the play page's window starts at."""
    start = max(-CHART_HISTORY, state.clock - WINDOW)
    return start - start % 60


def alerts(
    scenario: Scenario,
    state: RunState,
    start: int = -CHART_HISTORY,
    points: Sequence[metrics.Sample] | None = None,
) -> list[dict[str, Any]]:
    """Each alert rule's firing periods since `start`, evaluated on per-minute metrics.

    A page that shows a recent window passes its start, so the cost stays flat however
    long the run is; a period already firing at `start` is reported as firing from then.
    A page that charts the same window passes its `points` too, computed once.
    """
    if points is None:
        points = metrics.series(
            scenario, state.cluster, state.traffic, start, state.clock
        )
    result = []
    for rule in scenario.alerts:
        run, firing_since = 0, None
        periods: list[tuple[int, int | None]] = []
        for point in points:
            value = getattr(point, rule.metric)
            run = run + 1 if value > rule.above else 0
            if run >= rule.for_minutes and firing_since is None:
                firing_since = point.t + 60
            if run == 0 and firing_since is not None:
                periods.append((firing_since, point.t + 60))
                firing_since = None
        if firing_since is not None:
            periods.append((firing_since, None))
        for start, end in periods:
            result.append({
                "name": rule.name, "severity": rule.severity, "summary": rule.summary,
                "firing_at": scenario.clock.hhmmss(start),
                "resolved_at": scenario.clock.hhmmss(end) if end is not None else None,
            })  # fmt: skip
    return result


def pager(
    scenario: Scenario,
    state: RunState,
    start: int = -CHART_HISTORY,
    points: Sequence[metrics.Sample] | None = None,
) -> dict[str, Any]:
    sent = incident.notifications(scenario, state, state.clock)
    return {
        "acknowledged_at": _stamp(scenario, state.acked_at),
        "level": incident.current_level(scenario, state, state.clock),
        "notifications": [
            {"at": scenario.clock.hhmmss(n.at), "person": _name(scenario, n.person),
             "level": n.level, "reason": n.reason} for n in sent
        ],
        "alerts": alerts(scenario, state, start, points),
    }  # fmt: skip


def snapshot(scenario: Scenario, state: RunState) -> dict[str, Any]:
    """Everything the run page needs, computed from the state alone."""
    clock = scenario.clock
    page = incident.status_page(scenario, state, state.clock)
    points = metrics.series(
        scenario, state.cluster, state.traffic, -CHART_HISTORY, state.clock
    )
    return {
        "clock": clock.hhmmss(state.clock),
        "clock_seconds": state.clock,
        "pager": pager(scenario, state, -CHART_HISTORY, points),
        "incident": {
            "declared_at": _stamp(scenario, state.declared_at),
            "severity": incident.severity_at(state, state.clock),
            "mitigated_at": _stamp(scenario, state.mitigated_at),
            "resolved_at": _stamp(scenario, state.resolved_at),
            "roles": {
                role: _name(scenario, person)
                for role, person in incident.role_holders(state, state.clock).items()
            },
            "bridge": [_name(scenario, p) for p in incident.on_bridge(scenario, state, state.clock)],
        },
        "status_page": {
            "state": page.state,
            "updates": [{"at": clock.hhmmss(at), "text": text} for at, text in page.updates],
            "next_due": _stamp(scenario, page.next_due),
            "overdue": page.overdue,
        },
        "findings": [
            {"at": clock.hhmmss(f.at), "person": _name(scenario, f.person), "text": f.text,
             "complete": f.complete}
            for f in incident.findings(scenario, state, state.clock)
        ],
        "metrics": [p.as_dict() for p in points],
        "markers": [{"t": s.at, "text": s.text} for s in state.steps if s.ok and s.kind != "wait"],
        "timeline": timeline(scenario, state),
        "pitfalls": [
            {"at": clock.hhmmss(at), "id": pid, "title": p.title, "text": p.text}
            for at, pid in state.pitfalls
            if (p := scenario.pitfall(pid)) is not None
        ],
    }  # fmt: skip


def timeline(
    scenario: Scenario, state: RunState, since: int | None = None
) -> list[dict[str, str]]:
    """The run's events in time order: pages, joins, actions, findings.

    With `since`, only the events at or after it, found without walking the whole run.
    """
    clock = scenario.clock
    entries: list[tuple[int, str, str]] = []
    for n in incident.notifications(scenario, state, state.clock):
        why = f"level {n.level} {n.reason}" if n.level else "paged by hand"
        entries.append((n.at, "page", f"Paged {_name(scenario, n.person)} ({why})"))
    for person in scenario.people:
        joined = incident.joined_at(scenario, state, person.id, state.clock)
        if person.id != scenario.you and joined is not None and joined <= state.clock:
            entries.append((joined, "bridge", f"{person.name} joined the bridge"))
    first = 0 if since is None else bisect_left(state.steps, since, key=_at)
    for step in state.steps[first:]:
        if step.ok and step.kind != "wait":
            entries.append((step.at, step.kind, step.text))
    for f in incident.findings(scenario, state, state.clock):
        entries.append((f.at, "finding", f"{_name(scenario, f.person)}: {f.text}"))
    if since is not None:
        entries = [entry for entry in entries if entry[0] >= since]
    entries.sort(key=lambda e: e[0])
    return [
        {"at": clock.hhmmss(at), "kind": kind, "text": text}
        for at, kind, text in entries
    ]


def _at(step: Step) -> int:
    return step.at


def _name(scenario: Scenario, person_id: str) -> str:
    person = scenario.person(person_id)
    return person.name if person else person_id


def _stamp(scenario: Scenario, t: int | None) -> str | None:
    return scenario.clock.hhmmss(t) if t is not None else None
