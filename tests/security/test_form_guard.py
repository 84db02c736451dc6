"""Form posts that are too large or not UTF-8 text: 400, a clear answer, nothing stored.

Each view gets the same body twice: once well formed, which it stores, and once with
the fault, which it must not. The fault replaces WORD, so the two posts differ in it only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from portal.quizzes.models import Answer
from tests.security.conftest import World
from tests.security.test_bad_input import _counts

URLENCODED = "application/x-www-form-urlencoded"
CSRF_SECRET = "a" * 32
WELL_FORMED = b"caf%C3%A9"  # "café", percent-encoded UTF-8 as a browser sends it
FAULTS = {
    "latin-1 percent-encoded": b"caf%E9",
    "latin-1 raw": b"caf\xe9",
    "null percent-encoded": b"caf%00",
    "null raw": b"caf\x00",
    "truncated sequence": b"caf%C3",
}


# The views that store what they are sent, one of each kind of form.
VIEWS = [
    "quiz answer",
    "discussion response",
    "sandbox command",
    "cohort create",
    "sign-up",
]


@dataclass
class Target:
    """A view that stores what it is sent, and the client allowed to send it."""

    url: str
    fields: dict[str, str]
    client: str


def _targets(world: World) -> dict[str, Target]:
    attempt = f"/lessons/{world.lesson.slug}/quiz/attempts/{world.attempt.pk}"
    short = world.attempt.answers.filter(question__kind="short").first()
    assert short is not None
    discussion = world.lesson.discussion_questions.exclude(pk=world.question.pk)
    unanswered = discussion.first()
    assert unanswered is not None
    return {
        "quiz answer": Target(
            f"{attempt}/answers/{short.question.key}/",
            {short.question.key: "OOM WORD"},
            "learner",
        ),
        "discussion response": Target(
            f"/lessons/{world.lesson.slug}/discussion/{unanswered.key}/",
            {"text": "Page the commander at the WORD"},
            "learner",
        ),
        "sandbox command": Target(
            f"/runs/{world.active_run.pk}/actions/",
            {"kind": "command", "command": "kubectl get pods -n WORD"},
            "learner",
        ),
        "cohort create": Target(
            "/classes/", {"name": "Night WORD", "time_zone": "UTC"}, "instructor"
        ),
        "sign-up": Target(
            "/accounts/signup/",
            {
                "username": "erin",
                "email": "erin@example.com",
                "password1": "WORD-horse-battery-7",
                "password2": "WORD-horse-battery-7",
            },
            "anonymous",
        ),
    }


def _body(target: Target, word: bytes) -> bytes:
    return urlencode(target.fields).encode().replace(b"WORD", word)


def _stored() -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """Every row count, and every saved answer, which a save changes in place."""
    answers = Answer.objects.order_by("pk").values_list("response", "saved_at")
    return _counts(), list(answers)


@pytest.fixture
def clients(learner: User, instructor: User) -> Callable[[str], Client]:
    def client_for(role: str, enforce_csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf)
        if role != "anonymous":
            client.force_login(learner if role == "learner" else instructor)
        return client

    return client_for


def _post(client: Client, url: str, body: bytes, **extra: Any) -> Any:
    return client.generic("POST", url, body, content_type=URLENCODED, **extra)


@pytest.mark.parametrize("name", VIEWS)
def test_each_view_stores_a_well_formed_post_and_nothing_of_a_faulty_one(
    name: str, world: World, clients: Callable[[str], Client]
) -> None:
    target = _targets(world)[name]
    client = clients(target.client)
    before = _stored()

    refused = {
        fault: _post(client, target.url, _body(target, word)).status_code
        for fault, word in FAULTS.items()
    }
    unchanged = _stored()
    accepted = _post(client, target.url, _body(target, WELL_FORMED))

    assert refused == dict.fromkeys(FAULTS, 400)
    assert unchanged == before
    assert accepted.status_code in (200, 302)
    assert _stored() != before


@pytest.mark.parametrize("name", VIEWS)
def test_each_view_refuses_a_body_over_the_limit_with_a_clear_page(
    name: str, world: World, clients: Callable[[str], Client]
) -> None:
    target = _targets(world)[name]
    client = clients(target.client)
    before = _stored()

    response = _post(
        client,
        target.url,
        _body(target, b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your request could not be accepted" in html
    assert "The submission was too large, so nothing was saved." in html
    assert _stored() == before


def test_a_body_just_under_the_limit_reaches_the_view(
    world: World, clients: Callable[[str], Client]
) -> None:
    target = _targets(world)["discussion response"]
    body = _body(target, b"")
    padding = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len(body)

    response = _post(clients("learner"), target.url, _body(target, b"x" * padding))

    # The view's own limit of 10,000 characters answers, not the guard.
    assert response.status_code == 302


def test_the_limit_is_256_kib() -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 256 * 1024


def test_htmx_gets_one_plain_sentence(
    world: World, clients: Callable[[str], Client]
) -> None:
    target = _targets(world)["sandbox command"]

    response = _post(
        clients("learner"),
        target.url,
        _body(target, FAULTS["latin-1 percent-encoded"]),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("The submission held characters")


@pytest.mark.parametrize("value", ["Night\x00 shift", "Night \ufffd shift"])
def test_multipart_text_fields_are_checked_too(
    value: str, world: World, instructor_client: Client
) -> None:
    before = _stored()

    response = instructor_client.post("/classes/", {"name": value, "time_zone": "UTC"})

    assert response.status_code == 400
    assert _stored() == before


def test_multipart_bytes_that_are_not_utf8_are_refused(
    world: World, instructor_client: Client
) -> None:
    body = (
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="name"\r\n\r\n'
        b"Caf\xe9 shift\r\n"
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="time_zone"\r\n\r\n'
        b"UTC\r\n"
        b"--BoUnDaRy--\r\n"
    )
    before = _stored()

    response = instructor_client.generic(
        "POST",
        "/classes/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )

    assert response.status_code == 400
    assert _stored() == before


def test_a_get_with_odd_bytes_in_its_query_is_left_to_the_view(
    world: World, learner_client: Client
) -> None:
    response = learner_client.get("/classes/", {"q": "caf\xe9"})

    assert response.status_code == 200


# CSRF: the guard runs first, and a well-formed post still needs its token.


def _with_token(target: Target, word: bytes, token: bool) -> bytes:
    body = _body(target, word)
    return body + f"&csrfmiddlewaretoken={CSRF_SECRET}".encode() if token else body


@pytest.mark.parametrize("name", ["discussion response", "cohort create", "sign-up"])
def test_the_csrf_check_still_applies_to_well_formed_posts(
    name: str, world: World, clients: Callable[..., Client]
) -> None:
    target = _targets(world)[name]
    client = clients(target.client, enforce_csrf=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    before = _stored()

    forged = _post(client, target.url, _with_token(target, WELL_FORMED, token=False))
    faulty = {
        token: _post(
            client, target.url, _with_token(target, b"caf%00", token=token)
        ).status_code
        for token in (False, True)
    }
    unchanged = _stored()
    genuine = _post(client, target.url, _with_token(target, WELL_FORMED, token=True))

    assert forged.status_code == 403
    assert faulty == {False: 400, True: 400}
    assert unchanged == before
    assert genuine.status_code in (200, 302)
    assert _stored() != before


@pytest.mark.parametrize("charset", ["latin-1", "utf8", "UTF-16", "x-unknown"])
@pytest.mark.parametrize("name", ["discussion response", "sign-up"])
def test_a_form_declared_in_another_charset_is_refused_not_an_error(
    name: str, charset: str, world: World, clients: Callable[[str], Client]
) -> None:
    """Django raises on any declared charset but UTF-8, and again inside its error
    handlers (which read the form for the CSRF check), which would answer 500."""
    target = _targets(world)[name]
    client = clients(target.client)
    before = _stored()

    response = client.generic(
        "POST",
        target.url,
        _body(target, WELL_FORMED),
        content_type=f"{URLENCODED}; charset={charset}",
    )

    assert response.status_code == 400
    assert b"not sent as UTF-8 text" in response.content
    assert _stored() == before


def test_a_form_declared_as_utf8_is_read(
    world: World, clients: Callable[[str], Client]
) -> None:
    target = _targets(world)["discussion response"]
    client = clients(target.client)
    before = _stored()

    response = client.generic(
        "POST",
        target.url,
        _body(target, WELL_FORMED),
        content_type=f"{URLENCODED}; charset=UTF-8",
    )

    assert response.status_code in (200, 302)
    assert _stored() != before


def _multipart_with_file(text: bytes, file_size: int) -> bytes:
    return (
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="text"\r\n\r\n' + text + b"\r\n"
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="upload"; filename="big.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + b"x" * file_size + b"\r\n"
        b"--BoUnDaRy--\r\n"
    )


@pytest.mark.parametrize(
    ("file_size", "message"),
    [(400 * 1024, b"too large"), (10, b"No form here takes files")],
)
def test_a_multipart_post_with_a_file_part_is_refused(
    file_size: int,
    message: bytes,
    world: World,
    clients: Callable[[str], Client],
) -> None:
    """Django counts only text fields against the size limit, and no view here
    takes uploads: a file part, large or small, is refused and nothing stored."""
    target = _targets(world)["discussion response"]
    client = clients(target.client)
    before = _stored()

    response = client.generic(
        "POST",
        target.url,
        _multipart_with_file(b"Page the commander", file_size),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )

    assert response.status_code == 400
    assert message in response.content
    assert _stored() == before
