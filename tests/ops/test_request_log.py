from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

LOGGER = "portal.lib.middleware"


def _lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER]


def test_it_logs_method_path_status_duration_and_user(
    learner_client: Client, learner: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)

    learner_client.get("/dashboard/")

    [record] = _lines(caplog)
    method, path, status, duration, user = record.args  # type: ignore[misc]
    assert (method, path, status, user) == ("GET", "/dashboard/", 200, str(learner.pk))
    assert duration > 0
    assert record.msg == "%s %s %s %.1fms user=%s"
    assert record.getMessage().startswith("GET /dashboard/ 200 ")


def test_it_logs_anonymous_requests_and_errors(
    client: Client, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)

    client.get("/no-such-page/")

    [record] = _lines(caplog)
    assert record.args[1:3] == ("/no-such-page/", 404)  # type: ignore[index]
    assert record.getMessage().endswith("user=-")


def test_it_logs_health_checks_quietly(
    client: Client, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)

    client.get("/healthz")

    assert _lines(caplog) == []


def test_it_adds_no_query_to_a_page_that_never_looks_at_the_user(
    learner_client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # The health check's own query and nothing else: no session, no user.
    with django_assert_num_queries(1):
        response = learner_client.get("/healthz")

    assert response.status_code == 200
