"""Where each learner stands on each assignment, computed in a fixed number of queries.

Every figure comes from a handful of flat queries over the cohort's learners (as a
subquery, never a list of ids, so a large cohort never meets SQLite's parameter limit)
and is then combined in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from portal.classroom.models import (
    Assignment,
    Cohort,
    Extension,
    Membership,
    ResponseGrade,
    ScoreOverride,
)
from portal.progress.models import LessonProgress
from portal.quizzes.models import Attempt, DiscussionResponse, Quiz
from portal.sandbox.models import Run

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


@dataclass(frozen=True)
class Learner:
    id: int
    username: str
    display_name: str

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass
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


@dataclass
class Row:
    learner: Learner
    cells: list[Cell]

    @property
    def done(self) -> int:
        """Done on time (or overridden); late work is counted in `late` only."""
        return sum(1 for cell in self.cells if cell.state == DONE)

    @property
    def late(self) -> int:
        return sum(1 for cell in self.cells if cell.state == LATE)

    @property
    def mean_score(self) -> float | None:
        scores = [cell.score for cell in self.cells if cell.score is not None]
        return round(mean(scores), 1) if scores else None


@dataclass
class Column:
    assignment: Assignment
    counts: dict[str, int] = field(default_factory=dict)
    mean_score: float | None = None


@dataclass
class Facts:
    """Everything recorded about a set of learners on a set of assignments."""

    attempts: dict[tuple[int, int], list[tuple[Any, ...]]]
    runs: dict[tuple[int, int], list[tuple[Any, ...]]]
    lessons: dict[tuple[int, int], tuple[Any, ...]]
    extensions: dict[tuple[int, int], Extension]
    overrides: dict[tuple[int, int], float]


def load_facts(users: QuerySet[Any], assignments: QuerySet[Assignment]) -> Facts:
    """Load attempts, runs, lesson progress, extensions and overrides: five queries.

    `users` is a queryset of user ids used as a subquery.
    """
    attempts: dict[tuple[int, int], list[tuple[Any, ...]]] = defaultdict(list)
    for row in Attempt.objects.filter(
        user__in=users, quiz__in=assignments.values("quiz_id")
    ).values_list(
        "user_id", "quiz_id", "state", "number", "score", "max_score", "submitted_at"
    ):
        attempts[row[0], row[1]].append(row)

    runs: dict[tuple[int, int], list[tuple[Any, ...]]] = defaultdict(list)
    for run in Run.objects.filter(
        user__in=users, scenario__in=assignments.values("scenario_id")
    ).values_list("user_id", "scenario_id", "state", "total_score", "finished_at"):
        runs[run[0], run[1]].append(run)

    lessons = {
        (row[0], row[1]): row
        for row in LessonProgress.objects.filter(
            user__in=users, lesson__in=assignments.values("lesson_id")
        ).values_list("user_id", "lesson_id", "first_opened_at", "completed_at")
    }
    extensions = {
        (extension.assignment_id, extension.user_id): extension
        for extension in Extension.objects.filter(
            assignment__in=assignments.values("pk"), user__in=users
        )
    }
    overrides: dict[tuple[int, int], float] = {}
    for assignment_id, user_id, score in (
        ScoreOverride.objects.filter(
            assignment__in=assignments.values("pk"), user__in=users
        )
        .order_by("changed_at", "pk")
        .values_list("assignment_id", "user_id", "new_score")
    ):
        overrides[assignment_id, user_id] = score
    return Facts(attempts, runs, lessons, extensions, overrides)


def _percent(score: float | None, max_score: float) -> float | None:
    if score is None or not max_score:
        return None
    return round(100 * score / max_score, 1)


@dataclass(frozen=True)
class Progress:
    """What counts of a learner's work on an assignment, by the assignment's window.

    Work submitted before the assignment opened does not count. The score is the one
    that counts among the work submitted on time (opening to the learner's due time);
    if there is only late work, it is the one that counts among the late work.
    """

    started: bool = False
    score: float | None = None
    finished_at: datetime | None = None
    late: bool = False


def _windowed(
    rows: list[tuple[Any, ...]],
    when: int,
    opens_at: datetime,
    due_at: datetime,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Split finished rows, by their time at index `when`, into on-time and late."""
    counted = [row for row in rows if row[when] >= opens_at]
    on_time = [row for row in counted if row[when] <= due_at]
    late = [row for row in counted if row[when] > due_at]
    return on_time, late


def _quiz_progress(
    quiz: Quiz, rows: list[tuple[Any, ...]], opens_at: datetime, due_at: datetime
) -> Progress:
    submitted = [
        row for row in rows if row[2] == Attempt.State.SUBMITTED and row[6] is not None
    ]
    in_progress = any(row[2] == Attempt.State.IN_PROGRESS for row in rows)
    on_time, late = _windowed(submitted, 6, opens_at, due_at)
    chosen = on_time or late
    if not chosen:
        return Progress(started=in_progress)
    if quiz.grading == Quiz.Grading.LAST:
        counting = max(chosen, key=lambda row: row[3])
    else:
        counting = max(chosen, key=lambda row: (_percent(row[4], row[5]) or 0, -row[3]))
    return Progress(
        started=True,
        score=_percent(counting[4], counting[5]),
        finished_at=min(row[6] for row in chosen),
        late=not on_time,
    )


def _run_progress(
    rows: list[tuple[Any, ...]], opens_at: datetime, due_at: datetime
) -> Progress:
    finished = [row for row in rows if row[2] == Run.State.FINISHED and row[4]]
    active = any(row[2] != Run.State.FINISHED for row in rows)
    on_time, late = _windowed(finished, 4, opens_at, due_at)
    chosen = on_time or late
    if not chosen:
        return Progress(started=active)
    best = max((row[3] for row in chosen if row[3] is not None), default=None)
    return Progress(
        started=True,
        score=best,
        finished_at=min(row[4] for row in chosen),
        late=not on_time,
    )


def cell_for(assignment: Assignment, user_id: int, facts: Facts, now: datetime) -> Cell:
    """The state of one learner on one assignment at `now`.

    An overridden cell shows the override's score and counts as done.
    """
    key = (assignment.pk, user_id)
    extension = facts.extensions.get(key)
    due_at = assignment.due_at
    if extension is not None:
        due_at += timedelta(minutes=extension.extra_minutes)

    progress = Progress()
    if assignment.kind == Assignment.Kind.QUIZ and assignment.quiz is not None:
        rows = facts.attempts.get((user_id, assignment.quiz.pk), [])
        progress = _quiz_progress(assignment.quiz, rows, assignment.opens_at, due_at)
    elif assignment.kind == Assignment.Kind.SCENARIO:
        rows = facts.runs.get((user_id, assignment.scenario_id or 0), [])
        progress = _run_progress(rows, assignment.opens_at, due_at)
    else:
        lesson = facts.lessons.get((user_id, assignment.lesson_id or 0))
        if lesson is not None:
            progress = Progress(
                started=lesson[2] is not None,
                finished_at=lesson[3],
                late=lesson[3] is not None and lesson[3] > due_at,
            )

    finished_at = progress.finished_at
    if finished_at is not None:
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
        finished_at=finished_at,
        late_score=progress.late and progress.score is not None,
    )
    if extension is not None:
        cell.extra_minutes = extension.extra_minutes
        cell.extra_attempts = extension.extra_attempts
    if key in facts.overrides:
        cell.score = facts.overrides[key]
        cell.overridden = True
        cell.state = DONE
        cell.late_score = False
    return cell


def cohort_assignments(cohort: Cohort) -> QuerySet[Assignment]:
    return Assignment.objects.filter(cohort=cohort).select_related(
        "lesson", "quiz__lesson", "scenario"
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
    columns: list[Column]
    learner_count: int


def build_matrix(cohort: Cohort, now: datetime | None = None) -> Matrix:
    """Every learner's cell on every assignment: seven queries whatever the size."""
    now = now or timezone.now()
    assignments_qs = cohort_assignments(cohort)
    assignments = list(assignments_qs)
    learners = cohort_learners(cohort)
    users = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER
    ).values("user_id")
    facts = load_facts(users, assignments_qs)

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
        columns.append(
            Column(assignment, counts, round(mean(scores), 1) if scores else None)
        )
    return columns


def sort_and_filter(
    matrix: Matrix, sort: str, descending: bool, state: str, query: str
) -> Matrix:
    """Rows filtered by name and by having a cell in `state`, then sorted; totals follow."""
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

    ids = [str(a.pk) for a in matrix.assignments]
    if sort in ids:
        index = ids.index(sort)
        rows = sorted(
            rows,
            key=lambda row: (
                row.cells[index].score is None,
                (row.cells[index].score or 0) * (-1 if descending else 1),
                row.learner.name.casefold(),
            ),
        )
    elif sort == "done":
        rows = sorted(rows, key=lambda row: row.done, reverse=descending)
    elif sort == "late":
        rows = sorted(rows, key=lambda row: row.late, reverse=descending)
    elif sort == "score":
        rows = sorted(
            rows,
            key=lambda row: (
                row.mean_score is None,
                (row.mean_score or 0) * (-1 if descending else 1),
            ),
        )
    else:
        rows = sorted(
            rows, key=lambda row: row.learner.name.casefold(), reverse=descending
        )
    columns = column_totals(matrix.assignments, rows)
    return Matrix(matrix.assignments, rows, columns, matrix.learner_count)


def learner_assignments(user_id: int, now: datetime | None = None) -> list[Cell]:
    """Every assignment of every cohort the user attends, with their state.

    One query when the user attends no cohort, six otherwise.
    """
    now = now or timezone.now()
    assignments_qs = Assignment.objects.filter(
        cohort__memberships__user_id=user_id,
        cohort__memberships__role=Membership.Role.LEARNER,
    ).select_related("cohort", "lesson", "quiz__lesson", "scenario")
    assignments = list(assignments_qs)
    if not assignments:
        return []
    users = User.objects.filter(pk=user_id).values("pk")
    facts = load_facts(users, assignments_qs)
    return [cell_for(a, user_id, facts, now) for a in assignments]


@dataclass(frozen=True)
class Feedback:
    at: datetime
    where: str
    question: str
    mark: str
    text: str
    url: str


def learner_feedback(user: User) -> list[Feedback]:
    """Instructors' marks and feedback on the user's open answers and discussion responses.

    Two queries.
    """
    grades = ResponseGrade.objects.filter(answer__attempt__user=user).select_related(
        "answer__question", "answer__version", "answer__attempt__quiz__lesson"
    )
    responses = DiscussionResponse.objects.filter(
        user=user, graded_at__isnull=False
    ).select_related("question__lesson")
    # Re-grades add rows; only the newest grade of each answer is the learner's mark.
    newest: dict[int, ResponseGrade] = {}
    for grade in grades:
        newest.setdefault(grade.answer_id, grade)
    items = [
        Feedback(
            at=grade.graded_at,
            where=grade.answer.attempt.quiz.title,
            question=grade.answer.version.text,
            mark=f"{grade.points:g} of {grade.answer.question.points}",
            text=grade.feedback,
            url=grade.answer.attempt.get_absolute_url(),
        )
        for grade in newest.values()
    ]
    items += [
        Feedback(
            at=response.graded_at,
            where=f"Lesson {response.question.lesson.number} discussion",
            question=response.question.text,
            mark=f"{100 * (response.grade or 0):g}%",
            text=response.feedback,
            url=response.question.lesson.get_absolute_url(),
        )
        for response in responses
        if response.graded_at is not None
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)
