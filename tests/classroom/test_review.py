from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import Assignment, Cohort, ResponseGrade, ScoreOverride
from portal.curriculum.models import DiscussionQuestion
from portal.quizzes.models import Attempt, DiscussionResponse, Quiz
from tests.classroom.builders import (
    assign,
    make_attempt,
    make_lesson,
    make_quiz,
    make_scenario,
    play_run,
)

DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)
ESSAY = "Acknowledge, declare, then post a status update."


@pytest.fixture
def quiz(db: None) -> Quiz:
    return make_quiz(make_lesson(1), ["single", "open"])


@pytest.fixture
def attempt(learner: User, quiz: Quiz, cohort: Cohort) -> Attempt:
    """Alice's attempt: the wrong option on q1 and an essay on q2."""
    assign(cohort, quiz, datetime.now(timezone.utc) + timedelta(days=1))
    return make_attempt(learner, quiz, {"q1": 0}, responses={"q2": ESSAY})


def test_an_attempt_shows_as_seen_and_with_the_right_answers(
    instructor_client: Client, attempt: Attempt
) -> None:
    response = instructor_client.get(f"/classes/NIGHT123/review/attempts/{attempt.pk}/")

    html = response.content.decode()
    assert "As the learner saw it" in html
    assert '<span class="visually-hidden">Picked:</span> Wait and see' in html
    assert "<dt>Right answer</dt><dd>Acknowledge the page</dd>" in html
    assert '<dt>Result</dt><dd class="verdict">Incorrect</dd>' in html
    assert ESSAY in html


def test_open_answers_wait_in_the_grading_queue(
    instructor_client: Client, attempt: Attempt
) -> None:
    response = instructor_client.get("/classes/NIGHT123/grading/")

    html = response.content.decode()
    assert "Open quiz answers (1)" in html
    assert ESSAY in html


def test_grading_an_answer_saves_points_and_feedback_the_learner_sees(
    instructor_client: Client,
    learner_client: Client,
    instructor: User,
    attempt: Attempt,
) -> None:
    answer = attempt.answers.get(question__key="q2")

    response = instructor_client.post(
        f"/classes/NIGHT123/grading/answers/{answer.pk}/",
        {"points": "0.5", "feedback": "Say who the commander is."},
    )

    grade = ResponseGrade.objects.get()
    assert response.status_code == 302
    assert (grade.points, grade.graded_by) == (0.5, instructor)
    assert (
        b"No open answer is waiting"
        in instructor_client.get("/classes/NIGHT123/grading/").content
    )
    dashboard = learner_client.get("/dashboard/").content.decode()
    assert "Feedback from your instructors" in dashboard
    assert "Say who the commander is." in dashboard
    assert "0.5 of 1" in dashboard


def test_points_above_the_question_maximum_are_refused(
    instructor_client: Client, attempt: Attempt
) -> None:
    answer = attempt.answers.get(question__key="q2")

    instructor_client.post(
        f"/classes/NIGHT123/grading/answers/{answer.pk}/", {"points": "3"}
    )

    assert not ResponseGrade.objects.exists()


def test_htmx_grading_returns_only_the_graded_item(
    instructor_client: Client, attempt: Attempt
) -> None:
    answer = attempt.answers.get(question__key="q2")

    response = instructor_client.post(
        f"/classes/NIGHT123/grading/answers/{answer.pk}/",
        {"points": "1", "feedback": "Good."},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<li class="grading-item" id="answer-{answer.pk}">'
    )
    assert "Graded: 1 of 1." in html
    assert "<html" not in html


def test_grading_a_discussion_response_sets_its_grade_and_feedback(
    instructor_client: Client, instructor: User, learner: User, cohort: Cohort
) -> None:
    lesson = make_lesson(1)
    # Only responses to lessons assigned in the cohort are graded there.
    assign(cohort, lesson, DUE)
    question = DiscussionQuestion.objects.create(
        lesson=lesson, key="why", level="beginner", group_title="Basics",
        text="Why declare early?", position=1,
    )  # fmt: skip
    discussion = DiscussionResponse.objects.create(
        user=learner, question=question, text="To get help sooner.",
        submitted_at=DUE, updated_at=DUE,
    )  # fmt: skip

    instructor_client.post(
        f"/classes/NIGHT123/grading/discussions/{discussion.pk}/",
        {"mark": "75", "feedback": "Also: one commander."},
    )

    discussion.refresh_from_db()
    assert discussion.grade == 0.75
    assert discussion.feedback == "Also: one commander."
    assert discussion.graded_by == instructor
    assert discussion.graded_at is not None


def test_an_override_keeps_who_when_old_new_and_why(
    instructor_client: Client, instructor: User, learner: User, attempt: Attempt
) -> None:
    assignment = Assignment.objects.get(quiz=attempt.quiz)
    url = (
        f"/classes/NIGHT123/review/assignments/{assignment.pk}"
        f"/learners/{learner.pk}/override/"
    )

    instructor_client.post(url, {"score": "40", "reason": "Partial credit on q1"})
    instructor_client.post(url, {"score": "60", "reason": "Essay graded"})

    first, second = ScoreOverride.objects.order_by("pk")
    assert (first.old_score, first.new_score, first.changed_by) == (
        0.0,
        40.0,
        instructor,
    )
    assert (second.old_score, second.new_score) == (40.0, 60.0)
    page = instructor_client.get(url).content.decode()
    assert page.index("Essay graded") < page.index("Partial credit on q1")


def test_an_override_needs_a_reason(
    instructor_client: Client, learner: User, attempt: Attempt
) -> None:
    assignment = Assignment.objects.get(quiz=attempt.quiz)
    url = (
        f"/classes/NIGHT123/review/assignments/{assignment.pk}"
        f"/learners/{learner.pk}/override/"
    )

    response = instructor_client.post(url, {"score": "40", "reason": ""})

    assert response.status_code == 200
    assert not ScoreOverride.objects.exists()


def test_a_run_replays_step_by_step(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    scenario = make_scenario(make_lesson(1))
    run = play_run(learner, scenario, ["ack", "declare", "severity SEV2"])

    start = instructor_client.get(f"/classes/NIGHT123/review/runs/{run.pk}/?step=0")
    second = instructor_client.get(f"/classes/NIGHT123/review/runs/{run.pk}/?step=2")

    assert b"The run before the learner's first action." in start.content
    assert b"<dt>Declared</dt><dd>not yet</dd>" in start.content
    html = second.content.decode()
    assert "Step 2 of 3" in html
    assert "<code>$ declare</code>" in html
    assert "<dt>Declared</dt><dd>02:00" in html
    assert "<dt>Error rate in " in html
    assert "<dt>error_rate</dt>" not in html


def test_htmx_replay_returns_only_the_step(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    run = play_run(learner, make_scenario(make_lesson(1)), ["ack"])

    response = instructor_client.get(
        f"/classes/NIGHT123/review/runs/{run.pk}/?step=1",
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="replay-step"')
    assert "<code>$ ack</code>" in html


def test_the_learner_page_lists_attempts_runs_and_states(
    instructor_client: Client, learner: User, attempt: Attempt
) -> None:
    run = play_run(learner, make_scenario(make_lesson(2)), ["ack"])

    response = instructor_client.get(f"/classes/NIGHT123/learners/{learner.pk}/")

    html = response.content.decode()
    assert f"/classes/NIGHT123/review/attempts/{attempt.pk}/" in html
    assert f"/classes/NIGHT123/review/runs/{run.pk}/" in html
    assert '<td class="cell cell-done">Done</td>' in html
