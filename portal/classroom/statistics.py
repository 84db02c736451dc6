"""Item statistics of a cohort's quiz attempts and scenario runs, read from the database.

The figures themselves are defined and computed in portal.classroom.itemstats. A quiz's
report takes a fixed number of queries whatever the number of attempts: the database
counts the answers by question, version, response, mark and the attempt's total, which
leaves a few hundred rows to read however many attempts there are.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    Count,
    F,
    FloatField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from portal.classroom.itemstats import (
    Item,
    ItemStats,
    Pairs,
    Summary,
    _round,
    item_statistics,
    tallied_statistics,
)
from portal.classroom.models import Cohort, Membership
from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz
from portal.quizzes.review import learner_answer
from portal.sandbox.models import Run, Scenario

__all__ = [
    "ItemStats",
    "Report",
    "Summary",
    "_round",
    "item_statistics",
    "quiz_report",
    "scenario_report",
]

logger = logging.getLogger(__name__)

CACHE_SECONDS = 15 * 60
OPTION_KINDS = ("single", "multiple", "truefalse")


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


class AnswerGroup(NamedTuple):
    """Counted answers alike in question, version, response, mark and attempt total."""

    question_id: int
    version_id: int
    response: str | None  # as JSON text
    mark: float
    total: float
    # Whether the group's question is each attempt's first one, so that summing these
    # groups' counts counts every attempt once.
    leads: bool
    answers: int
    first_attempt: int
    last_attempt: int


# The marks of the counted answers with each attempt's total beside them, then counted.
# The window and the grouping are the same SQL on PostgreSQL and SQLite. Grouping by the
# numbers before the response text makes the sort behind it compare fewer texts.
GROUPS_SQL = """
SELECT qid, vid, given, mark, total, qid = first_qid, COUNT(*), MIN(att), MAX(att)
FROM (
    SELECT att, qid, vid, given, mark,
        SUM(mark) OVER (PARTITION BY att) AS total,
        MIN(qid) OVER (PARTITION BY att) AS first_qid
    FROM ({answers}) AS counted
) AS marked
GROUP BY qid, total, mark, qid = first_qid, vid, given
"""


def _counted_answers(
    cohort: Cohort, quiz: Quiz, mode: str, open_ids: list[int]
) -> QuerySet[Answer]:
    answers = Answer.objects.filter(
        attempt__quiz=quiz,
        attempt__state=Attempt.State.SUBMITTED,
        attempt__user__in=_cohort_learners(cohort),
    )
    if mode == "first":
        # A learner's first attempt is their submitted one with the lowest number.
        first = (
            Attempt.objects.filter(
                quiz=quiz,
                state=Attempt.State.SUBMITTED,
                user=OuterRef("attempt__user"),
            )
            .order_by("number")
            .values("number")[:1]
        )
        answers = answers.filter(attempt__number=Subquery(first))
    if open_ids:
        # An open answer counts once an instructor has marked it.
        answers = answers.exclude(question_id__in=open_ids, fraction__isnull=True)
    return answers


def _answer_groups(answers: QuerySet[Answer]) -> list[AnswerGroup]:
    columns = answers.order_by().values(
        att=F("attempt_id"),
        qid=F("question_id"),
        vid=F("version_id"),
        given=Cast("response", TextField()),
        mark=Coalesce("points", Value(0.0), output_field=FloatField()),
    )
    sql, params = columns.query.sql_with_params()
    with connections[answers.db].cursor() as cursor:
        cursor.execute(GROUPS_SQL.format(answers=sql), params)
        return [AnswerGroup(*row) for row in cursor.fetchall()]


def _compute_quiz_report(cohort: Cohort, quiz: Quiz, mode: str) -> Report:
    versions = {
        version.pk: version
        for version in QuestionVersion.objects.filter(
            question__quiz=quiz
        ).select_related("question")
    }
    questions = {version.question_id: version.question for version in versions.values()}
    open_ids = [pk for pk, q in questions.items() if q.kind == Question.Kind.OPEN]
    groups = _answer_groups(_counted_answers(cohort, quiz, mode, open_ids))

    pairs: dict[int, Pairs] = {}
    totals: Counter[float] = Counter()
    given: dict[int, list[AnswerGroup]] = {}
    for group in groups:
        pairs.setdefault(group.question_id, Counter())[group.mark, group.total] += (
            group.answers
        )
        if group.leads:
            totals[group.total] += group.answers
        given.setdefault(group.question_id, []).append(group)

    ordered = sorted((questions[pk] for pk in pairs), key=lambda q: (q.position, q.pk))
    current = {
        version.question_id: version
        for version in versions.values()
        if version.number == version.question.version
    }
    items: list[Item] = [
        (question.key, _title(current.get(question.pk)), float(question.points))
        for question in ordered
    ]
    stats, summary = tallied_statistics(
        items, {question.key: pairs[question.pk] for question in ordered}, totals
    )
    for question, item in zip(ordered, stats, strict=True):
        item.kind = question.get_kind_display()
        item.distribution = distribution(question, given[question.pk], versions)
    logger.debug("Quiz %s statistics from %d answer groups", quiz.pk, len(groups))
    return Report(stats, summary, timezone.now(), mode)


def _title(version: QuestionVersion | None) -> str:
    if version is None:
        return ""
    text = " ".join(version.text.split())
    return text if len(text) <= 90 else text[:89] + "…"


@dataclass
class Given:
    """Answers alike in version and response: how many, and the first and last attempt."""

    count: int
    first_attempt: int
    last_attempt: int


def _given(groups: list[AnswerGroup]) -> dict[tuple[int, str | None], Given]:
    """The groups' answers by version and response, in the order first given."""
    given: dict[tuple[int, str | None], Given] = {}
    for group in groups:
        seen = given.setdefault(
            (group.version_id, group.response),
            Given(0, group.first_attempt, group.last_attempt),
        )
        seen.count += group.answers
        seen.first_attempt = min(seen.first_attempt, group.first_attempt)
        seen.last_attempt = max(seen.last_attempt, group.last_attempt)
    return dict(sorted(given.items(), key=lambda entry: entry[1].first_attempt))


def _words(
    question: Question, version: QuestionVersion, response: str | None
) -> list[str]:
    """The learner's response (stored as JSON text) in words, one line per part."""
    answer = Answer(
        question=question,
        version=version,
        response=None if response is None else json.loads(response),
    )
    return learner_answer(answer)


def distribution(
    question: Question,
    groups: list[AnswerGroup],
    versions: dict[int, QuestionVersion],
) -> list[tuple[str, int, float, bool]]:
    """How often each option (or each distinct answer) was given: text, count, %, right.

    Options are listed in the order of their versions' first use, and other answers
    that were given equally often in the order they were first given.
    """
    given = _given(groups)
    counts: Counter[str] = Counter()
    texts: list[str] = []
    right: set[str] = set()
    for (version_id, response), alike in given.items():
        version = versions[version_id]
        if question.kind in ("single", "multiple"):
            for option in version.data.get("options", []):
                if option["text"] not in texts:
                    texts.append(option["text"])
                if option.get("fraction", 0) > 0:
                    right.add(option["text"])
        words = _words(question, version, response)
        if not words:
            counts["(no answer)"] += alike.count
        elif question.kind in OPTION_KINDS:
            for word in words:
                counts[word] += alike.count
        else:
            counts["; ".join(words)] += alike.count
    if question.kind == "truefalse":
        # Right is what the version the latest attempt answered says.
        (latest, _), _ = max(given.items(), key=lambda entry: entry[1].last_attempt)
        texts = ["True", "False"]
        right = {"True" if versions[latest].data.get("answer") else "False"}

    total = sum(alike.count for alike in given.values()) or 1
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
