"""The cast and content of the quiz tests: two learners and lesson 4's quiz."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from portal.quizzes.attempts import start_attempt
from portal.quizzes.models import Attempt, Quiz

REPO_DIR = Path(__file__).resolve().parent.parent.parent
LESSONS_DIR = REPO_DIR / "lessons"
LESSON_4 = "incident-management-on-call-and-escalation"
QUIZ_4_FILE = (
    LESSONS_DIR / "04-incident-management-on-call-and-escalation" / "quiz.yaml"
)
QUIZ_URL = f"/lessons/{LESSON_4}/quiz/"


def load_lessons(lessons_dir: Path = LESSONS_DIR) -> None:
    call_command("load_curriculum", lessons_dir=lessons_dir, verbosity=0)


@pytest.fixture
def quiz_content() -> dict:
    """Lesson 4's quiz.yaml as authors wrote it, to compare pages against."""
    return yaml.safe_load(QUIZ_4_FILE.read_text())


@pytest.fixture
def quiz(db: None) -> Quiz:
    load_lessons()
    return Quiz.objects.select_related("lesson").get(lesson__slug=LESSON_4)


@pytest.fixture
def alice(db: None) -> User:
    """A learner taking the quiz."""
    return User.objects.create_user("alice", password="not-used")


@pytest.fixture
def bob(db: None) -> User:
    """A second learner, who must never see alice's attempts."""
    return User.objects.create_user("bob", password="not-used")


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def attempt(quiz: Quiz, alice: User) -> Attempt:
    return start_attempt(alice, quiz)


def attempt_url(attempt: Attempt, tail: str = "") -> str:
    return f"/lessons/{LESSON_4}/quiz/attempts/{attempt.pk}/{tail}"
