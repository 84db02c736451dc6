from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.quizzes.attempts import grade_response
from portal.quizzes.models import Question, QuestionVersion, Quiz
from tests.quizzes.conftest import LESSON_4, load_lessons

# Four questions, then a calculated question (line 17) and a description (line 19).
SMALL = """\
// A small file for the import tests: four questions and one block to skip.

::IC duty:: What does the incident commander mainly do? {
    =Coordinate the response # Yes.
    ~Debug the service # Others do that.
}

::Ack stops it:: An acknowledgement stops the escalation.{T}

::Restore time:: Minutes from 01:52 to 02:31? {#39:0}

Pair each metric. {
    =MTTA -> time to acknowledge
    =MTTR -> time to restore
}

::Calculated:: What is {x} + {y}? {#=}

::Intro::[html]<p>The timeline follows.</p>
"""


Run = Callable[..., tuple[str, str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run import_gift on the small file; return what it wrote to stdout and stderr."""
    path = tmp_path / "small.gift"
    path.write_text(SMALL, encoding="utf-8")

    def run_command(*args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("import_gift", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    return run_command


def test_a_dry_run_prints_the_questions_and_writes_nothing(
    quiz: Quiz, run: Run
) -> None:
    before = QuestionVersion.objects.count()

    out, err = run("--lesson", LESSON_4, "--dry-run")

    questions = json.loads(out)
    assert [q["kind"] for q in questions] == [
        "single",
        "truefalse",
        "numerical",
        "matching",
        "description",
    ]
    assert questions[0]["title"] == "IC duty"
    assert questions[0]["options"][0] == {
        "text": "Coordinate the response",
        "fraction": 1.0,
        "feedback": "Yes.",
    }
    assert questions[1]["answer"] is True
    assert questions[2]["answers"][0]["value"] == 39
    assert questions[3]["pairs"][0] == {"left": "MTTA", "right": "time to acknowledge"}
    assert "line 17:" in err
    assert QuestionVersion.objects.count() == before


def test_it_adds_the_questions_to_the_lessons_quiz(quiz: Quiz, run: Run) -> None:
    out, err = run("--lesson", LESSON_4)

    imported = quiz.questions.filter(source="gift").order_by("position")
    assert [q.key for q in imported] == [
        "ic-duty",
        "ack-stops-it",
        "restore-time",
        "pair-each-metric",
    ]
    assert imported[0].position == 23
    assert imported[0].versions.get().data["options"][1]["fraction"] == 0.0
    assert "Imported 4 questions" in out
    assert "skipped 2" in out
    assert "line 17:" in err
    assert "line 19: a description block is not a question" in err


def test_importing_twice_adds_nothing(quiz: Quiz, run: Run) -> None:
    run("--lesson", LESSON_4)

    run("--lesson", LESSON_4)

    assert quiz.questions.filter(source="gift").count() == 4
    assert not Question.objects.filter(version__gt=1).exists()


def test_it_creates_a_quiz_for_a_lesson_without_one(quiz: Quiz, run: Run) -> None:
    lesson = quiz.lesson
    quiz.delete()

    run("--lesson", LESSON_4)

    created = Quiz.objects.get(lesson=lesson)
    assert created.questions.count() == 4


def test_a_curriculum_reload_keeps_imported_questions(quiz: Quiz, run: Run) -> None:
    run("--lesson", LESSON_4)

    load_lessons()

    assert quiz.questions.filter(source="gift", is_retired=False).count() == 4


def test_it_refuses_an_unknown_lesson(db: None, run: Run) -> None:
    with pytest.raises(CommandError, match="no lesson"):
        run("--lesson", "no-such-lesson")


DETAILS = """\
$CATEGORY: $course$/Incident management/Escalation

::Ack stops it:: An acknowledgement stops the escalation.{TRUE#Not quite: it only pauses this tier.#Yes: the page stops moving on.}

::Commander::[html]<p>Who <b>coordinates</b>?</p>{
    =Incident commander#[html]<em>Right</em>, the IC.
    ~Scribe#[html]<p>The scribe <b>records</b>.</p>
    ####[html]<p>One person <i>coordinates</i>.</p>
}

$CATEGORY: $course$/Metrics

::MTTA:: Minutes from page to acknowledgement? {#4:0}
"""


@pytest.fixture
def details(tmp_path: Path) -> Run:
    path = tmp_path / "details.gift"
    path.write_text(DETAILS, encoding="utf-8")

    def run_command(*args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("import_gift", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    return run_command


def test_true_false_feedback_is_kept_and_given_for_the_value_picked(
    quiz: Quiz, details: Run
) -> None:
    details("--lesson", LESSON_4)

    version = QuestionVersion.objects.get(question__key="ack-stops-it")
    attempt_feedback = {
        picked: grade_response("truefalse", version.data, picked).feedback
        for picked in (True, False)
    }
    assert version.data == {
        "answer": True,
        "feedback_true": "Yes: the page stops moving on.",
        "feedback_false": "Not quite: it only pauses this tier.",
    }
    assert attempt_feedback == {
        True: "Yes: the page stops moving on.",
        False: "Not quite: it only pauses this tier.",
    }


def test_the_category_path_is_stored_on_each_question(quiz: Quiz, details: Run) -> None:
    details("--lesson", LESSON_4)

    categories = dict(
        quiz.questions.filter(source="gift").values_list("key", "category")
    )
    assert categories == {
        "ack-stops-it": "$course$/Incident management/Escalation",
        "commander": "$course$/Incident management/Escalation",
        "mtta": "$course$/Metrics",
    }
    assert not quiz.questions.filter(source="file").exclude(category="").exists()


def test_html_feedback_and_general_feedback_keep_their_words_only(
    quiz: Quiz, details: Run
) -> None:
    details("--lesson", LESSON_4)

    version = QuestionVersion.objects.get(question__key="commander")
    assert version.text == "Who coordinates?"
    assert [o["feedback"] for o in version.data["options"]] == [
        "Right, the IC.",
        "The scribe records.",
    ]
    assert version.explanation == "One person coordinates."
