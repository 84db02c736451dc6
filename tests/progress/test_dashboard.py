from __future__ import annotations

from datetime import datetime, timezone

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile
from portal.progress.services import (
    mark_sections_read,
    record_quiz_result,
    record_scenario_result,
    record_visit,
)
from tests.progress.lessons import make_lesson

NOON_UTC = datetime(2025, 6, 2, 12, 0, tzinfo=timezone.utc)


def test_anonymous_users_are_sent_to_sign_in_and_back(client: Client) -> None:
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_it_shows_overall_and_per_lesson_progress(
    learner_client: Client, learner: User
) -> None:
    first, second = make_lesson(1), make_lesson(2)
    mark_sections_read(learner, first, ["simple", "technical"])
    record_visit(learner, second)

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert '<progress id="overall-progress" max="100" value="50">' in html
    assert "1 of 2 lessons complete" in html
    assert '<progress id="progress-lesson-1" max="100" value="100">' in html
    assert '<progress id="progress-lesson-2" max="100" value="0">' in html
    assert (
        'href="/lessons/lesson-2/#section-simple">Continue where you left off' in html
    )


def test_continue_links_to_the_exact_place(
    learner_client: Client, learner: User
) -> None:
    lesson = make_lesson(1, kinds=["simple", "technical", "summary"])
    mark_sections_read(learner, lesson, ["simple"])

    response = learner_client.get("/dashboard/")

    assert (
        b'href="/lessons/lesson-1/#section-technical">Continue where'
        in response.content
    )


def test_times_are_shown_in_the_learners_time_zone(
    learner_client: Client, learner: User
) -> None:
    Profile.objects.filter(user=learner).update(time_zone="Asia/Tokyo")
    lesson = make_lesson(1, completion={"sections": "all", "quiz": "pass"})
    record_quiz_result(learner, lesson, score=85.5, passed=True, at=NOON_UTC)
    record_scenario_result(learner, lesson, "checkout", score=70, at=NOON_UTC)

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert "2 Jun 2025, 21:00" in html
    assert "85.5%" in html
    assert "Quiz (passed)" in html
    assert "Scenario checkout" in html
    assert "Times are in Asia/Tokyo" in html


@time_machine.travel(NOON_UTC, tick=False)
def test_recent_activity_is_listed_newest_first(
    learner_client: Client, learner: User
) -> None:
    lesson = make_lesson(1)
    mark_sections_read(learner, lesson, ["simple"])

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert html.index("Read a section (Simple)") < html.index("Started the lesson")
    assert "2 Jun 2025, 12:00" in html


def fill(learner: User, lessons: int) -> None:
    for number in range(1, lessons + 1):
        lesson = make_lesson(number)
        mark_sections_read(learner, lesson, ["simple"])
        mark_sections_read(learner, lesson, ["technical"])
        record_quiz_result(learner, lesson, score=number, passed=False)
        record_scenario_result(learner, lesson, "checkout", score=number)


@pytest.mark.parametrize("lessons", [3, 30])
def test_the_query_count_does_not_grow_with_lessons_or_activity(
    learner_client: Client, learner: User, lessons: int, django_assert_num_queries
) -> None:
    fill(learner, lessons)

    # The first request also checks, once per connection, for JSON support.
    learner_client.get("/dashboard/")

    # Session, user, lessons with the progress rows and scenario results, their
    # sections flagged read, recent activity with the profile and the cohort flag.
    with django_assert_num_queries(5):
        response = learner_client.get("/dashboard/")

    assert response.content.count(b"<progress ") == lessons + 1


def test_a_learner_with_no_activity_takes_as_many_queries(
    learner_client: Client, django_assert_num_queries
) -> None:
    make_lesson(1)

    # The first request also checks, once per connection, for JSON support.
    learner_client.get("/dashboard/")

    # Session, user, lessons (which say there is no activity), their sections, then
    # the profile with the cohort flag.
    with django_assert_num_queries(5):
        response = learner_client.get("/dashboard/")

    assert b"Nothing yet." in response.content
