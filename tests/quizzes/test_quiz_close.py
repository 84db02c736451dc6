"""Quiz close dates: what closes, what is graded, and which review options apply."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from portal.quizzes.attempts import (
    QuizClosed,
    close_overdue,
    save_answer,
    start_attempt,
    submit_attempt,
)
from portal.quizzes.models import Attempt, Quiz
from portal.quizzes.review import review_allows
from tests.quizzes.conftest import (
    LESSON_4,
    LESSONS_DIR,
    QUIZ_4_FILE,
    QUIZ_URL,
    attempt_url,
    load_lessons,
)

CLOSES = dt.datetime(2026, 6, 30, 15, 0, tzinfo=dt.UTC)
BEFORE = CLOSES - dt.timedelta(hours=1)
AFTER = CLOSES + dt.timedelta(hours=1)
REVIEW = {
    "after_attempt": ["answer"],
    "while_open": ["answer", "correctness"],
    "after_close": ["answer", "correctness", "points", "right_answer"],
}


@pytest.fixture
def closing(quiz: Quiz) -> Quiz:
    quiz.closes_at = CLOSES
    quiz.review = REVIEW
    quiz.save()
    return quiz


def lessons_with_close_date(tmp_path: Path, line: str) -> Path:
    target = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, target)
    quiz_file = target / QUIZ_4_FILE.parent.name / QUIZ_4_FILE.name
    quiz_file.write_text(
        quiz_file.read_text().replace("pass_mark: 70\n", f"pass_mark: 70\n{line}\n")
    )
    return target


@pytest.mark.django_db
def test_closes_at_loads_from_quiz_yaml_with_its_offset(tmp_path: Path) -> None:
    lessons = lessons_with_close_date(tmp_path, "closes_at: 2026-06-30T17:00:00+02:00")

    load_lessons(lessons)

    assert Quiz.objects.get(lesson__slug=LESSON_4).closes_at == CLOSES


@pytest.mark.django_db
def test_removing_closes_at_reopens_the_quiz(tmp_path: Path) -> None:
    load_lessons(lessons_with_close_date(tmp_path, "closes_at: 2026-06-30T15:00:00Z"))

    load_lessons()

    assert Quiz.objects.get(lesson__slug=LESSON_4).closes_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-06-30T17:00:00", "expected a time zone offset"),
        ("next tuesday", "expected an ISO date and time"),
    ],
)
def test_a_close_date_without_offset_or_unreadable_is_refused_with_its_line(
    tmp_path: Path, value: str, message: str
) -> None:
    lessons = lessons_with_close_date(tmp_path, f"closes_at: {value}")

    with pytest.raises(CommandError) as caught:
        load_lessons(lessons)

    assert f"quiz.yaml:6: closes_at: {message}" in str(caught.value)


def test_review_options_follow_the_close_date(closing: Quiz, alice: User) -> None:
    with time_machine.travel(BEFORE, tick=False):
        attempt, _ = submit_attempt(start_attempt(alice, closing))

    assert review_allows(attempt, BEFORE + dt.timedelta(minutes=1)) == {"answer"}
    assert review_allows(attempt, BEFORE + dt.timedelta(minutes=5)) == {
        "answer",
        "correctness",
    }
    assert review_allows(attempt, AFTER) == set(REVIEW["after_close"])


def test_without_a_close_date_while_open_applies_forever(
    quiz: Quiz, alice: User
) -> None:
    quiz.review = REVIEW
    quiz.save()
    attempt, _ = submit_attempt(start_attempt(alice, quiz))

    later = attempt.submitted_at + dt.timedelta(days=3650)

    assert review_allows(attempt, later) == {"answer", "correctness"}


def test_the_review_page_shows_the_right_answer_only_after_closing(
    alice_client: Client, closing: Quiz, alice: User
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        attempt = start_attempt(alice, closing)
        save_answer(attempt, "severity-purpose", "blame")
        submit_attempt(attempt)
    review_url = attempt_url(attempt, "review/")

    with time_machine.travel(BEFORE + dt.timedelta(minutes=10), tick=False):
        while_open = alice_client.get(review_url).content.decode()
    with time_machine.travel(AFTER, tick=False):
        after_close = alice_client.get(review_url).content.decode()

    assert "Right answer" not in while_open
    assert "Incorrect" in while_open
    assert "Right answer" in after_close
    assert "Score:" in after_close


@time_machine.travel(AFTER, tick=False)
def test_no_attempt_starts_after_closing(
    alice_client: Client, closing: Quiz, alice: User
) -> None:
    with pytest.raises(QuizClosed):
        start_attempt(alice, closing)

    response = alice_client.post(f"{QUIZ_URL}attempts/", follow=True)

    html = response.content.decode()
    assert "This quiz is closed; no new attempts can start." in html
    assert "This quiz closed on" in html
    assert "Start the quiz" not in html
    assert not Attempt.objects.exists()


def test_answers_are_refused_after_closing(
    alice_client: Client, closing: Quiz, alice: User
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        attempt = start_attempt(alice, closing)

    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(QuizClosed):
            save_answer(attempt, "severity-purpose", "agreed-response")
        response = alice_client.post(
            attempt_url(attempt, "answers/severity-purpose/"),
            {"severity-purpose": "agreed-response"},
            headers={"HX-Request": "true"},
        )

    assert (
        "The quiz has closed; this answer was not saved." in response.content.decode()
    )
    assert attempt.answers.get(question__key="severity-purpose").response is None


def test_an_attempt_opened_after_closing_is_graded_on_what_was_saved(
    alice_client: Client, closing: Quiz, alice: User
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        attempt = start_attempt(alice, closing)
        save_answer(attempt, "severity-purpose", "agreed-response")

    with time_machine.travel(AFTER, tick=False):
        response = alice_client.get(attempt_url(attempt), follow=True)

    attempt.refresh_from_db()
    assert response.redirect_chain[-1][0] == attempt_url(attempt, "review/")
    assert "The quiz has closed: your attempt was submitted" in (
        response.content.decode()
    )
    assert attempt.state == "submitted"
    assert attempt.submitted_at == CLOSES
    assert attempt.score == 1.0


def test_a_time_limit_ends_at_the_close_date_when_that_comes_first(
    alice_client: Client, closing: Quiz, alice: User
) -> None:
    closing.time_limit_minutes = 120
    closing.save()
    with time_machine.travel(BEFORE, tick=False):
        attempt = start_attempt(alice, closing)
        html = alice_client.get(attempt_url(attempt)).content.decode()

    assert f'data-deadline="{CLOSES.isoformat()}"' in html
    assert "The quiz closes: submit by" in html


def test_close_overdue_grades_attempts_past_the_time_limit_or_the_close(
    closing: Quiz, alice: User, bob: User
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        timed_out = start_attempt(alice, closing)
        save_answer(timed_out, "severity-purpose", "agreed-response")
        running = start_attempt(bob, closing)
    Attempt.objects.filter(pk=timed_out.pk).update(
        deadline=BEFORE + dt.timedelta(minutes=30)
    )

    with time_machine.travel(CLOSES - dt.timedelta(minutes=1), tick=False):
        first = close_overdue()
    with time_machine.travel(AFTER, tick=False):
        second = close_overdue()

    timed_out.refresh_from_db()
    running.refresh_from_db()
    assert [attempt.pk for attempt in first] == [timed_out.pk]
    assert [attempt.pk for attempt in second] == [running.pk]
    assert timed_out.score == 1.0
    assert timed_out.submitted_at == BEFORE + dt.timedelta(minutes=30)
    assert running.submitted_at == CLOSES


def test_the_close_overdue_command_reports_and_dry_runs(
    closing: Quiz, alice: User
) -> None:
    with time_machine.travel(BEFORE, tick=False):
        attempt = start_attempt(alice, closing)

    with time_machine.travel(AFTER, tick=False):
        out = StringIO()
        call_command("close_overdue", "--dry-run", stdout=out)
        attempt.refresh_from_db()
        assert attempt.state == "in_progress"
        assert "1 overdue attempt would be graded." in out.getvalue()

        out = StringIO()
        call_command("close_overdue", stdout=out)

    attempt.refresh_from_db()
    assert attempt.state == "submitted"
    assert "1 overdue attempt graded." in out.getvalue()
