from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from portal.classroom.models import ResponseGrade
from portal.classroom.services import grade_answer
from portal.progress.models import LessonProgress
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


ESSAY = "Page the incident commander, then post a status update."


@pytest.fixture
def lessons_with_essay(tmp_path: Path, db: None) -> Path:
    """Lesson 4 with an open question worth 2 points added: the quiz is out of 25."""
    target = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, target)
    path = target / QUIZ_FILE
    content = yaml.safe_load(path.read_text())
    content["questions"].append(
        {
            "key": "first-steps-essay",
            "kind": "open",
            "points": 2,
            "text": "What do you do in the first five minutes of a SEV1?",
            "model_answer": "Acknowledge, declare, name a commander, update status.",
            "explanation": "The first minutes decide who leads and who is told.",
        }
    )
    path.write_text(yaml.safe_dump(content, sort_keys=False))
    load_lessons(target)
    return target


def submitted_with_essay(learner: User, time_to_restore: str) -> Attempt:
    quiz = Quiz.objects.get(lesson__slug=LESSON_4)
    attempt = start_attempt(learner, quiz)
    save_answer(attempt, "compute-time-to-restore", time_to_restore)
    save_answer(attempt, "first-steps-essay", ESSAY)
    submitted, _ = submit_attempt(attempt)
    return submitted


def essay_of(attempt: Attempt) -> Answer:
    return Answer.objects.get(attempt=attempt, question__key="first-steps-essay")


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


def test_a_regrade_keeps_an_instructors_mark_and_counts_it(
    lessons_with_essay: Path, alice: User, bob: User
) -> None:
    charlie = User.objects.create_user("charlie")
    alices = submitted_with_essay(alice, "39")
    bobs = submitted_with_essay(bob, "31")
    grade_answer(essay_of(alices), 1.5, "Name the commander first.", charlie)
    alices.refresh_from_db()
    assert (alices.score, alices.max_score) == (2.5, 25)
    accept_31_only(lessons_with_essay)
    load_lessons(lessons_with_essay)
    out = StringIO()

    call_command("regrade", LESSON_4, stdout=out)

    alices.refresh_from_db()
    bobs.refresh_from_db()
    # Alice: the key change costs her the numeric point; the essay's 1.5 still counts.
    assert (alices.score, alices.max_score) == (1.5, 25)
    assert f"attempt {alices.pk} (alice, number 1): 2.5 -> 1.5 of 25" in out.getvalue()
    # Bob's essay is not marked yet: it counts in neither the score nor the maximum.
    assert (bobs.score, bobs.max_score) == (1, 23)
    assert f"attempt {bobs.pk} (bob, number 1): 0 -> 1 of 23" in out.getvalue()
    essay = essay_of(alices)
    assert (essay.fraction, essay.points) == (0.75, 1.5)
    assert essay.feedback == "Name the commander first."
    assert essay_of(bobs).fraction is None
    progress = LessonProgress.objects.get(user=alice)
    assert progress.quiz_best_score == 6.0


def test_a_regrade_without_a_new_key_leaves_a_marked_attempt_alone(
    lessons_with_essay: Path, alice: User
) -> None:
    attempt = submitted_with_essay(alice, "39")
    grade_answer(essay_of(attempt), 2, "", User.objects.create_user("charlie"))
    out = StringIO()

    call_command("regrade", LESSON_4, stdout=out)

    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score) == (3, 25)
    assert "0 scores changed" in out.getvalue()
    assert essay_of(attempt).points == 2


def test_a_regrade_puts_back_a_mark_an_earlier_regrade_cleared(
    lessons_with_essay: Path, alice: User
) -> None:
    attempt = submitted_with_essay(alice, "39")
    charlie = User.objects.create_user("charlie")
    grade_answer(essay_of(attempt), 0.5, "Too vague.", charlie)
    grade_answer(essay_of(attempt), 1, "Better on a second reading.", charlie)
    # What a regrade that dropped manual marks left behind.
    Answer.objects.filter(pk=essay_of(attempt).pk).update(
        fraction=None, points=None, feedback=""
    )
    Attempt.objects.filter(pk=attempt.pk).update(score=1, max_score=23)
    out = StringIO()

    call_command("regrade", LESSON_4, stdout=out)

    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score) == (2, 25)
    assert f"attempt {attempt.pk} (alice, number 1): 1 -> 2 of 25" in out.getvalue()
    essay = essay_of(attempt)
    assert (essay.fraction, essay.feedback) == (0.5, "Better on a second reading.")
    assert ResponseGrade.objects.count() == 2
