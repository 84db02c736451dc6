from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from portal.quizzes.attempts import save_answer, start_attempt, submit_attempt
from portal.quizzes.models import Answer, Attempt, Quiz
from tests.quizzes.conftest import LESSON_4, LESSONS_DIR, load_lessons

QUIZ_FILE = "04-incident-management-on-call-and-escalation/quiz.yaml"


@pytest.fixture
def lessons(tmp_path: Path, db: None) -> Path:
    target = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, target)
    load_lessons(target)
    return target


def accept_31_only(lessons: Path) -> None:
    """Change the key of the time-to-restore question: 31, once wrong, becomes right."""
    path = lessons / QUIZ_FILE
    content = yaml.safe_load(path.read_text())
    question = next(
        q for q in content["questions"] if q["key"] == "compute-time-to-restore"
    )
    question["answers"] = [{"value": 31, "tolerance": 0}]
    path.write_text(yaml.safe_dump(content, sort_keys=False))


def test_it_reports_every_changed_score(lessons: Path, alice: User, bob: User) -> None:
    quiz = Quiz.objects.get(lesson__slug=LESSON_4)
    for learner, value in ((alice, "39"), (bob, "31")):
        attempt = start_attempt(learner, quiz)
        save_answer(attempt, "compute-time-to-restore", value)
        submit_attempt(attempt)
    accept_31_only(lessons)
    load_lessons(lessons)
    out = StringIO()

    call_command("regrade", LESSON_4, stdout=out)

    alices, bobs = Attempt.objects.get(user=alice), Attempt.objects.get(user=bob)
    assert (alices.score, bobs.score) == (0, 1)
    assert f"attempt {alices.pk} (alice, number 1): 1 -> 0 of 23" in out.getvalue()
    assert f"attempt {bobs.pk} (bob, number 1): 0 -> 1 of 23" in out.getvalue()
    assert "2 scores changed" in out.getvalue()
    answer = Answer.objects.get(attempt=alices, question__key="compute-time-to-restore")
    assert answer.version.number == 1
    assert answer.graded_version.number == 2


def test_an_unchanged_key_changes_no_score(lessons: Path, alice: User) -> None:
    quiz = Quiz.objects.get(lesson__slug=LESSON_4)
    submit_attempt(start_attempt(alice, quiz))
    out = StringIO()

    call_command("regrade", LESSON_4, stdout=out)

    assert "0 scores changed" in out.getvalue()


def test_it_refuses_a_lesson_without_a_quiz(db: None) -> None:
    with pytest.raises(CommandError, match="has no quiz"):
        call_command("regrade", "no-such-lesson")
