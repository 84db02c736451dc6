from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from portal.curriculum.models import Lesson, Section
from portal.progress.models import Activity, LessonProgress
from portal.progress.services import (
    VISIT_INTERVAL,
    mark_sections_read,
    record_scenario_result,
)
from portal.progress.summary import learner_overview
from portal.sandbox.models import Scenario
from tests.curriculum.lesson_files import minimal
from tests.progress.lessons import basics_text, load_lessons, make_lesson

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


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
    # The first request renders the lesson's content (tests/curriculum pins that).
    client.get("/lessons/basics/")

    # The lesson with its quiz; the rest was rendered for every reader alike.
    with django_assert_num_queries(1):
        client.get("/lessons/basics/")


def test_the_learner_query_count_is_pinned(
    learner_client: Client, basics: Lesson, django_assert_num_queries
) -> None:
    learner_client.get("/lessons/basics/")

    # Session and user; the lesson with its quiz; the progress row, flagged whether
    # another lesson was visited since; the sections read (and scenarios finished,
    # for a rule that asks for them); the learner's answers. A visit just recorded
    # is not written again.
    with django_assert_num_queries(6):
        learner_client.get("/lessons/basics/")


def test_a_visit_after_the_interval_costs_one_update_more(
    learner_client: Client, basics: Lesson, django_assert_num_queries
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        learner_client.get("/lessons/basics/")

    with (
        time_machine.travel(MONDAY + VISIT_INTERVAL, tick=False),
        django_assert_num_queries(7),
    ):
        learner_client.get("/lessons/basics/")


def test_visits_within_the_interval_are_written_once(
    learner_client: Client, learner: User, basics: Lesson
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        learner_client.get("/lessons/basics/")
    with time_machine.travel(MONDAY + timedelta(minutes=4), tick=False):
        learner_client.get("/lessons/basics/")

    progress = LessonProgress.objects.get(user=learner, lesson=basics)
    assert progress.first_opened_at == MONDAY
    assert progress.last_visited_at == MONDAY

    with time_machine.travel(MONDAY + timedelta(minutes=6), tick=False):
        learner_client.get("/lessons/basics/")

    progress.refresh_from_db()
    assert progress.first_opened_at == MONDAY
    assert progress.last_visited_at == MONDAY + timedelta(minutes=6)


def test_going_back_to_a_lesson_within_the_interval_still_moves_continue(
    learner_client: Client, learner: User, tmp_path: Path
) -> None:
    load_lessons(
        tmp_path / "lessons",
        {"01-basics": basics_text(), "02-next": minimal(slug="next", number=2)},
    )
    for minute, slug in [(0, "basics"), (1, "next"), (2, "basics")]:
        with time_machine.travel(MONDAY + timedelta(minutes=minute), tick=False):
            learner_client.get(f"/lessons/{slug}/")

    visits = dict(LessonProgress.objects.values_list("lesson__slug", "last_visited_at"))
    continue_at = learner_overview(learner).continue_at
    assert visits == {
        "basics": MONDAY + timedelta(minutes=2),
        "next": MONDAY + timedelta(minutes=1),
    }
    assert continue_at is not None
    assert continue_at.lesson.slug == "basics"


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
