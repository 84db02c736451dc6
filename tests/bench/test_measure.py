from __future__ import annotations

import math
from pathlib import Path

from bench import curve, pages, verify
from bench.generate import Generated
from bench.measure import percentile
from bench.report import Row, table
from portal.quizzes.models import Answer, Attempt


def test_it_takes_nearest_rank_percentiles() -> None:
    values = [float(n) for n in range(1, 101)]

    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([3.0], 95) == 3
    assert math.isnan(percentile([], 50))


def test_it_prints_targets_and_verdicts() -> None:
    rows = [
        Row("queries", "lesson", 4, "", "<= 6", True),
        Row("queries", "dashboard", 9, "", "<= 6", False),
        Row("load", "requests", 1234),
    ]

    text = table(rows)

    assert "PASS" in text and "FAIL" in text
    assert "1,234" in text
    assert text.endswith("1 of 2 targets met")


def test_it_counts_queries_of_every_page(data: Generated) -> None:
    measured = pages.pages(data)

    rows = pages.query_rows(measured, pages.clients(data))

    assert [row.name for row in rows] == [page.name for page in measured]
    assert all(isinstance(row.value, int) and row.value > 0 for row in rows)


def test_it_times_pages_against_the_minimal_view(data: Generated) -> None:
    measured = pages.pages(data)

    rows = pages.time_rows(measured, pages.clients(data), samples=2)

    names = [row.name for row in rows]
    assert "lesson p95 / minimal view" in names
    assert "statistics uncached p95" in names
    assert all(row.value > 0 for row in rows)


def test_it_plays_a_run_action_by_action(data: Generated) -> None:
    rows = curve.curve(data, actions=12)

    stored = rows[0]
    assert stored.name == "actions stored"
    assert stored.passed is True


def test_it_finds_lost_answers(data: Generated, tmp_path: Path) -> None:
    answer = Answer.objects.filter(question__kind="single").first()
    assert answer is not None
    events = [
        {"t": "save", "attempt": answer.attempt_id, "key": answer.question.key,
         "value": answer.response},
        {"t": "save", "attempt": answer.attempt_id, "key": "missing", "value": "x"},
    ]  # fmt: skip

    assert verify.lost_answers(events) == (2, 1)


def test_it_finds_attempts_graded_twice(data: Generated, tmp_path: Path) -> None:
    attempt = Attempt.objects.first()
    assert attempt is not None
    log = tmp_path / "gunicorn.log"
    log.write_text(f"Attempt {attempt.pk} submitted: 1 of 2\n" * 2)
    events = [{"t": "submit", "attempt": attempt.pk, "status": 302}] * 2

    checks = verify.submissions(events, verify.gradings(log))

    assert checks["graded twice"] == 1
    assert checks["acknowledged but not submitted"] == 0
    assert checks["score not the sum of its answers"] == 0
