"""Fixtures shared by every app's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from portal.accounts.models import Profile
from portal.accounts.roles import grant_instructor

REPO_DIR = Path(__file__).resolve().parent.parent
LESSONS_DIR = REPO_DIR / "lessons"
LESSON_4 = "incident-management-on-call-and-escalation"

# Every account of the named cast signs in with this password.
PASSWORD = "correct-horse-battery"


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


def _account(username: str, display_name: str, instructor: bool = False) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@example.com", password=PASSWORD
    )
    Profile.objects.create(user=user, display_name=display_name, time_zone="UTC")
    if instructor:
        grant_instructor(user)
    return user


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner(db: None) -> User:
    """Alice, a learner: the account most tests act as."""
    return _account("alice", "Alice")


@pytest.fixture
def other_learner(db: None) -> User:
    """Bob, a second learner, who must never see or change Alice's data."""
    return _account("bob", "Bob")


@pytest.fixture
def instructor(db: None) -> User:
    """Charlie, an instructor."""
    return _account("charlie", "Charlie", instructor=True)


@pytest.fixture
def other_instructor(db: None) -> User:
    """Dana, an instructor of other classes: an outsider to Charlie's."""
    return _account("dana", "Dana", instructor=True)


@pytest.fixture
def learner_client(learner: User) -> Client:
    return _client_for(learner)


@pytest.fixture
def other_learner_client(other_learner: User) -> Client:
    return _client_for(other_learner)


@pytest.fixture
def instructor_client(instructor: User) -> Client:
    return _client_for(instructor)


@pytest.fixture
def other_instructor_client(other_instructor: User) -> Client:
    return _client_for(other_instructor)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start every test with empty caches: sign-in throttling and run states live in
    Django's cache, rendered lesson bodies and articles in this process's memos."""
    from django.core.cache import cache

    from portal.curriculum.article import forget_articles
    from portal.curriculum.body import forget_bodies

    cache.clear()
    forget_bodies()
    forget_articles()


def pytest_report_header() -> str:
    """Say which database the suite runs on, since CI runs it on two."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})"
