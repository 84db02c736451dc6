from __future__ import annotations

import logging

import pytest
from django.test import Client
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _production_errors(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.ops.urls"


def test_it_answers_a_missing_page_with_a_friendly_404(
    client: Client, db: None
) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"This page does not exist" in response.content
    assert b'href="/"' in response.content


def test_it_answers_a_refusal_with_a_friendly_403(client: Client, db: None) -> None:
    response = client.get("/test/forbidden/")

    assert response.status_code == 403
    assert b"You are not allowed to see this page" in response.content


def test_a_failed_csrf_check_gets_the_portals_own_page(db: None) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert b"This form has expired" in response.content
    assert b"nothing was saved" in response.content
    # Django's own page styles itself inline, which the Content Security Policy blocks.
    assert b"<style" not in response.content


def test_the_400_page_renders_without_the_database() -> None:
    # No db fixture: Django's handler of bad requests renders it without a request.
    response = Client().get("/test/suspicious/")

    assert response.status_code == 400
    assert b"Your request could not be accepted" in response.content
    assert b"nothing was saved" in response.content
    assert b"the request was odd" not in response.content
    assert b'href="/static/css/portal.css"' in response.content


def test_the_500_page_renders_without_the_database() -> None:
    # No db fixture: any query in the handler or the template fails the test.
    client = Client(raise_request_exception=False)

    response = client.get("/test/broken/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"the view broke" not in response.content
    assert b'href="/static/css/portal.css"' in response.content


def test_a_server_error_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(raise_request_exception=False)

    client.get("/test/broken/")

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "the view broke" in caplog.text
    assert "Traceback" in caplog.text


def test_django_errors_go_to_the_console_handler(settings: Settings) -> None:
    django_logger = settings.LOGGING["loggers"]["django"]

    assert django_logger["handlers"] == ["console"]
    assert settings.LOGGING["handlers"]["console"]["class"] == "logging.StreamHandler"
