"""Fixtures for the production and operations tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

REPO_DIR = Path(__file__).resolve().parent.parent.parent

# A production-shaped secret key: long and varied enough for `check --deploy`.
PRODUCTION_SECRET_KEY = "q8Zt3-vN1xKp0Lr7Wm4sYc9Hb2Ge6Jd5Fa_Ui8Oo1Ee3Tt7Rr0Ww4Qq6Yy2Xx"

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": PRODUCTION_SECRET_KEY,
    "ALLOWED_HOSTS": "portal.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
}


def run_python(
    args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run the venv's Python in the repository with only the given environment."""
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start and end with an empty cache, where sign-in failures are counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Throttling tests sign in dozens of times; a slow hash only makes them slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
