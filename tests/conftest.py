"""Fixtures shared by every app's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

REPO_DIR = Path(__file__).resolve().parent.parent
LESSONS_DIR = REPO_DIR / "lessons"
LESSON_4 = "incident-management-on-call-and-escalation"


@pytest.fixture
def curriculum(db: None) -> None:
    """The real curriculum from lessons/, loaded as `make run` loads it."""
    call_command("load_curriculum", lessons_dir=LESSONS_DIR, verbosity=0)


@pytest.fixture
def lessons_copy(tmp_path: Path) -> Path:
    """A writable copy of lessons/ for tests that change content and reload it."""
    target = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, target)
    return target


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Settings) -> None:
    """Serve static files without the manifest, which only exists after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
