"""Oversize, malformed and forged posts: refused with a clear answer, nothing stored."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from portal.quizzes.models import Answer, DiscussionResponse
from portal.sandbox.models import RunAction
from tests.security.conftest import World
from tests.security.test_authorization_matrix import EXPECTED, _routes, _url

PORTAL_APPS = {"accounts", "classroom", "curriculum", "progress", "quizzes", "sandbox"}
MEGABYTE = 1_000_000


def _counts() -> dict[str, int]:
    """Rows per model of the portal's apps and of the user table."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS or model is User
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


def _discussion_url(world: World, key: str) -> str:
    return f"/lessons/{world.lesson.slug}/discussion/{key}/"


def _unanswered_key(world: World) -> str:
    question = world.lesson.discussion_questions.exclude(pk=world.question.pk).first()
    assert question is not None
    return question.key


def _answer(world: World, kind: str) -> Answer:
    answer = world.attempt.answers.select_related("question")
    first = answer.filter(question__kind=kind).order_by("position").first()
    assert first is not None
    return first


def _save_url(world: World, answer: Answer) -> str:
    attempt = f"/lessons/{world.lesson.slug}/quiz/attempts/{world.attempt.pk}"
    return f"{attempt}/answers/{answer.question.key}/"


def test_a_discussion_answer_of_a_megabyte_is_refused(
    world: World, learner_client: Client
) -> None:
    before = _counts()

    response = learner_client.post(
        _discussion_url(world, _unanswered_key(world)), {"text": "x" * MEGABYTE}
    )

    assert response.status_code == 400
    assert "too large, so nothing was saved" in response.content.decode()
    assert _counts() == before


def test_a_status_update_of_a_megabyte_is_refused(
    world: World, learner_client: Client
) -> None:
    post = {"kind": "status", "audience": "customer", "current_action": "Rollback"}

    response = learner_client.post(
        f"/runs/{world.active_run.pk}/actions/",
        {**post, "impact": "x" * MEGABYTE},
    )

    assert response.status_code == 400
    assert "too large, so nothing was saved" in response.content.decode()
    assert not RunAction.objects.filter(run=world.active_run).exists()


def test_a_command_of_a_megabyte_is_refused(
    world: World, learner_client: Client
) -> None:
    response = learner_client.post(
        f"/runs/{world.active_run.pk}/actions/",
        {"kind": "command", "command": "kubectl get pods " * 60_000},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert response.content.decode() == (
        "The submission was too large, so nothing was saved."
    )
    assert not RunAction.objects.filter(run=world.active_run).exists()


def test_a_list_where_a_short_answer_is_expected_keeps_one_string(
    world: World, learner_client: Client
) -> None:
    answer = _answer(world, "short")
    key = answer.question.key

    response = learner_client.post(_save_url(world, answer), {key: ["a", "b"]})

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.response == "b"


def test_a_json_body_stores_no_answer(world: World, learner_client: Client) -> None:
    answer = _answer(world, "short")
    small = json.dumps({answer.question.key: "OOMKilled"})

    response = learner_client.post(
        _save_url(world, answer), small, content_type="application/json"
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.response is None


def test_a_json_body_of_a_megabyte_answers_400(
    world: World, learner_client: Client
) -> None:
    answer = _answer(world, "short")
    huge = json.dumps({answer.question.key: ["x" * 1000] * 1000})

    response = learner_client.post(
        _save_url(world, answer), huge, content_type="application/json"
    )

    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.response is None


def test_a_numeric_answer_of_ten_thousand_digits_is_cut_and_graded_wrong(
    world: World, learner_client: Client
) -> None:
    answer = _answer(world, "numeric")

    response = learner_client.post(
        _save_url(world, answer), {answer.question.key: "9" * 10_000}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.response is None or len(answer.response) <= 500


def test_null_characters_in_a_typed_answer_are_refused(
    world: World, learner_client: Client
) -> None:
    answer = _answer(world, "short")

    response = learner_client.post(
        _save_url(world, answer), {answer.question.key: "OOM\x00Killed"}
    )

    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.response is None


def test_a_discussion_answer_with_a_null_character_is_refused(
    world: World, learner_client: Client
) -> None:
    before = _counts()

    response = learner_client.post(
        _discussion_url(world, _unanswered_key(world)),
        {"text": "Page the\x00 commander"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "null character" in response.content.decode()
    assert _counts() == before


def test_bytes_that_are_not_utf8_are_refused_not_read_as_latin1(
    world: World, learner_client: Client
) -> None:
    response = learner_client.generic(
        "POST",
        _discussion_url(world, _unanswered_key(world)),
        b"text=Page+the+\xff\xfe+commander",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert not DiscussionResponse.objects.exclude(pk=world.discussion.pk).exists()


@pytest.mark.parametrize("url", ["/classes/AB%00CD/", "/classes/join/AB%00CD/"])
def test_a_cohort_code_with_a_null_character_is_404(
    url: str, world: World, instructor_client: Client
) -> None:
    response = instructor_client.get(url)

    assert response.status_code == 404


def test_more_fields_than_allowed_answers_400(
    world: World, learner_client: Client
) -> None:
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    before = _counts()

    response = learner_client.post(
        _discussion_url(world, _unanswered_key(world)), {"text": "Hi", **fields}
    )

    assert response.status_code == 400
    assert _counts() == before


def test_a_body_over_the_memory_limit_answers_400(
    world: World, learner_client: Client
) -> None:
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
    before = _counts()

    response = learner_client.post(
        f"/runs/{world.active_run.pk}/actions/",
        {"kind": "command", "command": "x" * size},
    )

    assert response.status_code == 400
    assert _counts() == before


def _post_urls(world: World, role: str) -> list[str]:
    """Every URL that takes a POST from this role, by the matrix's expectations."""
    return [
        _url(route, world)
        for route in _routes()
        if EXPECTED[route.name][1][role] not in (405, 404)
    ]


@pytest.mark.parametrize("role", ["anonymous", "learner", "instructor"])
def test_every_post_without_a_csrf_token_answers_403_and_stores_nothing(
    role: str, world: World, request: pytest.FixtureRequest
) -> None:
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = _counts()
    body = {"text": "Forged", "name": "Forged", "code": "NIGHT123", "kind": "ack"}

    statuses = {
        url: client.post(url, body).status_code for url in _post_urls(world, role)
    }

    assert len(statuses) > 10
    assert set(statuses.values()) == {403}, statuses
    assert _counts() == before
