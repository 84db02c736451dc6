"""What learners have done on their assignments, read in a fixed number of queries.

A cell of the progress matrix needs, for one learner and one assignment, the learner's
finished work on time and the work finished late. A learner with an extension has a due
time of their own, so the work on an assignment is summarised per *window*: the windows
are cut at every due time some learner has on the assignment (its own and each extended
one), window 1 ending at the earliest. Every learner's due time is then the end of a
window, and their on-time work is the windows up to it; the rest is late.

Two loaders fill the same `Facts`:

- `cohort_facts` summarises in the database, per learner, activity and window, so a
  cohort of a thousand learners costs a few thousand rows rather than every attempt;
- `learner_facts` reads one learner's rows, carried as JSON on the assignments
  `with_learner_work` annotates, and summarises them here, for the dashboard, which
  cannot spend a query per kind of activity.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    JSONField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    RowRange,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import JSONObject, NullIf, RowNumber

from portal.classroom.models import Assignment, Extension, ScoreOverride
from portal.progress.models import LessonProgress
from portal.quizzes.models import Attempt
from portal.sandbox.models import Run

# Windows other than the numbered ones: work that does not count (finished before the
# assignment opened, or with no time of finishing), and work not finished yet.
NOT_COUNTED = -1
UNFINISHED = 0

Key = tuple[int, int]  # (assignment id, user id)

# Whether a progress row's lesson was opened (a flag costs less to read than a time).
OPENED = ExpressionWrapper(
    Q(first_opened_at__isnull=False), output_field=BooleanField()
)


class JSONList(Aggregate):
    """The aggregated values as one JSON array (JSON_ARRAYAGG in standard SQL)."""

    function = "JSON_ARRAYAGG"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra)


def json_rows(queryset: QuerySet[Any], group: str, **fields: Any) -> Subquery:
    """A subquery giving the queryset's rows as a JSON array of objects of `fields`.

    `group` names the field the queryset is narrowed to one value of (usually through
    `OuterRef`): the subquery groups by it, so it yields one array, or no row at all
    (NULL) when nothing matches.
    """
    rows = (
        queryset.order_by()
        .values(group)
        .annotate(rows=JSONList(JSONObject(**fields)))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


def moment(value: str) -> datetime:
    """A time as JSON carries it: ISO text, with no offset when it is UTC (SQLite)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Work(NamedTuple):
    """A learner's finished work on one assignment within one window."""

    first_at: datetime  # when the first of it was finished
    best: float | None  # the best score in it, in percent
    last_number: int  # the highest attempt number in it (0 for runs)
    last_score: float | None  # the score of that attempt, in percent


@dataclass
class Facts:
    """What some learners did on some assignments, by (assignment id, user id)."""

    # Each assignment's due times, ascending: the ends of its windows.
    dues: dict[int, list[datetime]] = field(default_factory=dict)
    work: dict[Key, dict[int, Work]] = field(default_factory=dict)
    unfinished: set[Key] = field(default_factory=set)
    # Lesson assignments: whether the lesson was opened, and when it was completed.
    lessons: dict[Key, tuple[bool, datetime | None]] = field(default_factory=dict)
    # Extra minutes and extra attempts.
    extensions: dict[Key, tuple[int, int]] = field(default_factory=dict)
    overrides: dict[Key, float] = field(default_factory=dict)

    def own_window(self, assignment_id: int, due_at: datetime) -> int:
        """The last window of work on time for a learner due at `due_at`."""
        return bisect_left(self.dues[assignment_id], due_at) + 1


def percent(score: float | None, max_score: float | None) -> float | None:
    if score is None or not max_score:
        return None
    return round(100 * score / max_score, 1)


def window_of(at: datetime, opens_at: datetime, dues: Sequence[datetime]) -> int:
    """The window a piece of work finished at `at` falls in."""
    if at < opens_at:
        return NOT_COUNTED
    return bisect_left(dues, at) + 1


# The cohort: summaries computed by the database.


def cohort_facts(users: QuerySet[Any], assignments: Sequence[Assignment]) -> Facts:
    """Facts about the `users` (a queryset of user ids) on assignments: five queries.

    Extensions first, since their due times cut the windows; then overrides, quiz
    attempts and sandbox runs summarised per learner and window, and lesson progress.
    """
    facts = Facts()
    ids = [assignment.pk for assignment in assignments]
    for row in Extension.objects.filter(assignment__in=ids, user__in=users).values_list(
        "assignment_id", "user_id", "extra_minutes", "extra_attempts"
    ):
        facts.extensions[row[0], row[1]] = (row[2], row[3])
    for assignment in assignments:
        extended = {
            minutes
            for (assignment_id, _), (minutes, _) in facts.extensions.items()
            if assignment_id == assignment.pk
        }
        facts.dues[assignment.pk] = sorted(
            {assignment.due_at + timedelta(minutes=m) for m in {0, *extended}}
        )

    for assignment_id, user_id, score in (
        ScoreOverride.objects.filter(assignment__in=ids, user__in=users)
        .order_by("changed_at", "pk")
        .values_list("assignment_id", "user_id", "new_score")
    ):
        facts.overrides[assignment_id, user_id] = score  # the newest one wins

    by_kind: dict[str, dict[int, Assignment]] = defaultdict(dict)
    for assignment in assignments:
        target = assignment.quiz_id or assignment.scenario_id or assignment.lesson_id
        by_kind[assignment.kind][target or 0] = assignment
    if quizzes := by_kind[Assignment.Kind.QUIZ]:
        _add_work(facts, quizzes, _quiz_work(users, quizzes, facts.dues))
    if scenarios := by_kind[Assignment.Kind.SCENARIO]:
        _add_work(facts, scenarios, _run_work(users, scenarios, facts.dues))
    if lessons := by_kind[Assignment.Kind.LESSON]:
        for user_id, lesson_id, opened, completed in (
            LessonProgress.objects.filter(user__in=users, lesson__in=list(lessons))
            .annotate(opened=OPENED)
            .values_list("user_id", "lesson_id", "opened", "completed_at")
        ):
            facts.lessons[lessons[lesson_id].pk, user_id] = (opened, completed)
    return facts


def _window(
    at: str,
    target: str,
    assignments: dict[int, Assignment],
    dues: dict[int, list[datetime]],
) -> list[When]:
    """The conditions that number the window of each finished row, per assignment."""
    whens = [When(**{f"{at}__isnull": True}, then=Value(NOT_COUNTED))]
    for target_id, assignment in assignments.items():
        ends = dues[assignment.pk]
        whens.append(
            When(
                Q(**{target: target_id, f"{at}__lt": assignment.opens_at}),
                then=Value(NOT_COUNTED),
            )
        )
        whens += [
            When(Q(**{target: target_id, f"{at}__lte": end}), then=Value(number))
            for number, end in enumerate(ends, start=1)
        ]
        whens.append(When(Q(**{target: target_id}), then=Value(len(ends) + 1)))
    return whens


def _quiz_work(
    users: QuerySet[Any],
    quizzes: dict[int, Assignment],
    dues: dict[int, list[datetime]],
) -> Iterable[tuple[Any, ...]]:
    """Per learner, quiz and window: the first submission, the best and the last score.

    Window functions pick the last attempt of each group and summarise the group on
    its row, so each group comes back as one row.
    """
    window = Case(
        When(state=Attempt.State.IN_PROGRESS, then=Value(UNFINISHED)),
        *_window("submitted_at", "quiz_id", quizzes, dues),
        default=Value(NOT_COUNTED),
    )
    in_percent = 100 * F("score") / NullIf(F("max_score"), 0.0)
    rows = (
        Attempt.objects.filter(user__in=users, quiz__in=list(quizzes))
        .annotate(window=window)
        .annotate(
            first_at=_per_group(Min("submitted_at")),
            best=_per_group(Max(in_percent, output_field=FloatField())),
            rank=_per_group(RowNumber()),
        )
        .filter(rank=1)
        .order_by()
        .values_list(
            "user_id", "quiz_id", "window", "first_at", "best", "number", "score",
            "max_score",
        )
    )  # fmt: skip
    for user_id, quiz_id, window_number, first_at, best, last, score, out_of in rows:
        best = None if best is None else round(best, 1)
        work = Work(first_at, best, last, percent(score, out_of))
        yield user_id, quiz_id, window_number, work


def _per_group(function: Any) -> Window:
    """`function` over the attempts of one learner, quiz and window, newest first.

    The three functions share this window, so the database sorts and scans the
    attempts once for all of them.
    """
    return Window(
        function,
        partition_by=[F("user_id"), F("quiz_id"), F("window")],
        order_by=F("number").desc(),
        frame=RowRange(start=None, end=None),
    )


def _run_work(
    users: QuerySet[Any],
    scenarios: dict[int, Assignment],
    dues: dict[int, list[datetime]],
) -> Iterable[tuple[Any, ...]]:
    """Per learner, scenario and window: the first finished run and the best score."""
    window = Case(
        When(~Q(state=Run.State.FINISHED), then=Value(UNFINISHED)),
        *_window("finished_at", "scenario_id", scenarios, dues),
        default=Value(NOT_COUNTED),
    )
    rows = (
        Run.objects.filter(user__in=users, scenario__in=list(scenarios))
        .annotate(window=window)
        .order_by()
        .values("user_id", "scenario_id", "window")
        .annotate(first_at=Min("finished_at"), best=Max("total_score"))
        .values_list("user_id", "scenario_id", "window", "first_at", "best")
    )
    for user_id, scenario_id, window_number, first_at, best in rows:
        yield user_id, scenario_id, window_number, Work(first_at, best, 0, None)


def _add_work(
    facts: Facts, assignments: dict[int, Assignment], rows: Iterable[tuple[Any, ...]]
) -> None:
    for user_id, target_id, window_number, work in rows:
        key = (assignments[target_id].pk, user_id)
        if window_number == UNFINISHED:
            facts.unfinished.add(key)
        elif window_number != NOT_COUNTED:
            facts.work.setdefault(key, {})[window_number] = work


# One learner: rows carried as JSON on their assignments, summarised here.


def with_learner_work(
    assignments: QuerySet[Assignment], user_id: int
) -> QuerySet[Assignment]:
    """Annotate each assignment with everything the user has done on it.

    The extension and the lesson progress joined, the newest override, and JSON arrays
    of the quiz attempts and sandbox runs, which `learner_facts` reads.
    """
    # The user has at most one extension per assignment and one progress row per
    # lesson: joined, they add no rows.
    return assignments.annotate(
        my_extension=FilteredRelation(
            "extensions", condition=Q(extensions__user_id=user_id)
        ),
        my_progress=FilteredRelation(
            "lesson__progress", condition=Q(lesson__progress__user_id=user_id)
        ),
    ).annotate(
        extra_minutes=F("my_extension__extra_minutes"),
        extra_attempts=F("my_extension__extra_attempts"),
        lesson_opened=ExpressionWrapper(
            Q(my_progress__first_opened_at__isnull=False),
            output_field=BooleanField(),
        ),
        lesson_completed_at=F("my_progress__completed_at"),
        override=Subquery(
            ScoreOverride.objects.filter(assignment=OuterRef("pk"), user_id=user_id)
            .order_by("-changed_at", "-pk")
            .values("new_score")[:1]
        ),
        attempt_rows=json_rows(
            Attempt.objects.filter(user_id=user_id, quiz=OuterRef("quiz_id")),
            "quiz",
            state=F("state"),
            number=F("number"),
            score=F("score"),
            max_score=F("max_score"),
            at=F("submitted_at"),
        ),
        run_rows=json_rows(
            Run.objects.filter(user_id=user_id, scenario=OuterRef("scenario_id")),
            "scenario",
            state=F("state"),
            score=F("total_score"),
            at=F("finished_at"),
        ),
    )


class Finished(NamedTuple):
    """A finished attempt or run: when, its score in percent, its attempt number."""

    at: datetime
    score: float | None
    number: int  # 0 for runs


def learner_facts(assignments: Iterable[Assignment], user_id: int) -> Facts:
    """Facts about one user from assignments `with_learner_work` annotated."""
    facts = Facts()
    for assignment in assignments:
        data: Any = assignment  # with the annotations of `with_learner_work`
        key = (assignment.pk, user_id)
        if data.extra_minutes is not None:
            facts.extensions[key] = (data.extra_minutes, data.extra_attempts)
        if data.override is not None:
            facts.overrides[key] = data.override
        if data.lesson_opened or data.lesson_completed_at is not None:
            facts.lessons[key] = (data.lesson_opened, data.lesson_completed_at)

        finished = []
        for row in data.attempt_rows or []:
            if row["state"] == Attempt.State.IN_PROGRESS:
                facts.unfinished.add(key)
            elif row["at"] is not None:
                score = percent(row["score"], row["max_score"])
                finished.append(Finished(moment(row["at"]), score, row["number"]))
        for row in data.run_rows or []:
            if row["state"] != Run.State.FINISHED:
                facts.unfinished.add(key)
            elif row["at"] is not None:
                finished.append(Finished(moment(row["at"]), row["score"], 0))

        due_at = assignment.due_at + timedelta(minutes=data.extra_minutes or 0)
        facts.dues[assignment.pk] = [due_at]
        if work := summarise(finished, assignment.opens_at, [due_at]):
            facts.work[key] = work
    return facts


def summarise(
    finished: Iterable[Finished], opens_at: datetime, dues: Sequence[datetime]
) -> dict[int, Work]:
    """The work summarised per window, as `cohort_facts` has the database do it."""
    by_window: dict[int, list[Finished]] = defaultdict(list)
    for item in finished:
        window = window_of(item.at, opens_at, dues)
        if window != NOT_COUNTED:
            by_window[window].append(item)
    summaries = {}
    for window, items in by_window.items():
        last = max(items, key=lambda item: item.number)
        scores = [item.score for item in items if item.score is not None]
        summaries[window] = Work(
            first_at=min(item.at for item in items),
            best=max(scores, default=None),
            last_number=last.number,
            last_score=last.score,
        )
    return summaries
