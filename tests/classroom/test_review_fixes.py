"""Grades that count, grading only what a cohort assigns, and the assignment window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.matrix import DONE, LATE, build_matrix
from portal.classroom.models import Cohort, Membership, ResponseGrade, ScoreOverride
from portal.classroom.statistics import quiz_report
from portal.curriculum.models import DiscussionQuestion
from portal.progress.models import LessonProgress
from portal.quizzes.models import Attempt, DiscussionResponse, Quiz
from portal.sandbox.models import Run
from tests.classroom.builders import (
    assign,
    make_attempt,
    make_lesson,
    make_quiz,
    make_scenario,
)

NOW = datetime.now(timezone.utc)
ESSAY = "Acknowledge, declare, then post a status update."


@pytest.fixture
def quiz(db: None) -> Quiz:
    return make_quiz(make_lesson(1), ["single", "open"])


@pytest.fixture
def attempt(learner: User, quiz: Quiz, cohort: Cohort) -> Attempt:
    """Alice's attempt: the right option on q1 (1 point) and an essay on q2."""
    assign(cohort, quiz, NOW + timedelta(days=1))
    return make_attempt(learner, quiz, {"q1": 1}, responses={"q2": ESSAY})


def _grade(client: Client, code: str, answer_id: int, points: str) -> int:
    response = client.post(
        f"/classes/{code}/grading/answers/{answer_id}/",
        {"points": points, "feedback": "Name the commander."},
    )
    return response.status_code


# 1. Graded open answers count.


def test_an_ungraded_open_answer_awaits_grading_and_is_not_counted(
    instructor_client: Client, attempt: Attempt
) -> None:
    html = instructor_client.get(
        f"/classes/NIGHT123/review/attempts/{attempt.pk}/"
    ).content.decode()

    assert "Awaiting grading" in html
    assert "1 open answer awaiting grading" in html
    assert (attempt.score, attempt.max_score) == (1, 1)


def test_a_grade_counts_in_the_answer_the_attempt_and_the_best_result(
    instructor_client: Client, learner: User, attempt: Attempt
) -> None:
    answer = attempt.answers.get(question__key="q2")

    assert _grade(instructor_client, "NIGHT123", answer.pk, "0.5") == 302

    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert (answer.fraction, answer.points) == (0.5, 0.5)
    assert (attempt.score, attempt.max_score) == (1.5, 2.0)
    progress = LessonProgress.objects.get(user=learner, lesson=attempt.quiz.lesson)
    assert progress.quiz_best_score == 75.0
    matrix = build_matrix(Cohort.objects.get(code="NIGHT123"))
    assert matrix.rows[0].cells[0].score == 75.0
    review = instructor_client.get(
        f"/classes/NIGHT123/review/attempts/{attempt.pk}/"
    ).content.decode()
    assert "Awaiting grading" not in review


def test_a_regrade_adds_an_audit_row_and_the_newest_mark_counts(
    instructor_client: Client, instructor: User, attempt: Attempt
) -> None:
    answer = attempt.answers.get(question__key="q2")

    _grade(instructor_client, "NIGHT123", answer.pk, "0.5")
    _grade(instructor_client, "NIGHT123", answer.pk, "1")

    assert list(ResponseGrade.objects.values_list("points", flat=True)) == [1.0, 0.5]
    assert all(grade.graded_by == instructor for grade in ResponseGrade.objects.all())
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score) == (2.0, 2.0)


def test_open_questions_enter_the_item_statistics_once_graded(
    instructor_client: Client, cohort: Cohort, attempt: Attempt, quiz: Quiz
) -> None:
    assert [item.key for item in quiz_report(cohort, quiz, "all").items] == ["q1"]

    answer = attempt.answers.get(question__key="q2")
    _grade(instructor_client, "NIGHT123", answer.pk, "0.5")

    items = quiz_report(cohort, quiz, "all").items
    assert [(item.key, item.facility) for item in items] == [
        ("q1", 100.0),
        ("q2", 50.0),
    ]


# 2. Grading needs the work to be assigned in the grading cohort.


def test_another_cohorts_instructor_cannot_grade_an_unassigned_quiz(
    other_instructor_client: Client,
    other_learner: User,
    cohort: Cohort,
    other_cohort: Cohort,
    quiz: Quiz,
) -> None:
    # Bob attends both cohorts; the quiz is assigned only in Charlie's.
    Membership.objects.create(cohort=cohort, user=other_learner)
    assign(cohort, quiz, NOW + timedelta(days=1))
    bobs = make_attempt(other_learner, quiz, {"q1": 1}, responses={"q2": ESSAY})
    answer = bobs.answers.get(question__key="q2")

    assert _grade(other_instructor_client, "DAYS4567", answer.pk, "0") == 404
    assert not ResponseGrade.objects.exists()
    grading = other_instructor_client.get("/classes/DAYS4567/grading/")
    assert ESSAY.encode() not in grading.content


def test_another_cohorts_instructor_cannot_grade_an_unassigned_discussion(
    other_instructor_client: Client,
    other_learner: User,
    cohort: Cohort,
    other_cohort: Cohort,
) -> None:
    Membership.objects.create(cohort=cohort, user=other_learner)
    lesson = make_lesson(1)
    assign(cohort, lesson, NOW + timedelta(days=1))
    question = DiscussionQuestion.objects.create(
        lesson=lesson, key="why", level="beginner", group_title="Basics",
        text="Why declare early?", position=1,
    )  # fmt: skip
    discussion = DiscussionResponse.objects.create(
        user=other_learner, question=question, text="To get help sooner.",
        submitted_at=NOW, updated_at=NOW,
    )  # fmt: skip

    response = other_instructor_client.post(
        f"/classes/DAYS4567/grading/discussions/{discussion.pk}/",
        {"mark": "0", "feedback": "No."},
    )

    assert response.status_code == 404
    discussion.refresh_from_db()
    assert discussion.grade is None


# 3. The assignment window decides what counts.

OPENS = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)
DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)


def _cell(cohort: Cohort) -> object:
    return build_matrix(cohort, now=DUE + timedelta(days=30)).rows[0].cells[0]


def test_a_late_attempt_does_not_raise_an_on_time_score(
    learner: User, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single", "single"])
    assign(cohort, quiz, DUE, opens_at=OPENS)
    make_attempt(learner, quiz, {"q1": 1, "q2": 0}, 1, submitted_at=DUE)
    make_attempt(learner, quiz, {"q1": 1, "q2": 1}, 2, submitted_at=DUE + timedelta(1))

    matrix = build_matrix(cohort, now=DUE + timedelta(days=30))

    cell = matrix.rows[0].cells[0]
    assert (cell.state, cell.score, cell.late_score) == (DONE, 50.0, False)
    assert (matrix.rows[0].done, matrix.rows[0].late) == (1, 0)


def test_only_late_work_gives_a_late_cell_with_the_late_score(
    learner: User, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single", "single"])
    assign(cohort, quiz, DUE, opens_at=OPENS)
    # Work before the opening does not count at all.
    make_attempt(
        learner, quiz, {"q1": 1, "q2": 1}, 1, submitted_at=OPENS - timedelta(1)
    )
    make_attempt(learner, quiz, {"q1": 1, "q2": 0}, 2, submitted_at=DUE + timedelta(1))

    matrix = build_matrix(cohort, now=DUE + timedelta(days=30))

    cell = matrix.rows[0].cells[0]
    assert (cell.state, cell.score, cell.late_score) == (LATE, 50.0, True)
    assert (matrix.rows[0].done, matrix.rows[0].late) == (0, 1)
    assert (matrix.columns[0].counts[DONE], matrix.columns[0].counts[LATE]) == (0, 1)


def test_runs_follow_the_same_window(learner: User, cohort: Cohort) -> None:
    scenario = make_scenario(make_lesson(1))
    assign(cohort, scenario, DUE, opens_at=OPENS)
    for score, finished in ((40.0, DUE), (90.0, DUE + timedelta(hours=1))):
        Run.objects.create(
            user=learner, scenario=scenario, seed=0, state=Run.State.FINISHED,
            started_at=finished - timedelta(minutes=30), finished_at=finished,
            total_score=score,
        )  # fmt: skip

    cell = _cell(cohort)

    assert (cell.state, cell.score) == (DONE, 40.0)  # type: ignore[attr-defined]


def test_an_overridden_cell_is_done_and_marked(
    learner: User, instructor: User, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    assignment = assign(cohort, quiz, DUE, opens_at=OPENS)
    make_attempt(learner, quiz, {"q1": 1}, submitted_at=DUE + timedelta(1))
    ScoreOverride.objects.create(
        assignment=assignment, user=learner, old_score=100, new_score=80,
        reason="Late penalty", changed_by=instructor, changed_at=NOW,
    )  # fmt: skip

    matrix = build_matrix(cohort, now=DUE + timedelta(days=30))

    cell = matrix.rows[0].cells[0]
    assert (cell.state, cell.score, cell.overridden) == (DONE, 80, True)
    assert (matrix.rows[0].done, matrix.rows[0].late) == (1, 0)
