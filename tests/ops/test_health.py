from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from pytest_django.fixtures import Settings


def _redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_it_answers_ok_when_database_and_cache_work(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
    }


def test_it_is_never_cached(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_it_names_the_database_when_it_fails(client: Client, db: None) -> None:
    with mock.patch(
        "portal.lib.health.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["cache"] == "ok"


def test_it_names_the_cache_when_it_fails(client: Client, db: None) -> None:
    with mock.patch("portal.lib.health.cache.set", side_effect=ConnectionError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_it_is_not_redirected_to_https(
    client: Client, db: None, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.skipif(not _redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_it_works_with_redis_and_notices_when_redis_is_gone(
    client: Client, db: None
) -> None:
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    running = {"default": {**redis_cache, "LOCATION": "redis://127.0.0.1:6379/15"}}
    gone = {"default": {**redis_cache, "LOCATION": "redis://127.0.0.1:1/0"}}

    with override_settings(CACHES=running):
        assert client.get("/healthz").status_code == 200
    with override_settings(CACHES=gone):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
