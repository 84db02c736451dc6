"""Where each learner stands on each assignment, computed in a fixed number of queries.

The facts come from `portal.classroom.facts`: summarised by the database over a whole
cohort for the matrix and the grades export, or read with one learner's assignments
for the dashboard and the learner's page. The rules that turn them into a cell's state
and score are here, the same for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import fsum
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from portal.classroom.facts import (
    Facts,
    Work,
    cohort_facts,
    json_rows,
    learner_facts,
    moment,
    with_learner_work,
)
from portal.classroom.models import Assignment, Cohort, Membership, ResponseGrade
from portal.quizzes.models import DiscussionResponse, Quiz

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
LATE = "late"
STATE_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    DONE: "Done",
    LATE: "Late",
}


# What an assignment's title and link need, and what they do not: a scenario's data.
ASSIGNED = ("lesson", "quiz__lesson", "scenario")
LAST = Quiz.Grading.LAST
UNUSED = ("scenario__data",)


@dataclass(frozen=True)
class Learner:
    id: int
    username: str
    display_name: str

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass(slots=True)
class Cell:
    assignment: Assignment
    state: str
    due_at: datetime
    score: float | None = None
    finished_at: datetime | None = None
    extra_minutes: int = 0
    extra_attempts: int = 0
    computed_score: float | None = None
    overridden: bool = False
    # The score is from work submitted after the due time (there was none on time).
    late_score: bool = False

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_open(self) -> bool:
        return self.assignment.opens_at <= timezone.now()


@dataclass(slots=True)
class Row:
    learner: Learner
    cells: list[Cell]
    done: int = field(init=False)
    late: int = field(init=False)
    mean_score: float | None = field(init=False)

    def __post_init__(self) -> None:
        # Done on time (or overridden); late work is counted in `late` only.
        self.done = sum(1 for cell in self.cells if cell.state == DONE)
        self.late = sum(1 for cell in self.cells if cell.state == LATE)
        scores = [cell.score for cell in self.cells if cell.score is not None]
        self.mean_score = _mean(scores)


def _mean(scores: list[float]) -> float | None:
    """The mean to one decimal (a plain float mean: statistics.mean is exact but slow)."""
    return round(fsum(scores) / len(scores), 1) if scores else None


@dataclass
class Column:
    assignment: Assignment
    counts: dict[str, int] = field(default_factory=dict)
    mean_score: float | None = None


class Progress(NamedTuple):
    """What counts of a learner's work on an assignment, by the assignment's window.

    Work submitted before the assignment opened does not count. The score is the one
    that counts among the work submitted on time (opening to the learner's due time);
    if there is only late work, it is the one that counts among the late work.
    """

    started: bool = False
    score: float | None = None
    finished_at: datetime | None = None
    late: bool = False


def _counted_score(assignment: Assignment, chosen: list[Work]) -> float | None:
    """The quiz's grading picks the last or the best attempt; a run counts its best."""
    quiz = assignment.quiz if assignment.kind == Assignment.Kind.QUIZ else None
    if quiz is not None and quiz.grading == LAST:
        return max(chosen, key=lambda work: work.last_number).last_score
    return max((w.best for w in chosen if w.best is not None), default=None)


def _progress(
    assignment: Assignment, key: tuple[int, int], facts: Facts, due_at: datetime
) -> Progress:
    if assignment.kind == Assignment.Kind.LESSON:
        opened, completed = facts.lessons.get(key, (False, None))
        return Progress(
            started=opened,
            finished_at=completed,
            late=completed is not None and completed > due_at,
        )
    windows = facts.work.get(key)
    if not windows:
        return Progress(started=key in facts.unfinished)
    own = facts.own_window(assignment.id, due_at)
    on_time = [work for number, work in windows.items() if number <= own]
    late = [work for number, work in windows.items() if number > own]
    chosen = on_time or late
    if not chosen:
        return Progress(started=key in facts.unfinished)
    return Progress(
        started=True,
        score=_counted_score(assignment, chosen),
        finished_at=min(work.first_at for work in chosen),
        late=not on_time,
    )


def cell_for(assignment: Assignment, user_id: int, facts: Facts, now: datetime) -> Cell:
    """The state of one learner on one assignment at `now`.

    An overridden cell shows the override's score and counts as done.
    """
    key = (assignment.id, user_id)
    extra_minutes, extra_attempts = facts.extensions.get(key, (0, 0))
    due_at = assignment.due_at
    if extra_minutes:
        due_at += timedelta(minutes=extra_minutes)
    progress = _progress(assignment, key, facts, due_at)

    if progress.finished_at is not None:
        state = LATE if progress.late else DONE
    elif now > due_at:
        state = LATE
    elif progress.started:
        state = IN_PROGRESS
    else:
        state = NOT_STARTED

    cell = Cell(
        assignment=assignment,
        state=state,
        due_at=due_at,
        score=progress.score,
        computed_score=progress.score,
        finished_at=progress.finished_at,
        extra_minutes=extra_minutes,
        extra_attempts=extra_attempts,
        late_score=progress.late and progress.score is not None,
    )
    if key in facts.overrides:
        cell.score = facts.overrides[key]
        cell.overridden = True
        cell.state = DONE
        cell.late_score = False
    return cell


def cohort_assignments(cohort: Cohort) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(cohort=cohort)
        .select_related(*ASSIGNED)
        .defer(*UNUSED)
    )


def cohort_learners(cohort: Cohort) -> list[Learner]:
    return [
        Learner(*row)
        for row in Membership.objects.filter(
            cohort=cohort, role=Membership.Role.LEARNER
        )
        .order_by("user__username")
        .values_list("user_id", "user__username", "user__profile__display_name")
    ]


@dataclass
class Matrix:
    assignments: list[Assignment]
    rows: list[Row]
    # Totals of each assignment over every learner of the cohort, whatever is shown.
    columns: list[Column]
    learner_count: int


def build_matrix(cohort: Cohort, now: datetime | None = None) -> Matrix:
    """Every learner's cell on every assignment: seven queries whatever the size."""
    now = now or timezone.now()
    assignments = list(cohort_assignments(cohort))
    learners = cohort_learners(cohort)
    users = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER
    ).values("user_id")
    facts = cohort_facts(users, assignments)

    rows = [
        Row(learner, [cell_for(a, learner.id, facts, now) for a in assignments])
        for learner in learners
    ]
    return Matrix(assignments, rows, column_totals(assignments, rows), len(rows))


def column_totals(assignments: list[Assignment], rows: list[Row]) -> list[Column]:
    columns = []
    for index, assignment in enumerate(assignments):
        cells = [row.cells[index] for row in rows]
        counts = dict.fromkeys(STATE_LABELS, 0)
        for cell in cells:
            counts[cell.state] += 1
        scores = [cell.score for cell in cells if cell.score is not None]
        columns.append(Column(assignment, counts, _mean(scores)))
    return columns


def sort_and_filter(
    matrix: Matrix, sort: str, descending: bool, state: str, query: str
) -> Matrix:
    """Rows filtered by name and by having a cell in `state`, then sorted.

    Both apply to every learner of the cohort, before the rows are paged; the column
    totals stay those of the whole cohort.
    """
    rows = matrix.rows
    if query:
        needle = query.casefold()
        rows = [
            row
            for row in rows
            if needle in row.learner.name.casefold()
            or needle in row.learner.username.casefold()
        ]
    if state in STATE_LABELS:
        rows = [row for row in rows if any(c.state == state for c in row.cells)]
    return Matrix(
        matrix.assignments,
        _sorted(rows, matrix.assignments, sort, descending),
        matrix.columns,
        matrix.learner_count,
    )


def _sorted(
    rows: list[Row], assignments: list[Assignment], sort: str, descending: bool
) -> list[Row]:
    """Rows by an assignment's score, done, late, mean score or (else) name.

    Rows with no score go last either way; ties go by name.
    """
    sign = -1 if descending else 1
    ids = [str(a.pk) for a in assignments]
    if sort in ids:
        index = ids.index(sort)
        return sorted(
            rows, key=lambda row: _by_score(row.cells[index].score, sign, row)
        )
    if sort == "score":
        return sorted(rows, key=lambda row: _by_score(row.mean_score, sign, row))
    if sort in ("done", "late"):
        return sorted(
            rows,
            key=lambda row: (sign * getattr(row, sort), row.learner.name.casefold()),
        )
    return sorted(rows, key=lambda row: row.learner.name.casefold(), reverse=descending)


def _by_score(score: float | None, sign: int, row: Row) -> tuple[Any, ...]:
    return (score is None, sign * (score or 0), row.learner.name.casefold())


def learner_cells(
    assignments: QuerySet[Assignment], user_id: int, now: datetime | None = None
) -> list[Cell]:
    """The user's cell on each of the assignments: one query."""
    now = now or timezone.now()
    loaded = list(with_learner_work(assignments, user_id))
    facts = learner_facts(loaded, user_id)
    return [cell_for(assignment, user_id, facts, now) for assignment in loaded]


@dataclass(frozen=True)
class Feedback:
    at: datetime
    where: str
    question: str
    mark: str
    text: str
    url: str


@dataclass(frozen=True)
class CohortWork:
    """A learner's assignments in all their cohorts, and instructors' feedback."""

    assignments: list[Cell]
    feedback: list[Feedback]


def learner_work(
    user_id: int, now: datetime | None = None, feedback: bool = True
) -> CohortWork:
    """Every assignment of every cohort the user attends, with their state, and the
    instructors' feedback on the user's work (unless told there is none): one query,
    which carries it all.

    There is no feedback without an assignment: instructors grade assigned work only.
    """
    now = now or timezone.now()
    assignments = (
        Assignment.objects.filter(
            cohort__memberships__user_id=user_id,
            cohort__memberships__role=Membership.Role.LEARNER,
        )
        .select_related("cohort", *ASSIGNED)
        .defer(*UNUSED)
    )
    annotated = with_learner_work(assignments, user_id)
    if feedback:
        annotated = annotated.annotate(**_feedback(user_id))
    loaded = list(annotated)
    if not loaded:
        return CohortWork([], [])
    facts = learner_facts(loaded, user_id)
    first: Any = loaded[0]
    return CohortWork(
        [cell_for(assignment, user_id, facts, now) for assignment in loaded],
        _feedback_items(first.grades, first.discussions) if feedback else [],
    )


def learner_assignments(user_id: int, now: datetime | None = None) -> list[Cell]:
    """Every assignment of every cohort the user attends, with its state: one query."""
    return learner_work(user_id, now).assignments


def learner_feedback(user: User) -> list[Feedback]:
    """Instructors' marks and feedback on the user's open answers and discussion
    responses: one query."""
    rows = User.objects.filter(pk=user.pk).annotate(**_feedback(user.pk))
    found: Any = rows.first()
    return _feedback_items(found.grades, found.discussions) if found else []


def _feedback(user_id: int) -> dict[str, Any]:
    """JSON arrays of the grades of the user's answers and of their graded responses."""
    grades = ResponseGrade.objects.filter(answer__attempt__user_id=user_id)
    responses = DiscussionResponse.objects.filter(
        user_id=user_id, graded_at__isnull=False
    )
    return {
        "grades": json_rows(
            grades,
            "answer__attempt__user",
            id=F("pk"),
            answer=F("answer_id"),
            at=F("graded_at"),
            quiz=F("answer__attempt__quiz__title"),
            question=F("answer__version__text"),
            points=F("points"),
            out_of=F("answer__question__points"),
            text=F("feedback"),
            lesson=F("answer__attempt__quiz__lesson__slug"),
            attempt=F("answer__attempt_id"),
        ),
        "discussions": json_rows(
            responses,
            "user",
            at=F("graded_at"),
            number=F("question__lesson__number"),
            question=F("question__text"),
            grade=F("grade"),
            text=F("feedback"),
            lesson=F("question__lesson__slug"),
        ),
    }


def _feedback_items(
    grades: list[dict[str, Any]] | None, discussions: list[dict[str, Any]] | None
) -> list[Feedback]:
    # Re-grades add rows; only the newest grade of each answer is the learner's mark.
    newest: dict[int, dict[str, Any]] = {}
    for grade in sorted(grades or [], key=lambda g: (moment(g["at"]), g["id"])):
        newest[grade["answer"]] = grade
    items = [
        Feedback(
            at=moment(grade["at"]),
            where=grade["quiz"],
            question=grade["question"],
            mark=f"{grade['points']:g} of {grade['out_of']}",
            text=grade["text"],
            url=reverse("quizzes:attempt", args=[grade["lesson"], grade["attempt"]]),
        )
        for grade in newest.values()
    ]
    items += [
        Feedback(
            at=moment(response["at"]),
            where=f"Lesson {response['number']} discussion",
            question=response["question"],
            mark=f"{100 * (response['grade'] or 0):g}%",
            text=response["text"],
            url=reverse("curriculum:lesson-detail", args=[response["lesson"]]),
        )
        for response in discussions or []
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)
