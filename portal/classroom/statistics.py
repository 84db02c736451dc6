"""Item statistics of quizzes and scenario rubrics, as Moodle defines them.

For each item (a question, or a scoring item of a scenario) over a set of attempts:

- facility index: the mean mark as a percentage of the item's maximum;
- standard deviation of the mark, as a percentage of the maximum (sample, n - 1);
- discrimination index: 100 × the correlation of the item's mark with the rest of the
  attempt's mark (the total without this item);
- discriminative efficiency: 100 × the covariance of those two over the largest covariance
  their two distributions allow, which is the covariance of both lists sorted;

and for the whole quiz the mean, median and standard deviation of the total in percent, and
Cronbach's alpha, k/(k-1) × (1 - Σ var(item) / var(total)). Variances and covariances are
sample ones (n - 1) throughout, so the ratios are the same as with population ones.
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from portal.classroom.models import Cohort, Membership
from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz
from portal.quizzes.review import learner_answer
from portal.sandbox.models import Run, Scenario

# Below this discrimination index an item is flagged as telling strong and weak
# learners apart too little to be trusted.
LOW_DISCRIMINATION = 20.0
CACHE_SECONDS = 15 * 60
OPTION_KINDS = ("single", "multiple", "truefalse")


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def variance(xs: Sequence[float]) -> float | None:
    return covariance(xs, xs)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    cov, vx, vy = covariance(xs, ys), variance(xs), variance(ys)
    if cov is None or not vx or not vy:
        return None
    return cov / math.sqrt(vx * vy)


def max_covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The largest covariance two lists with these values can have: both sorted."""
    return covariance(sorted(xs), sorted(ys))


@dataclass
class ItemStats:
    key: str
    title: str
    max_mark: float
    count: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    kind: str = ""
    distribution: list[tuple[str, int, float, bool]] = field(default_factory=list)

    @property
    def flag(self) -> str:
        if self.discrimination is None:
            return ""
        if self.discrimination < 0:
            return "Negative discrimination: review this item"
        if self.discrimination < LOW_DISCRIMINATION:
            return "Very low discrimination: review this item"
        return ""


@dataclass
class Summary:
    count: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None


def _round(value: float | None, digits: int = 2) -> float | None:
    """Round half away from zero, the only rounding of a figure (pages show it as is).

    Python's round() rounds half to even on the float's binary value, so 66.665 became
    66.66; the figure's shortest decimal form is rounded instead.
    """
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def item_statistics(
    items: Sequence[tuple[str, str, float]], marks: Sequence[dict[str, float]]
) -> tuple[list[ItemStats], Summary]:
    """Statistics of items (key, title, maximum) over attempts' marks by item key.

    An item an attempt did not answer counts as 0 in that attempt.
    """
    totals = [sum(attempt.get(key, 0.0) for key, _, _ in items) for attempt in marks]
    result = []
    for key, title, maximum in items:
        xs = [attempt.get(key, 0.0) for attempt in marks]
        rest = [total - x for total, x in zip(totals, xs, strict=True)]
        sd, cov, top = variance(xs), covariance(xs, rest), max_covariance(xs, rest)
        correlation_ = correlation(xs, rest)
        result.append(
            ItemStats(
                key=key,
                title=title,
                max_mark=maximum,
                count=len(xs),
                facility=_round(100 * _mean(xs) / maximum) if xs and maximum else None,
                sd=(
                    _round(100 * math.sqrt(sd) / maximum)
                    if sd is not None and maximum
                    else None
                ),
                discrimination=_round(
                    None if correlation_ is None else 100 * correlation_
                ),
                efficiency=_round(100 * cov / top if cov is not None and top else None),
            )
        )
    return result, summarise(items, marks, totals)


def summarise(
    items: Sequence[tuple[str, str, float]],
    marks: Sequence[dict[str, float]],
    totals: list[float],
) -> Summary:
    out_of = sum(maximum for _, _, maximum in items)
    percents = [100 * total / out_of for total in totals] if out_of else []
    if not percents:
        return Summary(0, None, None, None, None)
    total_variance = variance(totals)
    alpha = None
    if len(items) > 1 and total_variance:
        item_variances = [
            variance([attempt.get(key, 0.0) for attempt in marks]) or 0.0
            for key, _, _ in items
        ]
        k = len(items)
        alpha = k / (k - 1) * (1 - sum(item_variances) / total_variance)
    sd = variance(percents)
    return Summary(
        count=len(percents),
        mean=_round(statistics.mean(percents)),
        median=_round(statistics.median(percents)),
        sd=_round(math.sqrt(sd) if sd is not None else None),
        alpha=_round(alpha, 3),
    )


@dataclass
class Report:
    items: list[ItemStats]
    summary: Summary
    computed_at: datetime
    mode: str


def _cohort_learners(cohort: Cohort) -> QuerySet[Any]:
    return Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER
    ).values("user_id")


def _counted_attempts(cohort: Cohort, quiz: Quiz, mode: str) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(
        quiz=quiz, state=Attempt.State.SUBMITTED, user__in=_cohort_learners(cohort)
    )
    if mode == "first":
        # A learner's first attempt is their submitted one with the lowest number.
        first = (
            Attempt.objects.filter(
                quiz=quiz, state=Attempt.State.SUBMITTED, user=OuterRef("user")
            )
            .order_by("number")
            .values("number")[:1]
        )
        attempts = attempts.filter(number=Subquery(first))
    return attempts


def quiz_report(cohort: Cohort, quiz: Quiz, mode: str) -> Report:
    """The quiz's statistics over the cohort's attempts, cached until they change."""
    attempts = Attempt.objects.filter(
        quiz=quiz, state=Attempt.State.SUBMITTED, user__in=_cohort_learners(cohort)
    )
    fingerprint = attempts.aggregate(
        n=Count("pk"), last=Max("submitted_at"), scores=Sum("score")
    )
    digest = hashlib.sha256(repr(sorted(fingerprint.items())).encode()).hexdigest()
    key = f"classroom:quiz-stats:{cohort.pk}:{quiz.pk}:{mode}:{digest[:32]}"
    report: Report | None = cache.get(key)
    if report is None:
        report = _compute_quiz_report(cohort, quiz, mode)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _compute_quiz_report(cohort: Cohort, quiz: Quiz, mode: str) -> Report:
    counted = _counted_attempts(cohort, quiz, mode)
    answers = list(
        Answer.objects.filter(attempt__in=counted)
        # An open answer counts once an instructor has marked it.
        .exclude(question__kind=Question.Kind.OPEN, fraction__isnull=True)
        .select_related("question", "version")
        .order_by("attempt_id", "position")
    )
    current = {
        version.question_id: version
        for version in QuestionVersion.objects.filter(
            question__quiz=quiz, number=F("question__version")
        )
    }

    marks: dict[int, dict[str, float]] = {}
    questions: dict[str, Question] = {}
    for answer in answers:
        marks.setdefault(answer.attempt_id, {})[answer.question.key] = (
            answer.points or 0.0
        )
        questions[answer.question.key] = answer.question
    ordered = sorted(questions.values(), key=lambda q: (q.position, q.pk))
    items = [
        (question.key, _title(current.get(question.pk)), float(question.points))
        for question in ordered
    ]
    stats, summary = item_statistics(items, list(marks.values()))

    by_key = {item.key: item for item in stats}
    for question in ordered:
        item = by_key[question.key]
        item.kind = question.get_kind_display()
        picked = [a for a in answers if a.question_id == question.pk]
        item.distribution = distribution(question, picked)
    return Report(stats, summary, timezone.now(), mode)


def _title(version: QuestionVersion | None) -> str:
    if version is None:
        return ""
    text = " ".join(version.text.split())
    return text if len(text) <= 90 else text[:89] + "…"


def distribution(
    question: Question, answers: list[Answer]
) -> list[tuple[str, int, float, bool]]:
    """How often each option (or each distinct answer) was given: text, count, %, right."""
    counts: Counter[str] = Counter()
    right: set[str] = set()
    texts: list[str] = []
    for answer in answers:
        data = answer.version.data
        if question.kind in ("single", "multiple"):
            for option in data.get("options", []):
                if option["text"] not in texts:
                    texts.append(option["text"])
                if option.get("fraction", 0) > 0:
                    right.add(option["text"])
        elif question.kind == "truefalse":
            texts = ["True", "False"]
            right = {"True" if data.get("answer") else "False"}
        given = learner_answer(answer)
        if not given:
            counts["(no answer)"] += 1
        elif question.kind in OPTION_KINDS:
            counts.update(given)
        else:
            counts["; ".join(given)] += 1
    total = len(answers) or 1
    if question.kind in OPTION_KINDS:
        keys = texts + (["(no answer)"] if counts["(no answer)"] else [])
    else:
        keys = [text for text, _ in counts.most_common(10)]
    return [
        (text, counts[text], round(100 * counts[text] / total, 1), text in right)
        for text in keys
    ]


def _run_items(score: Any) -> list[dict[str, Any]]:
    """The scoring items of a run's stored score, as a list of dicts with an id."""
    if not isinstance(score, dict):
        return []
    items = score.get("items", [])
    if isinstance(items, dict):
        return [{"id": key, **value} for key, value in items.items()]
    return [item for item in items if isinstance(item, dict) and "id" in item]


# The engine stores an item's points rounded to 0.1; a note such as "1 of 3 key facts
# seen" keeps the exact share, so the statistic is not rounded twice (3.3 of 10 is 33.0%,
# while 1 of 3 is 33.33%).
SHARE_NOTE = re.compile(r"^\s*(\d+) of (\d+)\b")


def _item_points(item: dict[str, Any], maximum: float) -> float:
    points = float(item.get("points", 0) or 0)
    match = SHARE_NOTE.match(str(item.get("note") or ""))
    if match and maximum:
        seen, total = int(match[1]), int(match[2])
        if total > 0 and seen <= total and abs(maximum * seen / total - points) < 0.05:
            return maximum * seen / total
    return points


def scenario_report(cohort: Cohort, scenario: Scenario, mode: str) -> Report:
    """Facility and discrimination of each scoring item over the cohort's finished runs."""
    runs = list(
        Run.objects.filter(
            scenario=scenario,
            state=Run.State.FINISHED,
            user__in=_cohort_learners(cohort),
        )
        .order_by("started_at", "pk")
        .values_list("user_id", "score")
    )
    if mode == "first":
        firsts: dict[int, Any] = {}
        for user_id, score in runs:
            firsts.setdefault(user_id, score)
        runs = list(firsts.items())

    items: dict[str, tuple[str, str, float]] = {}
    marks = []
    for _, score in runs:
        attempt_marks = {}
        for item in _run_items(score):
            key = str(item["id"])
            items.setdefault(
                key,
                (key, str(item.get("title", key)), float(item.get("max", 0) or 0)),
            )
            attempt_marks[key] = _item_points(item, items[key][2])
        marks.append(attempt_marks)
    stats, summary = item_statistics(list(items.values()), marks)
    return Report(stats, summary, timezone.now(), mode)
