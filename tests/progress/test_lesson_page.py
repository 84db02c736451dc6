from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from portal.curriculum.models import Lesson, Section
from portal.progress.models import Activity, LessonProgress
from portal.progress.services import mark_sections_read, record_scenario_result
from portal.sandbox.models import Scenario
from tests.progress.lessons import make_lesson


@pytest.mark.usefixtures("basics")
def test_it_invites_anonymous_readers_to_sign_in(client: Client) -> None:
    response = client.get("/lessons/basics/")

    assert response.status_code == 200
    assert b"Sign in to track your progress" in response.content
    assert b"/accounts/login/?next=/lessons/basics/" in response.content
    assert b"Mark" not in response.content
    assert not LessonProgress.objects.exists()


def test_it_shows_the_learners_progress_and_controls(
    learner_client: Client, learner: User, basics: Lesson
) -> None:
    mark_sections_read(learner, basics, ["simple"])

    response = learner_client.get("/lessons/basics/")

    html = response.content.decode()
    assert '<progress id="lesson-progress-bar" max="100" value="50">' in html
    assert "1 of 2 sections read." in html
    assert 'action="/lessons/basics/sections/questions/read/"' in html
    assert 'action="/lessons/basics/sections/simple/read/"' not in html
    assert 'action="/lessons/basics/read/"' in html
    assert 'hx-trigger="submit, intersect once"' in html
    assert "I've read to the end</button>" in html


def test_a_visit_records_first_opened_and_last_visited(
    learner_client: Client, learner: User, basics: Lesson
) -> None:
    learner_client.get("/lessons/basics/")

    progress = LessonProgress.objects.get(user=learner, lesson=basics)
    assert progress.first_opened_at is not None
    assert progress.last_visited_at == progress.first_opened_at


@pytest.mark.usefixtures("basics")
def test_the_anonymous_query_count_is_pinned(
    client: Client, django_assert_num_queries
) -> None:
    # The sections with their lesson and quiz, the scenarios, the questions.
    with django_assert_num_queries(3):
        client.get("/lessons/basics/")


def test_the_learner_query_count_is_pinned(
    learner_client: Client, basics: Lesson, django_assert_num_queries
) -> None:
    learner_client.get("/lessons/basics/")

    # Session and user; the sections with their lesson, quiz, progress row and read
    # flags; the scenarios, each flagged finished or not; the questions with the
    # learner's answers; then the visit, a single UPDATE.
    with django_assert_num_queries(6):
        learner_client.get("/lessons/basics/")


def test_the_first_visit_starts_the_lesson_once(
    learner_client: Client, learner: User, basics: Lesson
) -> None:
    learner_client.get("/lessons/basics/")
    learner_client.get("/lessons/basics/")

    kinds = Activity.objects.filter(user=learner).values_list("kind", flat=True)
    assert list(kinds) == ["started"]


def test_a_lesson_without_current_sections_still_opens(
    learner_client: Client, learner: User
) -> None:
    lesson = make_lesson(1)
    Section.objects.filter(lesson=lesson).update(is_retired=True)

    response = learner_client.get("/lessons/lesson-1/")

    assert response.status_code == 200
    assert b"Lesson number 1" in response.content
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()


def test_a_finished_scenario_still_counts_once_it_is_retired(
    learner_client: Client, learner: User
) -> None:
    rule = {"sections": "none", "quiz": "none", "scenarios": ["checkout"]}
    lesson = make_lesson(1, completion=rule)
    Scenario.objects.create(
        lesson=lesson,
        slug="checkout",
        title="Checkout is down",
        data={"summary": "Find out why."},
        is_retired=True,
        loaded_at=timezone.now(),
    )
    record_scenario_result(learner, lesson, "checkout", score=80)

    response = learner_client.get("/lessons/lesson-1/")

    html = response.content.decode()
    assert '<progress id="lesson-progress-bar" max="100" value="100">' in html
    assert "Checkout is down" not in html
