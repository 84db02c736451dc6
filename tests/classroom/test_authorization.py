"""Every instructor URL of a cohort answers 404 or a sign-in redirect to outsiders."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import Cohort, Extension, Membership
from portal.curriculum.models import DiscussionQuestion
from portal.quizzes.models import DiscussionResponse
from tests.classroom.builders import (
    assign,
    make_attempt,
    make_lesson,
    make_quiz,
    make_scenario,
    play_run,
)

DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)

# Filled in by the `world` fixture, whose ids are the same in every test database.
GET_URLS = [
    "/classes/NIGHT123/",
    "/classes/NIGHT123/matrix/",
    "/classes/NIGHT123/learners/{learner}/",
    "/classes/NIGHT123/assignments/new/",
    "/classes/NIGHT123/assignments/{assignment}/",
    "/classes/NIGHT123/review/attempts/{attempt}/",
    "/classes/NIGHT123/review/runs/{run}/",
    "/classes/NIGHT123/review/runs/{run}/?step=1",
    "/classes/NIGHT123/review/assignments/{assignment}/learners/{learner}/override/",
    "/classes/NIGHT123/grading/",
    "/classes/NIGHT123/statistics/quiz/lesson-1/",
    "/classes/NIGHT123/statistics/quiz/lesson-1/?attempts=all",
    "/classes/NIGHT123/statistics/scenario/checkout-incident/",
    "/classes/NIGHT123/export/grades.csv",
    "/classes/NIGHT123/export/responses.csv",
]
POST_URLS = [
    "/classes/NIGHT123/instructors/",
    "/classes/NIGHT123/members/{membership}/remove/",
    "/classes/NIGHT123/assignments/new/",
    "/classes/NIGHT123/assignments/{assignment}/",
    "/classes/NIGHT123/assignments/{assignment}/delete/",
    "/classes/NIGHT123/assignments/{assignment}/reset/",
    "/classes/NIGHT123/assignments/{assignment}/extensions/",
    "/classes/NIGHT123/assignments/{assignment}/extensions/{extension}/delete/",
    "/classes/NIGHT123/review/assignments/{assignment}/learners/{learner}/override/",
    "/classes/NIGHT123/grading/answers/{answer}/",
    "/classes/NIGHT123/grading/discussions/{discussion}/",
]


@pytest.fixture
def world(cohort: Cohort, learner: User, instructor: User) -> dict[str, int]:
    """One of everything in Charlie's cohort, for Alice."""
    lesson = make_lesson(1)
    quiz = make_quiz(lesson, ["single", "open"])
    scenario = make_scenario(lesson)
    attempt = make_attempt(learner, quiz, {"q1": 1}, responses={"q2": "An essay."})
    run = play_run(learner, scenario, ["ack", "declare"])
    assignment = assign(cohort, quiz, DUE)
    assign(cohort, scenario, DUE)
    extension = Extension.objects.create(
        assignment=assignment, user=learner, extra_minutes=60
    )
    question = DiscussionQuestion.objects.create(
        lesson=lesson, key="why", level="beginner", group_title="Basics",
        text="Why page?", position=1,
    )  # fmt: skip
    discussion = DiscussionResponse.objects.create(
        user=learner, question=question, text="Because.",
        submitted_at=DUE, updated_at=DUE,
    )  # fmt: skip
    return {
        "learner": learner.pk,
        "assignment": assignment.pk,
        "attempt": attempt.pk,
        "answer": attempt.answers.get(question__key="q2").pk,
        "run": run.pk,
        "extension": extension.pk,
        "discussion": discussion.pk,
        "membership": Membership.objects.get(cohort=cohort, user=learner).pk,
    }


def _urls(templates: list[str], world: dict[str, int]) -> list[str]:
    return [template.format(**world) for template in templates]


def test_the_cohorts_instructor_can_open_every_page(
    instructor_client: Client, world: dict[str, int]
) -> None:
    statuses = {
        url: instructor_client.get(url).status_code for url in _urls(GET_URLS, world)
    }

    assert set(statuses.values()) == {200}, statuses


@pytest.mark.parametrize("who", ["other_instructor_client", "learner_client"])
def test_outsiders_get_404_on_every_get_url(
    who: str,
    world: dict[str, int],
    other_cohort: Cohort,
    request: pytest.FixtureRequest,
) -> None:
    client: Client = request.getfixturevalue(who)

    statuses = {url: client.get(url).status_code for url in _urls(GET_URLS, world)}

    assert set(statuses.values()) == {404}, statuses


@pytest.mark.parametrize("who", ["other_instructor_client", "learner_client"])
def test_outsiders_get_404_on_every_post_url_and_nothing_changes(
    who: str,
    world: dict[str, int],
    other_cohort: Cohort,
    request: pytest.FixtureRequest,
) -> None:
    client: Client = request.getfixturevalue(who)
    data = {"username": "dana", "score": "0", "reason": "x", "points": "0", "mark": "0"}

    statuses = {
        url: client.post(url, data).status_code for url in _urls(POST_URLS, world)
    }

    assert set(statuses.values()) == {404}, statuses
    assert Membership.objects.filter(cohort__code="NIGHT123").count() == 2
    assert Extension.objects.count() == 1
    assert not DiscussionResponse.objects.filter(graded_at__isnull=False).exists()


def test_anonymous_users_are_sent_to_sign_in_from_every_url(
    client: Client, world: dict[str, int]
) -> None:
    gets = {url: client.get(url) for url in _urls(GET_URLS, world)}
    posts = {url: client.post(url) for url in _urls(POST_URLS, world)}

    for url, response in gets.items():
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/classes/"), url
    for url, response in posts.items():
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/classes/"), url


def test_an_instructor_sees_only_the_cohorts_they_teach(
    other_instructor_client: Client, cohort: Cohort, other_cohort: Cohort
) -> None:
    response = other_instructor_client.get("/classes/")

    html = response.content.decode()
    assert "Day shift" in html
    assert "Night shift" not in html


def test_attempts_of_learners_outside_the_cohort_are_404(
    instructor_client: Client, cohort: Cohort, other_learner: User
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    attempt = make_attempt(other_learner, quiz, {"q1": 1})

    response = instructor_client.get(f"/classes/NIGHT123/review/attempts/{attempt.pk}/")

    assert response.status_code == 404
