from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.curriculum.models import Lesson
from portal.progress.models import LessonProgress
from portal.progress.services import mark_sections_read


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
    # The lesson, its sections and its questions.
    with django_assert_num_queries(3):
        client.get("/lessons/basics/")


def test_the_learner_query_count_is_pinned(
    learner_client: Client, basics: Lesson, django_assert_num_queries
) -> None:
    learner_client.get("/lessons/basics/")

    # Session and user, the three content queries, then the visit (a savepoint pair
    # around the read and the update) and the reads and results of the progress row.
    with django_assert_num_queries(11):
        learner_client.get("/lessons/basics/")
