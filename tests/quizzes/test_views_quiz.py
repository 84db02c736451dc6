from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from portal.quizzes.attempts import save_answer, start_attempt, submit_attempt
from portal.quizzes.models import Attempt, Quiz
from tests.quizzes.conftest import LESSON_4, QUIZ_URL


def test_it_shows_the_intro_and_settings(alice_client: Client, quiz: Quiz) -> None:
    response = alice_client.get(QUIZ_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your understanding" in html
    assert "<dt>Questions</dt><dd>23</dd>" in html
    assert "<dt>Pass mark</dt><dd>70%</dd>" in html
    assert "Start the quiz" in html


def test_it_lists_the_learners_attempts_only(
    alice_client: Client, quiz: Quiz, alice: User, bob: User
) -> None:
    first = start_attempt(alice, quiz)
    save_answer(first, "severity-purpose", "agreed-response")
    submit_attempt(first)
    submit_attempt(start_attempt(bob, quiz))

    html = alice_client.get(QUIZ_URL).content.decode()

    assert f'href="/lessons/{LESSON_4}/quiz/attempts/{first.pk}/review/"' in html
    assert html.count("<tr") == 2
    assert "1 / 23" in html
    assert "Start a new attempt" in html


def test_it_offers_to_continue_an_attempt_in_progress(
    alice_client: Client, attempt: Attempt
) -> None:
    html = alice_client.get(QUIZ_URL).content.decode()

    assert "Continue attempt 1" in html


def test_it_says_when_the_attempts_are_used_up(
    alice_client: Client, quiz: Quiz, alice: User
) -> None:
    Quiz.objects.update(max_attempts=1)
    quiz.refresh_from_db()
    submit_attempt(start_attempt(alice, quiz))

    html = alice_client.get(QUIZ_URL).content.decode()
    refused = alice_client.post(f"/lessons/{LESSON_4}/quiz/attempts/")

    assert "You have used all your attempts" in html
    assert refused.url == QUIZ_URL
    assert Attempt.objects.count() == 1


def test_an_unknown_lesson_has_no_quiz(alice_client: Client, quiz: Quiz) -> None:
    response = alice_client.get("/lessons/no-such-lesson/quiz/")

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client, quiz: Quiz) -> None:
    response = client.get(QUIZ_URL)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={QUIZ_URL}"


def test_the_quiz_page_query_count_is_pinned(
    alice_client: Client, quiz: Quiz, alice: User, django_assert_num_queries
) -> None:
    for _ in range(3):
        submit_attempt(start_attempt(alice, quiz))

    # Session, user, the quiz with its lesson and question count, the attempts.
    with django_assert_num_queries(4):
        alice_client.get(QUIZ_URL)
