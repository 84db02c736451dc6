from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.lib.middleware import TIME_ZONE_SESSION_KEY
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


def test_the_attempt_list_shows_a_score_as_it_is_now(
    alice_client: Client, quiz: Quiz, alice: User
) -> None:
    attempt, _ = submit_attempt(start_attempt(alice, quiz))
    before = alice_client.get(QUIZ_URL).content.decode()
    Attempt.objects.filter(pk=attempt.pk).update(score=11.5)

    after = alice_client.get(QUIZ_URL).content.decode()

    assert "<td>0 / 23 (0.0%)</td>" in before
    assert "<td>11.50 / 23 (50.0%)</td>" in after


def test_the_attempt_list_shows_times_in_the_learners_zone(
    alice_client: Client, quiz: Quiz, alice: User
) -> None:
    attempt = start_attempt(alice, quiz)
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)):
        submit_attempt(attempt)
    utc = alice_client.get(QUIZ_URL).content.decode()
    session = alice_client.session
    session[TIME_ZONE_SESSION_KEY] = "Asia/Kolkata"
    session.save()

    kolkata = alice_client.get(QUIZ_URL).content.decode()

    assert '<time datetime="2026-03-02T23:30:00+00:00">2 Mar 2026, 23:30</time>' in utc
    assert '<time datetime="2026-03-03T05:00:00+05:30">3 Mar 2026, 05:00</time>' in (
        kolkata
    )


def test_the_review_marks_its_own_attempt_in_the_list(
    alice_client: Client, quiz: Quiz, alice: User
) -> None:
    first, _ = submit_attempt(start_attempt(alice, quiz))
    second, _ = submit_attempt(start_attempt(alice, quiz))

    page = alice_client.get(f"{QUIZ_URL}attempts/{second.pk}/review/")
    quiz_page = alice_client.get(QUIZ_URL)

    rows = page.content.decode().split("<tr")[2:]
    assert 'aria-current="page"' not in rows[0]
    assert 'aria-current="page"' in rows[1]
    assert 'aria-current="page"' not in quiz_page.content.decode()
