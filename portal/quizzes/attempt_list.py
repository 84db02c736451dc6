"""The learner's list of their attempts at a quiz, on the quiz and review pages.

The list grows with every attempt and is on every visit of those pages, while an
attempt's line changes only when the attempt does. A line is a function of a few values
(the attempt's own, whether its score may be shown, the time zone, the language and
whether it is the page's attempt), so each process renders it once for those values and
then reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.safestring import SafeString

from portal.quizzes.models import Attempt
from portal.quizzes.review import review_allows


@dataclass(frozen=True)
class AttemptRow:
    """What one line of the list shows, as text."""

    number: int
    url: str
    state: str
    submitted_iso: str = ""
    submitted: str = ""
    score: str = "—"


def attempt_lines(
    attempts: list[Attempt], slug: str, current: int | None = None
) -> list[SafeString]:
    """The rendered lines of the attempts; `current` marks the page's own attempt."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    language = translation.get_language()
    return [
        _line(
            slug,
            attempt.pk,
            attempt.number,
            attempt.state,
            attempt.submitted_at,
            _score(attempt, now),
            zone,
            language,
            attempt.pk == current,
        )
        for attempt in attempts
    ]


def _score(attempt: Attempt, now: datetime) -> tuple[float, float, float | None] | None:
    """Score, maximum and percent, only when the quiz's review options show points."""
    if not attempt.is_submitted or "points" not in review_allows(attempt, now):
        return None
    return (attempt.score or 0.0, attempt.max_score, attempt.percent)


@lru_cache(maxsize=4096)
def _line(
    slug: str,
    pk: int,
    number: int,
    state: str,
    submitted_at: datetime | None,
    score: tuple[float, float, float | None] | None,
    zone: tzinfo,
    language: str | None,
    current: bool,
) -> SafeString:
    label = Attempt.State(state).label
    if state != Attempt.State.SUBMITTED:
        url = reverse("quizzes:attempt", args=[slug, pk])
        return _render(AttemptRow(number, url, label), current)

    submitted = iso = ""
    if submitted_at is not None:
        local = submitted_at.astimezone(zone)
        iso, submitted = local.isoformat(), dateformat.format(local, "j M Y, H:i")
    text = "Not shown yet"
    if score is not None:
        points, maximum, percent = score
        # No maximum yet: every question is an open one still waiting for its mark.
        text = (
            f"{floatformat(points, -2)} / {floatformat(maximum, -2)} ({percent}%)"
            if percent is not None
            else "Awaiting grading"
        )
    url = reverse("quizzes:review", args=[slug, pk])
    return _render(AttemptRow(number, url, label, iso, submitted, text), current)


def _render(row: AttemptRow, current: bool) -> SafeString:
    return render_to_string(
        "quizzes/_attempt_row.html", {"row": row, "current": current}
    )
