"""Production settings, checked in fresh processes with a clean environment."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

from tests.ops.conftest import PRODUCTION_ENV, REPO_DIR, run_python

SETUP = ["-c", "import django; django.setup()"]

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "engine": settings.DATABASES["default"]["ENGINE"],
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def _settings(env: dict[str, str]) -> dict[str, object]:
    result = run_python(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    settings: dict[str, object] = json.loads(result.stdout)
    return settings


def test_it_refuses_to_start_without_secret_key() -> None:
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]

    result = run_python(SETUP, env)

    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" not in result.stderr.splitlines()[-1]


def test_it_names_everything_that_is_missing() -> None:
    result = run_python(["manage.py", "check"], {"DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_it_starts_with_everything_required() -> None:
    result = run_python(SETUP, PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_uses_postgres_whitenoise_and_secure_defaults() -> None:
    settings = _settings(PRODUCTION_ENV)

    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["conn_max_age"] == 60
    assert settings["health_checks"] is True
    assert settings["storage"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert settings["ssl_redirect"] is True
    assert settings["proxy_header"] is None
    assert settings["hsts"] == 31_536_000
    assert settings["secure_cookies"] == [True, True]


def test_without_redis_the_cache_is_local_and_sessions_stay_in_the_database() -> None:
    settings = _settings(PRODUCTION_ENV)

    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["session"] == "django.contrib.sessions.backends.db"


def test_with_redis_it_caches_and_keeps_sessions_in_the_database_too() -> None:
    settings = _settings({**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"})

    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["session"] == "django.contrib.sessions.backends.cached_db"


def test_the_proxy_header_and_ssl_redirect_follow_the_environment() -> None:
    env = {
        **PRODUCTION_ENV,
        "TRUST_X_FORWARDED_PROTO": "true",
        "SECURE_SSL_REDIRECT": "false",
    }

    settings = _settings(env)

    assert settings["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["ssl_redirect"] is False


def _gunicorn_config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in ("WEB_CONCURRENCY", "BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(REPO_DIR) / "gunicorn.conf.py"))


def test_gunicorn_workers_and_bind_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _gunicorn_config(monkeypatch, WEB_CONCURRENCY="3", BIND="0.0.0.0:9000")

    assert config["workers"] == 3
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["wsgi_app"] == "portal.wsgi:application"


def test_gunicorn_workers_default_to_twice_the_cores_plus_one_capped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)

    config = _gunicorn_config(monkeypatch)

    assert config["workers"] == 12
    assert "%(M)s" in str(config["access_log_format"])
