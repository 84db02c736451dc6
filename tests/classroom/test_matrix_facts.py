"""The two ways of reading the facts agree, windows of extended due times included.

The matrix summarises a cohort's work in the database; the dashboard and the learner's
page summarise one learner's rows in Python. The same learner must get the same cell
from both.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth.models import User

from portal.classroom.matrix import (
    DONE,
    IN_PROGRESS,
    LATE,
    NOT_STARTED,
    Cell,
    build_matrix,
    cohort_assignments,
    learner_cells,
)
from portal.classroom.models import Assignment, Cohort, Extension, Membership
from portal.progress.models import LessonProgress
from portal.quizzes.models import Attempt, Quiz
from portal.sandbox.models import Run
from tests.classroom.builders import (
    assign,
    make_attempt,
    make_lesson,
    make_quiz,
    make_scenario,
)

OPENS = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)
DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)
BEFORE_DUE = DUE - timedelta(days=1)
AFTER_DUE = DUE + timedelta(days=30)
HOUR = timedelta(hours=1)


def _learner(cohort: Cohort, name: str, extra_minutes: int = 0) -> User:
    user = User.objects.create_user(name)
    Membership.objects.create(cohort=cohort, user=user)
    if extra_minutes:
        for assignment in Assignment.objects.filter(cohort=cohort):
            Extension.objects.create(
                assignment=assignment, user=user, extra_minutes=extra_minutes
            )
    return user


def _run(user: User, assignment: Assignment, finished: datetime, score: float) -> None:
    Run.objects.create(
        user=user, scenario=assignment.scenario, seed=0, state=Run.State.FINISHED,
        started_at=finished - HOUR, finished_at=finished, total_score=score,
    )  # fmt: skip


def _shape(cell: Cell) -> tuple[object, ...]:
    return (
        cell.state, cell.score, cell.finished_at, cell.late_score, cell.extra_minutes,
        cell.due_at,
    )  # fmt: skip


@pytest.fixture
def work(learner: User, cohort: Cohort) -> dict[str, User]:
    """A quiz and a scenario, and learners whose work falls in different windows.

    Extensions of one and of two hours cut the time after the due time into windows.
    """
    lesson = make_lesson(1)
    quiz = make_quiz(lesson, ["single", "single"])
    assign(cohort, quiz, DUE, opens_at=OPENS)
    on_scenario = assign(cohort, make_scenario(lesson), DUE, opens_at=OPENS)
    on_lesson = assign(cohort, make_lesson(2), DUE, opens_at=OPENS)
    cast = {
        "better_later": learner,
        "worse_later": _learner(cohort, "worse_later"),
        "extended": _learner(cohort, "extended", extra_minutes=120),
        "short_extension": _learner(cohort, "short_extension", extra_minutes=60),
        "plain_late": _learner(cohort, "plain_late"),
        "early_only": _learner(cohort, "early_only"),
        "unfinished": _learner(cohort, "unfinished"),
        "idle": _learner(cohort, "idle"),
    }

    def attempt(name: str, number: int, marks: int, at: datetime) -> None:
        points = {"q1": 1, "q2": 1} if marks == 2 else {"q1": marks}
        make_attempt(cast[name], quiz, points, number, submitted_at=at)

    attempt("better_later", 1, 1, BEFORE_DUE)
    attempt("better_later", 2, 2, BEFORE_DUE + HOUR)
    attempt("worse_later", 1, 2, BEFORE_DUE)
    attempt("worse_later", 2, 0, BEFORE_DUE + HOUR)
    # After the due time, within the two-hour extension: on time for this learner.
    attempt("extended", 1, 1, DUE + 90 * timedelta(minutes=1))
    # One attempt within the one-hour extension, a better one after it.
    attempt("short_extension", 1, 0, DUE + timedelta(minutes=30))
    attempt("short_extension", 2, 2, DUE + 90 * timedelta(minutes=1))
    attempt("plain_late", 1, 1, DUE + timedelta(minutes=30))
    attempt("plain_late", 2, 2, DUE + 3 * HOUR)
    attempt("early_only", 1, 2, OPENS - HOUR)
    Attempt.objects.create(
        user=cast["unfinished"], quiz=quiz, number=1, started_at=BEFORE_DUE
    )

    _run(cast["better_later"], on_scenario, BEFORE_DUE, 40)
    _run(cast["better_later"], on_scenario, BEFORE_DUE + HOUR, 90)
    _run(cast["extended"], on_scenario, DUE + 90 * timedelta(minutes=1), 70)
    _run(cast["short_extension"], on_scenario, DUE + 90 * timedelta(minutes=1), 55)
    _run(cast["plain_late"], on_scenario, DUE + HOUR, 30)
    _run(cast["plain_late"], on_scenario, DUE + 2 * HOUR, 60)
    Run.objects.create(
        user=cast["unfinished"], scenario=on_scenario.scenario, seed=0,
        started_at=BEFORE_DUE,
    )  # fmt: skip

    for name, completed in (("better_later", BEFORE_DUE), ("plain_late", AFTER_DUE)):
        LessonProgress.objects.create(
            user=cast[name], lesson=on_lesson.lesson, first_opened_at=BEFORE_DUE,
            completed_at=completed,
        )  # fmt: skip
    LessonProgress.objects.create(
        user=cast["unfinished"], lesson=on_lesson.lesson, first_opened_at=BEFORE_DUE
    )
    return cast


def _both_ways(cohort: Cohort, cast: dict[str, User], now: datetime) -> dict:
    matrix = build_matrix(cohort, now=now)
    by_matrix = {row.learner.username: row.cells for row in matrix.rows}
    by_learner = {
        user.username: learner_cells(cohort_assignments(cohort), user.pk, now)
        for user in cast.values()
    }
    return {
        name: (
            [_shape(cell) for cell in by_matrix[user.username]],
            [_shape(cell) for cell in by_learner[user.username]],
        )
        for name, user in cast.items()
    }


@pytest.mark.parametrize("grading", [Quiz.Grading.HIGHEST, Quiz.Grading.LAST])
@pytest.mark.parametrize("now", [DUE - HOUR, AFTER_DUE])
def test_the_cohort_and_the_learner_readings_agree(
    cohort: Cohort, work: dict[str, User], grading: str, now: datetime
) -> None:
    Quiz.objects.update(grading=grading)

    cells = _both_ways(cohort, work, now)

    for name, (from_matrix, from_learner) in cells.items():
        assert from_matrix == from_learner, name


def _states(cohort: Cohort, cast: dict[str, User]) -> dict[str, list[tuple]]:
    matrix = build_matrix(cohort, now=AFTER_DUE)
    names = {user.pk: name for name, user in cast.items()}
    return {
        names[row.learner.id]: [(c.state, c.score) for c in row.cells]
        for row in matrix.rows
    }


def test_each_window_counts_as_the_rules_say(
    cohort: Cohort, work: dict[str, User]
) -> None:
    states = _states(cohort, work)

    # Quiz (highest attempt), scenario (best run), lesson.
    assert states["better_later"] == [(DONE, 100.0), (DONE, 90.0), (DONE, None)]
    assert states["worse_later"] == [(DONE, 100.0), (LATE, None), (LATE, None)]
    assert states["extended"] == [(DONE, 50.0), (DONE, 70.0), (LATE, None)]
    # The better attempt and the run came after the one-hour extension.
    assert states["short_extension"] == [(DONE, 0.0), (LATE, 55.0), (LATE, None)]
    assert states["plain_late"] == [(LATE, 100.0), (LATE, 60.0), (LATE, None)]
    assert states["early_only"] == [(LATE, None), (LATE, None), (LATE, None)]
    assert states["unfinished"] == [(LATE, None), (LATE, None), (LATE, None)]
    assert states["idle"] == [(LATE, None), (LATE, None), (LATE, None)]


def test_the_last_attempt_counts_when_the_quiz_says_so(
    cohort: Cohort, work: dict[str, User]
) -> None:
    Quiz.objects.update(grading=Quiz.Grading.LAST)

    states = _states(cohort, work)

    assert states["better_later"][0] == (DONE, 100.0)
    assert states["worse_later"][0] == (DONE, 0.0)
    # Only late work: the last of it counts.
    assert states["plain_late"][0] == (LATE, 100.0)


def test_before_the_due_time_unfinished_work_is_in_progress(
    cohort: Cohort, work: dict[str, User]
) -> None:
    matrix = build_matrix(cohort, now=DUE - HOUR)

    rows = {row.learner.username: row for row in matrix.rows}
    assert [c.state for c in rows["unfinished"].cells] == [IN_PROGRESS] * 3
    assert [c.state for c in rows["idle"].cells] == [NOT_STARTED] * 3
