"""After the load: is every acknowledged answer stored, and was every attempt graded once?"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.db.models import Count, Sum

from bench.report import Row
from portal.quizzes.models import Answer, Attempt

SUBMITTED_LINE = re.compile(r"Attempt (\d+) submitted")


def read_events(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def lost_answers(events: list[dict[str, Any]]) -> tuple[int, int]:
    """(acknowledged saves, those whose value is not what the database holds)."""
    expected: dict[tuple[int, str], Any] = {}
    for event in events:
        if event["t"] == "save":
            value = event["value"]
            if value in ("true", "false"):
                value = value == "true"
            expected[(event["attempt"], event["key"])] = value
    stored = {
        (attempt, key): response
        for attempt, key, response in Answer.objects.filter(
            attempt_id__in={attempt for attempt, _ in expected}
        ).values_list("attempt_id", "question__key", "response")
    }
    lost = sum(1 for k, value in expected.items() if stored.get(k) != value)
    return len(expected), lost


def gradings(log: Path) -> Counter[int]:
    """How many times each attempt was graded, from the application's own log line."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return Counter(int(match) for match in SUBMITTED_LINE.findall(text))


def submissions(events: list[dict[str, Any]], graded: Counter[int]) -> dict[str, int]:
    submits = [e for e in events if e["t"] == "submit"]
    acknowledged = {e["attempt"] for e in submits if 200 <= e["status"] < 400}
    attempts = {e["attempt"] for e in submits}
    not_submitted = Attempt.objects.filter(pk__in=acknowledged).exclude(
        state=Attempt.State.SUBMITTED, submitted_at__isnull=False
    )
    # A graded attempt's score is the sum of its answers' points; a second grading
    # racing the first could leave them disagreeing.
    mismatched = [
        row
        for row in Attempt.objects.filter(pk__in=attempts, state="submitted")
        .annotate(points=Sum("answers__points"))
        .values("score", "points")
        if abs((row["score"] or 0) - (row["points"] or 0)) > 1e-6
    ]
    twice_in_progress = (
        Attempt.objects.filter(state=Attempt.State.IN_PROGRESS)
        .values("user", "quiz")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "submit calls": len(submits),
        "attempts submitted by the load": len(attempts),
        "acknowledged but not submitted": not_submitted.count(),
        "graded twice": sum(1 for a in attempts if graded[a] > 1),
        "score not the sum of its answers": len(mismatched),
        "user+quiz with two attempts in progress": twice_in_progress,
    }


def rows(events_file: Path, gunicorn_log: Path) -> list[Row]:
    events = read_events(events_file)
    saved, lost = lost_answers(events)
    checks = submissions(events, gradings(gunicorn_log))
    statuses: Counter[str] = Counter()
    for event in events:
        if event["t"] == "statuses":
            statuses.update(event["counts"])
    cut = Counter(e["name"] for e in events if e["t"] == "cut")

    result = [
        Row("load", "requests", sum(statuses.values())),
        Row("load", "2xx / 3xx / 4xx",
            f"{statuses['2xx']} / {statuses['3xx']} / {statuses['4xx']}"),
        Row("load", "5xx responses", statuses["5xx"], "", "report"),
        Row("load", "connections cut (the kill)", statuses["connection error"]),
        Row("load", "  cut requests by page",
            ", ".join(f"{n} {name}" for name, n in cut.most_common()) or "none"),
        Row("load", "answers acknowledged", saved),
        Row("load", "lost answers", lost, "", "= 0", lost == 0),
        Row("load", "submit calls (two per attempt)", checks["submit calls"]),
        Row("load", "attempts submitted", checks["attempts submitted by the load"]),
    ]  # fmt: skip
    for name in (
        "graded twice",
        "acknowledged but not submitted",
        "score not the sum of its answers",
        "user+quiz with two attempts in progress",
    ):
        result.append(Row("load", name, checks[name], "", "= 0", checks[name] == 0))
    return result
