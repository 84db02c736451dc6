"""The learner's review of an open answer: awaiting grading, then the instructor's mark."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.services import grade_answer
from portal.quizzes.models import REVIEW_ITEMS, Attempt, Quiz
from tests.classroom.builders import make_attempt, make_lesson, make_quiz

ESSAY = "Acknowledge, declare, then post a status update."
FEEDBACK = "Name the incident commander first."


@pytest.fixture
def quiz(db: None) -> Quiz:
    """Question q1 is a single choice, q2 an open question; one point each."""
    quiz = make_quiz(make_lesson(1), ["single", "open"])
    show(quiz, list(REVIEW_ITEMS))
    return quiz


@pytest.fixture
def attempt(learner: User, quiz: Quiz) -> Attempt:
    """Alice's submitted attempt: the right option on q1 and an essay on q2."""
    return make_attempt(learner, quiz, {"q1": 1}, responses={"q2": ESSAY})


def show(quiz: Quiz, items: list[str]) -> None:
    quiz.review = {"after_attempt": items, "while_open": items, "after_close": items}
    quiz.save(update_fields=["review"])


def review(client: Client, attempt: Attempt) -> str:
    slug = attempt.quiz.lesson.slug
    url = f"/lessons/{slug}/quiz/attempts/{attempt.pk}/review/"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    start = html.index(f'id="q-{key}"')
    return html[start : html.index("</section>", start)]


def mark(attempt: Attempt, points: float, instructor: User) -> None:
    answer = attempt.answers.select_related("question").get(question__key="q2")
    grade_answer(answer, points, FEEDBACK, instructor)


def test_an_unmarked_open_answer_awaits_grading_and_the_score_is_provisional(
    learner_client: Client, attempt: Attempt
) -> None:
    html = review(learner_client, attempt)

    assert "Awaiting grading by an instructor" in section(html, "q2")
    assert "Correct" in section(html, "q1")
    assert (
        "Provisional score: 1 of 1 (100.0%) so far. 1 open answer is awaiting grading"
        " by an instructor and not counted yet: the score is not final." in html
    )
    assert "passed" not in html
    assert "Not graded automatically" not in html


def test_awaiting_grading_is_said_even_when_the_options_show_nothing(
    learner_client: Client, quiz: Quiz, attempt: Attempt
) -> None:
    show(quiz, [])

    html = review(learner_client, attempt)

    assert "Awaiting grading by an instructor" in section(html, "q2")
    assert "1 open answer is awaiting grading" in html
    for hidden in ("score:", "Score:", "Correct", "<dt>Points"):
        assert hidden not in html


def test_the_instructors_mark_and_feedback_show_once_given(
    learner_client: Client, instructor: User, attempt: Attempt
) -> None:
    mark(attempt, 0.5, instructor)

    html = review(learner_client, attempt)

    essay = section(html, "q2")
    assert "Partly correct (marked by an instructor)" in essay
    assert "<dt>Points</dt><dd>0.50 of 1</dd>" in essay
    assert f"Instructor's feedback: {FEEDBACK}" in essay
    assert "Score: 1.50 of 2 (75.0%), passed." in html
    assert "Awaiting grading" not in html
    assert "Provisional" not in html


def test_a_mark_stays_hidden_until_the_options_allow_it(
    learner_client: Client, instructor: User, quiz: Quiz, attempt: Attempt
) -> None:
    mark(attempt, 0.5, instructor)
    show(quiz, ["answer"])

    html = review(learner_client, attempt)

    assert ESSAY in section(html, "q2")
    for hidden in ("Partly correct", "0.50 of 1", FEEDBACK, "Score:", "Awaiting"):
        assert hidden not in html


def test_an_open_question_worth_no_points_awaits_nothing(
    learner_client: Client, quiz: Quiz, attempt: Attempt
) -> None:
    quiz.questions.filter(key="q2").update(points=0)

    html = review(learner_client, attempt)

    assert "Awaiting" not in html
    assert "Score: 1 of 1 (100.0%), passed." in html


def test_a_quiz_of_open_questions_only_lists_its_attempt_as_awaiting_grading(
    learner_client: Client, learner: User, db: None
) -> None:
    essays = make_quiz(make_lesson(2), ["open"])
    show(essays, list(REVIEW_ITEMS))
    attempt = make_attempt(learner, essays, {}, responses={"q1": ESSAY})

    quiz_page = learner_client.get(f"/lessons/{essays.lesson.slug}/quiz/")
    html = review(learner_client, attempt)

    assert "<td>Awaiting grading</td>" in quiz_page.content.decode()
    assert "1 open answer is awaiting grading by an instructor" in html
    assert "Provisional score" not in html
    assert "None%" not in html
