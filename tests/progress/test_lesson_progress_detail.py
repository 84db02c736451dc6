from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from portal.curriculum.models import Lesson
from portal.progress.services import mark_sections_read


def test_it_shows_the_learners_own_progress(
    learner_client: Client, learner: User, basics: Lesson
) -> None:
    mark_sections_read(learner, basics, ["simple"])

    response = learner_client.get("/dashboard/lessons/basics/")

    assert response.status_code == 200
    assert b"ELI5 Explanation" in response.content
    assert b'value="50"' in response.content


def test_another_learner_gets_404(
    other_learner_client: Client, learner: User, basics: Lesson
) -> None:
    mark_sections_read(learner, basics, ["simple"])

    response = other_learner_client.get("/dashboard/lessons/basics/")

    assert response.status_code == 404


def test_anonymous_users_are_sent_to_sign_in_and_back(
    client: Client, learner: User, basics: Lesson
) -> None:
    mark_sections_read(learner, basics, ["simple"])

    response = client.get("/dashboard/lessons/basics/")

    assert response["Location"] == "/accounts/login/?next=/dashboard/lessons/basics/"


def test_another_learners_lesson_page_shows_only_their_own_progress(
    other_learner_client: Client, learner: User, basics: Lesson
) -> None:
    mark_sections_read(learner, basics, ["simple", "questions"])

    response = other_learner_client.get("/lessons/basics/")

    assert (
        b'<progress id="lesson-progress-bar" max="100" value="0">' in response.content
    )
    assert b"0 of 2 sections read." in response.content
