"""Queries per page and server time against the minimal view, in process."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from bench.generate import Generated
from bench.measure import Request, count_queries, interleaved, percentile
from bench.report import Row, at_most
from bench.views import BODIES
from portal.quizzes import attempts as quiz_services
from portal.quizzes.models import Attempt, Quiz
from portal.sandbox import services as sandbox_services
from portal.sandbox.models import Scenario

HTMX = {"HX-Request": "true"}
COMMAND = "kubectl get pods -n shop"
MAX_RATIO = 3.0
COLD_SAMPLES = 10


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # anonymous | learner | instructor
    request: Request
    max_queries: int | None = None
    timed: bool = False
    # A limit on the page's own p95 in milliseconds, besides the ratio.
    max_ms: float | None = None
    # Measure without the page's cached result (each sample computes it afresh).
    cold: bool = False


def pages(data: Generated) -> list[Page]:
    """The main pages, each set up the way a learner or an instructor meets it."""
    learner = User.objects.get(pk=data.learner_ids[0])
    quiz = Quiz.objects.get(lesson__slug=data.lesson_slug)
    scenario = Scenario.objects.get(slug=data.scenario_slug)
    slug = data.lesson_slug

    open_attempt = quiz_services.start_attempt(learner, quiz)
    submitted = Attempt.objects.filter(user=learner, state="submitted").first()
    assert submitted is not None
    run = sandbox_services.start_or_resume(learner, scenario)
    for _ in range(3):
        sandbox_services.add_action(run, COMMAND)

    quiz_path = f"/lessons/{slug}/quiz/"
    command = Request(
        "POST",
        f"/runs/{run.pk}/actions/",
        {"kind": "command", "command": COMMAND},
        HTMX,
    )
    statistics = f"/classes/{data.statistics_code}/statistics/quiz/{slug}/"
    return [
        Page("home", "anonymous", Request("GET", "/")),
        Page("lesson (anonymous)", "anonymous", Request("GET", f"/lessons/{slug}/"), 6),
        Page("lesson", "learner", Request("GET", f"/lessons/{slug}/"), 6, timed=True),
        Page("quiz", "learner", Request("GET", quiz_path), 6, timed=True),
        Page("attempt", "learner", Request("GET", f"{quiz_path}attempts/{open_attempt.pk}/")),
        Page("review", "learner", Request("GET", f"{quiz_path}attempts/{submitted.pk}/review/")),
        Page("dashboard", "learner", Request("GET", "/dashboard/"), 6, timed=True),
        Page("sandbox play page", "learner", Request("GET", f"/runs/{run.pk}/")),
        Page("sandbox command", "learner", command, timed=True, max_ms=20),
        Page("cohort matrix", "instructor",
             Request("GET", f"/classes/{data.cohort_code}/matrix/"), 10, timed=True,
             max_ms=250),
        Page("statistics", "instructor",
             Request("GET", statistics, {"attempts": "all"}), timed=True),
        Page("statistics uncached", "instructor",
             Request("GET", statistics, {"attempts": "all"}), timed=True, max_ms=1000,
             cold=True),
    ]  # fmt: skip


def clients(data: Generated) -> dict[str, Client]:
    learner = Client()
    learner.force_login(User.objects.get(pk=data.learner_ids[0]))
    instructor = Client()
    instructor.force_login(User.objects.get(pk=data.instructor_id))
    return {"anonymous": Client(), "learner": learner, "instructor": instructor}


def query_rows(pages: list[Page], clients: dict[str, Client]) -> list[Row]:
    rows = []
    for page in pages:
        client = clients[page.who]
        try:
            page.request.send(client)  # warm: sessions and per-process caches filled
            count, response = count_queries(client, page.request)
        except Exception as error:  # a broken page fails its row, not the bench
            rows.append(_broken("queries", page, error))
            continue
        if response.status_code >= 400:
            rows.append(_broken("queries", page, response.status_code))
            continue
        target = f"<= {page.max_queries}" if page.max_queries is not None else ""
        passed = count <= page.max_queries if page.max_queries is not None else None
        rows.append(Row("queries", page.name, count, "", target, passed))
    return rows


def _forget_statistics() -> None:
    """Empty the bench's cache, so the report is computed afresh (a session read more)."""
    cache.clear()


def time_rows(pages: list[Page], clients: dict[str, Client], samples: int) -> list[Row]:
    rows = []
    for page in (p for p in pages if p.timed):
        try:
            rows.extend(_time_page(page, clients[page.who], samples))
        except Exception as error:  # a broken page fails its row, not the bench
            rows.append(_broken("server time", page, error))
    return rows


def _broken(section: str, page: Page, error: object) -> Row:
    what = error if isinstance(error, int) else type(error).__name__
    return Row(section, page.name, f"error: {what}", "", "no error", False)


def _time_page(page: Page, client: Client, samples: int) -> list[Row]:
    response = page.request.send(client)
    if page.cold:
        (times,) = interleaved(
            client, [page.request], COLD_SAMPLES, before_each=_forget_statistics
        )
        return _timing(page, times, None)

    key = page.name.replace(" ", "-")
    BODIES[key] = (response.content, response["Content-Type"])
    minimal = page.request.to(f"/__bench__/same-bytes/{key}/")
    times, baseline = interleaved(client, [page.request, minimal], samples)
    return _timing(page, times, baseline)


def _timing(page: Page, times: list[float], baseline: list[float] | None) -> list[Row]:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    rows = [
        Row("server time", f"{page.name} p50 (n={len(times)})", p50, "ms"),
        Row("server time", f"{page.name} p95", p95, "ms",
            f"<= {page.max_ms:g} ms" if page.max_ms else "",
            at_most(p95, page.max_ms) if page.max_ms else None),
    ]  # fmt: skip
    if baseline is None:
        return rows
    base95 = percentile(baseline, 95)
    ratio = p95 / base95
    return [
        *rows,
        Row("server time", f"{page.name} minimal view p95", base95, "ms"),
        Row("server time", f"{page.name} p95 / minimal view", ratio, "x",
            f"<= {MAX_RATIO:g}x", at_most(ratio, MAX_RATIO)),
    ]  # fmt: skip
