from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from portal.quizzes.attempts import save_answer, start_attempt, submit_attempt
from portal.quizzes.models import Answer, Question, QuestionVersion, Quiz
from tests.quizzes.conftest import LESSON_4, LESSONS_DIR, load_lessons

QUIZ_FOLDER = "04-incident-management-on-call-and-escalation"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    target = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, target)
    return target


def edit_quiz(lessons: Path, change) -> None:
    path = lessons / QUIZ_FOLDER / "quiz.yaml"
    content = yaml.safe_load(path.read_text())
    change(content)
    path.write_text(yaml.safe_dump(content, sort_keys=False))


@pytest.mark.django_db
def test_it_loads_lesson_4_quiz_with_settings_and_versions() -> None:
    load_lessons()

    quiz = Quiz.objects.get(lesson__slug=LESSON_4)
    assert quiz.pass_mark == 70
    assert quiz.grading == "highest"
    assert quiz.feedback == "deferred"
    assert quiz.questions.count() == 23
    assert QuestionVersion.objects.filter(question__quiz=quiz).count() == 23


@pytest.mark.django_db
def test_it_gives_wrong_multiple_response_picks_a_cost() -> None:
    load_lessons()

    version = QuestionVersion.objects.get(question__key="declare-major-incident")

    # Three right options share the mark; two wrong ones share a full penalty, so
    # picking all five earns nothing.
    fractions = {o["key"]: o["fraction"] for o in version.data["options"]}
    assert fractions["checkout-down"] == pytest.approx(1 / 3)
    assert fractions["one-test-flaky"] == pytest.approx(-1 / 2)
    assert sum(fractions.values()) == pytest.approx(0)


@pytest.mark.django_db
def test_it_is_idempotent(lessons: Path) -> None:
    load_lessons(lessons)

    load_lessons(lessons)

    assert QuestionVersion.objects.count() == 23
    assert not Question.objects.filter(version__gt=1).exists()


@pytest.mark.django_db
def test_it_adds_a_version_only_for_changed_content(lessons: Path) -> None:
    load_lessons(lessons)

    def change(content: dict) -> None:
        content["questions"][0]["explanation"] = "A new explanation."

    edit_quiz(lessons, change)
    load_lessons(lessons)

    question = Question.objects.get(key="severity-purpose")
    assert question.version == 2
    assert question.versions.get(number=1).explanation != "A new explanation."
    assert question.versions.get(number=2).explanation == "A new explanation."
    assert QuestionVersion.objects.count() == 24


@pytest.mark.django_db
def test_it_retires_removed_questions_and_keeps_their_answers(
    lessons: Path, django_user_model
) -> None:
    load_lessons(lessons)
    learner = django_user_model.objects.create_user("carol")
    quiz = Quiz.objects.get(lesson__slug=LESSON_4)
    attempt = start_attempt(learner, quiz)
    save_answer(attempt, "severity-purpose", "agreed-response")
    submit_attempt(attempt)

    edit_quiz(lessons, lambda content: content["questions"].pop(0))
    load_lessons(lessons)

    assert Question.objects.get(key="severity-purpose").is_retired
    assert Answer.objects.filter(question__key="severity-purpose").count() == 1


@pytest.mark.django_db
def test_true_false_feedback_loads_and_empty_feedback_adds_no_version(
    lessons: Path,
) -> None:
    load_lessons(lessons)
    key = next(
        q["key"]
        for q in yaml.safe_load((lessons / QUIZ_FOLDER / "quiz.yaml").read_text())[
            "questions"
        ]
        if q["kind"] == "truefalse"
    )

    def change(content: dict) -> None:
        question = next(q for q in content["questions"] if q["key"] == key)
        question["feedback_true"] = "You picked true."
        question["feedback_false"] = "You picked false."

    edit_quiz(lessons, change)
    load_lessons(lessons)

    question = Question.objects.get(key=key)
    data = question.versions.get(number=2).data
    assert question.versions.get(number=1).data == {"answer": data["answer"]}
    assert (data["feedback_true"], data["feedback_false"]) == (
        "You picked true.",
        "You picked false.",
    )
    assert Question.objects.filter(version__gt=1).count() == 1


@pytest.mark.django_db
def test_a_question_cannot_change_kind_on_reload(tmp_path: Path) -> None:
    root = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, root)
    call_command("load_curriculum", lessons_dir=root, verbosity=0)
    quiz_file = root / "04-incident-management-on-call-and-escalation" / "quiz.yaml"
    text = quiz_file.read_text(encoding="utf-8")
    lines = text.splitlines()
    key_line = lines.index("  - key: ack-stops-escalation")
    block = "\n".join(lines[key_line : key_line + 4])
    assert block.endswith("    answer: true")
    quiz_file.write_text(
        text.replace(
            block,
            block.replace("kind: truefalse", "kind: open").replace(
                "    answer: true", "    model_answer: Yes, it stops the timer."
            ),
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as caught:
        call_command("load_curriculum", lessons_dir=root, verbosity=0)

    assert (
        f"lessons/04-incident-management-on-call-and-escalation/quiz.yaml:{key_line + 2}: "
        "the question 'ack-stops-escalation' was a truefalse question; a question "
        "cannot become open (give it a new key)" in str(caught.value)
    )
    assert Question.objects.get(key="ack-stops-escalation").kind == "truefalse"
