"""Load a lesson's validated quiz.yaml into quizzes, questions and question versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.curriculum.models import Lesson
from portal.lib.yamldoc import ContentError, Problem
from portal.quizzes.models import Question, QuestionVersion, Quiz

if TYPE_CHECKING:
    from portal.curriculum.loader import LoadReport

_SETTINGS = (
    "title",
    "intro",
    "pass_mark",
    "time_limit_minutes",
    "max_attempts",
    "grading",
    "feedback",
    "one_per_page",
    "shuffle_options",
    "closes_at",
    "review",
)
_COMMON = ("key", "kind", "text", "points", "explanation", "category")
# Answer data that is left out when empty, so adding it to the schema did not give
# every existing question a new version.
_OMITTED_WHEN_EMPTY = ("feedback_true", "feedback_false")


def load_quiz(
    lesson: Lesson,
    content: dict[str, Any] | None,
    report: LoadReport,
    path: str = "quiz.yaml",
    key_lines: dict[str, int | None] | None = None,
) -> Quiz | None:
    """Create or update the lesson's quiz; retire questions that left the file.

    Idempotent: a question gets a new version only when its text, explanation or
    answer data changed. Nothing is deleted, so attempts keep the versions they pinned.
    """
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if content is None:
        if quiz is not None:
            _retire_missing(quiz, set(), report)
            if (
                not quiz.is_retired
                and not quiz.questions.filter(is_retired=False).exists()
            ):
                quiz.is_retired = True
                quiz.save(update_fields=["is_retired"])
                report.retired.append(f"quiz {lesson.slug}")
        return quiz

    values = {name: content[name] for name in _SETTINGS}
    if quiz is None:
        quiz = Quiz.objects.create(lesson=lesson, **values)
        report.created.append(f"quiz {lesson.slug}")
    else:
        changed = quiz.is_retired or any(
            getattr(quiz, name) != value for name, value in values.items()
        )
        if changed:
            for name, value in values.items():
                setattr(quiz, name, value)
            quiz.is_retired = False
            quiz.save()
            report.updated.append(f"quiz {lesson.slug}")

    for position, question in enumerate(content["questions"]):
        save_question(
            quiz,
            question,
            position,
            report,
            source=Question.Source.FILE,
            location=(path, (key_lines or {}).get(question["key"])),
        )
    _retire_missing(quiz, {q["key"] for q in content["questions"]}, report)
    return quiz


def save_question(
    quiz: Quiz,
    content: dict[str, Any],
    position: int,
    report: LoadReport,
    source: str,
    location: tuple[str, int | None] = ("quiz", None),
) -> Question:
    """Create the question or add a version when its content changed.

    A question keeps its kind for life: attempts pin versions of it, and a response
    given to a numeric question cannot be graded as a choice. A new kind needs a new key.
    """
    snapshot = {
        "text": content["text"],
        "explanation": content["explanation"],
        "data": answer_data(content),
    }
    question = Question.objects.filter(quiz=quiz, key=content["key"]).first()
    name = f"question {quiz.lesson.slug}/{content['key']}"
    if question is None:
        question = Question.objects.create(
            quiz=quiz,
            key=content["key"],
            kind=content["kind"],
            points=content["points"],
            position=position,
            source=source,
            category=content.get("category", ""),
        )
        QuestionVersion.objects.create(question=question, number=1, **snapshot)
        report.created.append(name)
        return question

    if question.kind != content["kind"]:
        raise ContentError(
            [
                Problem(
                    location[0],
                    location[1],
                    f"the question '{content['key']}' was a {question.kind} question; "
                    f"a question cannot become {content['kind']} (give it a new key)",
                )
            ]
        )
    current = question.versions.get(number=question.version)
    content_changed = any(
        getattr(current, field) != value for field, value in snapshot.items()
    )
    if content_changed:
        question.version += 1
        QuestionVersion.objects.create(
            question=question, number=question.version, **snapshot
        )
        report.updated.append(f"{name} (version {question.version})")
    elif (question.points, question.position, question.is_retired) != (
        content["points"],
        position,
        False,
    ):
        report.updated.append(name)
    question.kind = content["kind"]
    question.points = content["points"]
    question.position = position
    question.is_retired = False
    question.category = content.get("category", question.category)
    question.save()
    return question


def answer_data(content: dict[str, Any]) -> dict[str, Any]:
    """Return the answer data of a question, in the shape the grading functions take."""
    data = {
        name: value
        for name, value in content.items()
        if name not in _COMMON
        and name != "options"
        and not (name in _OMITTED_WHEN_EMPTY and not value)
    }
    if "options" in content:
        data["options"] = _options_with_fractions(content["kind"], content["options"])
    return data


def _options_with_fractions(
    kind: str, options: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Give each option the fraction it is worth; `correct` is shorthand for one.

    In a multiple-response question the right options share the full mark and the wrong
    ones share a full penalty, so picking every option earns nothing.
    """
    right = sum(1 for option in options if option.get("correct"))
    wrong = len(options) - right
    share = 1.0 / right if right else 0.0
    penalty = 1.0 / wrong if wrong else 0.0
    result = []
    for option in options:
        fraction = option.get("fraction")
        if fraction is None:
            if kind == "multiple":
                fraction = share if option.get("correct") else -penalty
            else:
                fraction = 1.0 if option.get("correct") else 0.0
        result.append(
            {
                "key": option["key"],
                "text": option["text"],
                "fraction": float(fraction),
                "feedback": option.get("feedback", ""),
            }
        )
    return result


def _retire_missing(quiz: Quiz, keys: set[str], report: LoadReport) -> None:
    missing = quiz.questions.filter(
        source=Question.Source.FILE, is_retired=False
    ).exclude(key__in=keys)
    for question in missing:
        question.is_retired = True
        question.save(update_fields=["is_retired"])
        report.retired.append(f"question {quiz.lesson.slug}/{question.key}")
