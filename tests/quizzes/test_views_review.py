from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.quizzes.attempts import save_answer, start_attempt, submit_attempt
from portal.quizzes.models import Attempt, Quiz
from tests.quizzes.conftest import attempt_url

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
EXPLANATION = "Severity levels are a shared vocabulary for impact."
RIGHT_ANSWER = "Primary on-call for the owning service<br>Secondary on-call"


def set_review(after_attempt: list[str], while_open: list[str]) -> None:
    Quiz.objects.update(
        review={
            "after_attempt": after_attempt,
            "while_open": while_open,
            "after_close": ["answer", "correctness", "points", "explanation"],
        }
    )


@pytest.fixture
def submitted(attempt: Attempt) -> Attempt:
    save_answer(attempt, "severity-purpose", "blame")
    save_answer(attempt, "escalation-timeout", "25")
    with time_machine.travel(START, tick=False):
        attempt, _ = submit_attempt(attempt)
    return attempt


def test_double_submission_makes_one_graded_attempt(
    alice_client: Client, attempt: Attempt
) -> None:
    alice_client.post(attempt_url(attempt), {"escalation-timeout": "25"})

    first = alice_client.post(attempt_url(attempt, "submit/"))
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at
    second = alice_client.post(attempt_url(attempt, "submit/"))

    attempt.refresh_from_db()
    assert first.url == second.url == attempt_url(attempt, "review/")
    assert Attempt.objects.filter(state="submitted").count() == 1
    assert attempt.submitted_at == submitted_at
    assert attempt.score == 1.0


def test_submit_asks_for_confirmation(alice_client: Client, attempt: Attempt) -> None:
    alice_client.post(attempt_url(attempt), {"severity-purpose": "sla"})

    response = alice_client.get(attempt_url(attempt, "submit/"))

    assert "You have answered 1 of 23 questions." in response.content.decode()
    assert not Attempt.objects.get().is_submitted


def test_finishing_the_page_leads_to_the_confirmation(
    alice_client: Client, attempt: Attempt
) -> None:
    response = alice_client.post(attempt_url(attempt), {"finish": "1"})

    assert response.url == attempt_url(attempt, "submit/")


def test_a_submitted_attempt_sends_its_pages_to_the_review(
    alice_client: Client, submitted: Attempt
) -> None:
    response = alice_client.get(attempt_url(submitted))

    assert response.url == attempt_url(submitted, "review/")


def test_the_review_shows_everything_the_options_allow(
    alice_client: Client, submitted: Attempt
) -> None:
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        html = alice_client.get(attempt_url(submitted, "review/")).content.decode()

    assert "Score: 1 of 23" in html
    assert "So that the postmortem can assign the incident" in html
    assert "Incorrect" in html
    assert "25 minutes" in html
    assert EXPLANATION in html
    assert RIGHT_ANSWER in html


def test_the_review_hides_what_the_options_hold_back(
    alice_client: Client, submitted: Attempt
) -> None:
    set_review(after_attempt=["answer"], while_open=["answer", "explanation"])

    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        soon = alice_client.get(attempt_url(submitted, "review/")).content.decode()
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        later = alice_client.get(attempt_url(submitted, "review/")).content.decode()

    assert "So that the postmortem can assign the incident" in soon
    for hidden in (EXPLANATION, "Incorrect", "Score:", RIGHT_ANSWER):
        assert hidden not in soon
    assert EXPLANATION in later
    assert "Incorrect" not in later
    assert RIGHT_ANSWER not in later


def test_after_close_options_never_apply_without_a_close_date(
    alice_client: Client, submitted: Attempt
) -> None:
    set_review(after_attempt=[], while_open=[])

    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        html = alice_client.get(attempt_url(submitted, "review/")).content.decode()

    assert "do not show the details" in html
    assert EXPLANATION not in html
    assert "Not shown yet" in html


def test_the_review_lists_earlier_attempts(
    alice_client: Client, submitted: Attempt, quiz: Quiz, alice: User
) -> None:
    second, _ = submit_attempt(start_attempt(alice, quiz))

    html = alice_client.get(attempt_url(second, "review/")).content.decode()

    assert attempt_url(submitted, "review/") in html
    assert "Attempt 2" in html


def test_an_attempt_in_progress_has_no_review_yet(
    alice_client: Client, attempt: Attempt
) -> None:
    response = alice_client.get(attempt_url(attempt, "review/"))

    assert response.url == attempt_url(attempt)


def test_another_learner_cannot_review(
    client: Client, bob: User, submitted: Attempt
) -> None:
    client.force_login(bob)

    response = client.get(attempt_url(submitted, "review/"))

    assert response.status_code == 404


def test_the_review_page_query_count_does_not_grow_with_questions(
    alice_client: Client, quiz: Quiz, alice: User, django_assert_num_queries
) -> None:
    full, _ = submit_attempt(start_attempt(alice, quiz))
    quiz.questions.exclude(key="severity-purpose").update(is_retired=True)
    small, _ = submit_attempt(start_attempt(alice, quiz))

    with django_assert_num_queries(5):
        alice_client.get(attempt_url(full, "review/"))
    with django_assert_num_queries(5):
        response = alice_client.get(attempt_url(small, "review/"))

    assert response.content.decode().count('class="question-review"') == 1


def test_the_right_answer_leaves_out_answers_worth_nothing(
    alice_client: Client, attempt: Attempt
) -> None:
    submit_attempt(attempt)

    html = alice_client.get(attempt_url(attempt, "review/")).content.decode()

    section = html[html.index('id="q-compute-time-to-restore"') :]
    section = section[: section.index("</section>")]
    assert "39 minutes" in section
    assert "31 minutes" not in section
