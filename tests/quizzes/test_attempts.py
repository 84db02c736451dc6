from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.quizzes.attempts import (
    AttemptClosed,
    AttemptLimitReached,
    TimeUp,
    quiz_result,
    save_answer,
    start_attempt,
    submit_attempt,
)
from portal.quizzes.models import Answer, Attempt, Quiz

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_it_resumes_the_attempt_in_progress(quiz: Quiz, alice: User) -> None:
    first = start_attempt(alice, quiz)

    second = start_attempt(alice, quiz)

    assert second.pk == first.pk
    assert Attempt.objects.count() == 1


def test_it_pins_every_question_version_at_the_start(attempt: Attempt) -> None:
    answers = attempt.answers.select_related("question", "version")

    assert answers.count() == 23
    assert all(a.version.number == a.question.version for a in answers)


def test_the_database_refuses_a_second_attempt_in_progress(
    attempt: Attempt, quiz: Quiz, alice: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            user=alice, quiz=quiz, number=2, started_at=timezone.now()
        )


def test_it_refuses_to_start_past_the_attempts_limit(quiz: Quiz, alice: User) -> None:
    quiz.max_attempts = 1
    quiz.save()
    submit_attempt(start_attempt(alice, quiz))

    with pytest.raises(AttemptLimitReached):
        start_attempt(alice, quiz)


def test_submitting_twice_grades_once(attempt: Attempt) -> None:
    save_answer(attempt, "severity-purpose", "agreed-response")

    first, first_submitted = submit_attempt(attempt)
    second, second_submitted = submit_attempt(attempt)

    assert (first_submitted, second_submitted) == (True, False)
    assert second.submitted_at == first.submitted_at
    assert second.score == first.score == 1.0
    assert second.max_score == 23.0


def test_it_refuses_answers_after_submission(attempt: Attempt) -> None:
    submit_attempt(attempt)

    with pytest.raises(AttemptClosed):
        save_answer(attempt, "severity-purpose", "agreed-response")


def test_the_time_limit_holds(quiz: Quiz, alice: User) -> None:
    quiz.time_limit_minutes = 10
    quiz.save()
    with time_machine.travel(START, tick=False) as clock:
        attempt = start_attempt(alice, quiz)
        save_answer(attempt, "severity-purpose", "agreed-response")

        clock.shift(dt.timedelta(minutes=10, seconds=1))
        with pytest.raises(TimeUp):
            save_answer(attempt, "ic-does-not-debug", "coordinate")
        graded, _ = submit_attempt(attempt)

    assert graded.score == 1.0
    assert graded.submitted_at == START + dt.timedelta(minutes=10)
    assert (
        Answer.objects.get(attempt=attempt, question__key="ic-does-not-debug").response
        is None
    )


def test_an_overdue_attempt_is_submitted_instead_of_resumed(
    quiz: Quiz, alice: User
) -> None:
    quiz.time_limit_minutes = 5
    quiz.save()
    with time_machine.travel(START, tick=False) as clock:
        overdue = start_attempt(alice, quiz)

        clock.shift(dt.timedelta(hours=1))
        fresh = start_attempt(alice, quiz)

    overdue.refresh_from_db()
    assert overdue.is_submitted
    assert fresh.number == 2


def test_option_order_is_drawn_once_per_attempt(attempt: Attempt) -> None:
    order = attempt.option_order

    attempt.refresh_from_db()

    assert attempt.option_order == order
    assert sorted(order["severity-purpose"]) == [
        "agreed-response",
        "blame",
        "metrics",
        "sla",
    ]
    assert order["escalation-tiers-order"] != [
        "primary",
        "secondary",
        "lead",
        "incident-manager",
    ]


@pytest.mark.parametrize(("method", "expected"), [("highest", 1), ("last", 2)])
def test_the_grading_method_picks_the_attempt_that_counts(
    quiz: Quiz, alice: User, method: str, expected: int
) -> None:
    first = start_attempt(alice, quiz)
    save_answer(first, "severity-purpose", "agreed-response")
    submit_attempt(first)
    submit_attempt(start_attempt(alice, quiz))
    attempts = list(Attempt.objects.filter(user=alice))

    result = quiz_result(attempts, method)

    assert result is not None
    assert result.number == expected
