"""What a learner may see of each question: while answering, and when reviewing.

The attempt page is built only from texts and keys, never from fractions, accepted
answers or explanations, so no template can leak an answer key by mistake. Review pages
add exactly the items the quiz's review options allow at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from portal.quizzes import grading
from portal.quizzes.attempts import ordering_list
from portal.quizzes.forms import field_name
from portal.quizzes.models import Answer, Attempt, Question, Quiz

# Moodle's reading of "immediately after the attempt": the first two minutes after
# submitting. After that the quiz is "later, while still open".
IMMEDIATELY_AFTER = timedelta(minutes=2)


@dataclass
class Choice:
    value: str
    text: str
    id: str
    selected: bool = False


@dataclass
class Row:
    """One item of an ordering question or one left-hand side of a matching question."""

    label: str
    name: str
    id: str
    selected: str = ""


@dataclass
class QuestionItem:
    """A question as its template shows it, with only what the learner may see."""

    key: str
    kind: str
    number: int
    text: str
    points: int
    answered: bool
    choices: list[Choice] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    value: str = ""
    unit: str = ""
    name: str = ""
    locked: bool = False
    # Filled only when the quiz's options (or a checked immediate answer) allow it.
    your_answer: list[str] | None = None
    verdict: str = ""
    points_awarded: float | None = None
    feedback: str = ""
    explanation: str = ""
    right_answer: list[str] | None = None
    # An open answer that counts for the score: waiting for an instructor's mark, or
    # marked (its verdict, points and feedback then come from the instructor).
    awaiting_grading: bool = False
    marked_by_instructor: bool = False


def question_item(attempt: Attempt, answer: Answer) -> QuestionItem:
    """Build the answering view of one question, in the attempt's option order."""
    version, key = answer.version, answer.question.key
    data, response = version.data, answer.response
    order = attempt.option_order.get(key, [])
    item = QuestionItem(
        key=key,
        kind=answer.question.kind,
        number=answer.position + 1,
        text=version.text,
        points=answer.question.points,
        answered=answer.is_answered,
        name=field_name(key),
        locked=answer.checked_at is not None,
        unit=data.get("unit", ""),
    )
    if item.kind in ("single", "multiple"):
        texts = {option["key"]: option["text"] for option in data["options"]}
        picked = response if isinstance(response, list) else [response]
        item.choices = [
            Choice(value, texts[value], f"q-{key}-{value}", value in picked)
            for value in order
            if value in texts
        ]
    elif item.kind == "truefalse":
        item.choices = [
            Choice("true", "True", f"q-{key}-true", response is True),
            Choice("false", "False", f"q-{key}-false", response is False),
        ]
    elif item.kind == "ordering":
        texts = {entry["key"]: entry["text"] for entry in data["items"]}
        given = response if isinstance(response, dict) else {}
        item.rows = [
            Row(
                texts[value],
                field_name(key, value),
                f"q-{key}-{value}",
                str(given.get(value, "")),
            )
            for value in order
            if value in texts
        ]
        item.positions = list(range(1, len(item.rows) + 1))
    elif item.kind == "matching":
        given = response if isinstance(response, dict) else {}
        item.choices = [Choice(value, value, "") for value in order]
        item.rows = [
            Row(
                pair["left"],
                field_name(key, index),
                f"q-{key}-{index}",
                given.get(pair["left"], ""),
            )
            for index, pair in enumerate(data["pairs"])
        ]
    else:
        item.value = response if isinstance(response, str) else ""
    if item.locked:
        _add_check_feedback(item, answer)
    return item


def _add_check_feedback(item: QuestionItem, answer: Answer) -> None:
    """Show a checked immediate-feedback answer its result and the explanation."""
    item.verdict = verdict(answer.fraction)
    item.feedback = answer.feedback
    item.explanation = answer.version.explanation


def verdict(fraction: float | None) -> str:
    if fraction is None:
        return "Not graded automatically"
    mark = grading.Mark(fraction)
    if mark.is_correct:
        return "Correct"
    return "Partly correct" if mark.is_partial else "Incorrect"


def review_allows(attempt: Attempt, now: datetime | None = None) -> set[str]:
    """The review items the quiz shows for this attempt at this moment.

    As in Moodle, the first minutes after submitting count as "immediately after" even
    when the quiz has closed meanwhile; after that the quiz is either still open or
    closed.
    """
    if not attempt.is_submitted or attempt.submitted_at is None:
        return set()
    now = now or timezone.now()
    review: dict[str, list[str]] = attempt.quiz.review or {}
    if now - attempt.submitted_at <= IMMEDIATELY_AFTER:
        return set(review.get("after_attempt", []))
    if attempt.quiz.is_closed(now):
        return set(review.get("after_close", []))
    return set(review.get("while_open", []))


def awaits_grading(answer: Answer) -> bool:
    """Whether the answer waits for an instructor's mark that will count in the score.

    Open questions are marked by hand; one worth no points never counts, so nothing
    waits for it.
    """
    question = answer.question
    return (
        question.kind == Question.Kind.OPEN
        and question.points > 0
        and answer.fraction is None
    )


def review_item(attempt: Attempt, answer: Answer, allowed: set[str]) -> QuestionItem:
    """Build the review of one question with only the allowed items filled in.

    That an open answer awaits grading is shown whatever the options: it says nothing
    about the answer. An instructor's mark is shown like any other, as they allow.
    """
    item = question_item(attempt, answer)
    item.locked = True
    item.verdict = item.feedback = item.explanation = ""
    item.awaiting_grading = awaits_grading(answer)
    item.marked_by_instructor = (
        answer.question.kind == Question.Kind.OPEN and answer.fraction is not None
    )
    key_version = answer.graded_version or answer.version
    if "answer" in allowed:
        item.your_answer = learner_answer(answer)
    if "correctness" in allowed:
        item.verdict = (
            "Awaiting grading" if item.awaiting_grading else verdict(answer.fraction)
        )
    if "points" in allowed:
        item.points_awarded = answer.points
    if "explanation" in allowed:
        item.feedback = answer.feedback
        item.explanation = key_version.explanation
    if "right_answer" in allowed:
        item.right_answer = right_answer(answer.question.kind, key_version.data)
    return item


def learner_answer(answer: Answer) -> list[str]:
    """The learner's response in words, one line per part."""
    data, response = answer.version.data, answer.response
    kind = answer.question.kind
    if response in (None, "", [], {}):
        return []
    if kind in ("single", "multiple"):
        texts = {option["key"]: option["text"] for option in data["options"]}
        picked = response if isinstance(response, list) else [response]
        return [texts[value] for value in picked if value in texts]
    if kind == "truefalse":
        return ["True" if response is True else "False"]
    if kind == "ordering":
        texts = {entry["key"]: entry["text"] for entry in data["items"]}
        keys = ordering_list(response) or []
        return [texts[value] for value in keys if value in texts]
    if kind == "matching" and isinstance(response, dict):
        return [f"{left} → {right}" for left, right in response.items()]
    return [str(response)]


def right_answer(kind: str, data: dict[str, Any]) -> list[str]:
    """The right answer in words, one line per part."""
    if kind == "single":
        best = max(option["fraction"] for option in data["options"])
        return [o["text"] for o in data["options"] if o["fraction"] == best]
    if kind == "multiple":
        return [o["text"] for o in data["options"] if o["fraction"] > 0]
    if kind == "truefalse":
        return ["True" if data["answer"] else "False"]
    if kind == "ordering":
        return [entry["text"] for entry in data["items"]]
    if kind == "matching":
        return [f"{pair['left']} → {pair['right']}" for pair in data["pairs"]]
    if kind == "numeric":
        unit = data.get("unit", "")
        return [_numeric_text(a, unit) for a in data["answers"] if _full_marks(a)]
    if kind == "short":
        return [a["text"] for a in data["accepted"] if _full_marks(a)]
    return [data.get("model_answer", "")]


def _full_marks(answer: dict[str, Any]) -> bool:
    return grading.Mark(answer.get("fraction", 1.0)).is_correct


def _numeric_text(answer: dict[str, Any], unit: str) -> str:
    if answer.get("min") is not None:
        text = f"{answer['min']:g} to {answer['max']:g}"
    elif answer.get("tolerance"):
        text = f"{answer['value']:g} ± {answer['tolerance']:g}"
    else:
        text = f"{answer['value']:g}"
    return f"{text} {unit}".strip()


def quiz_settings(quiz: Quiz) -> list[tuple[str, str]]:
    """The settings a learner should know before starting, as label and value."""
    return [
        ("Pass mark", f"{quiz.pass_mark}%"),
        (
            "Time limit",
            f"{quiz.time_limit_minutes} minutes" if quiz.time_limit_minutes else "None",
        ),
        ("Attempts allowed", str(quiz.max_attempts or "Unlimited")),
        (
            "Closes",
            date_format(timezone.localtime(quiz.closes_at), "j F Y, H:i T")
            if quiz.closes_at
            else "Never",
        ),
        ("Grade kept", quiz.get_grading_display()),
        ("Feedback", quiz.get_feedback_display()),
    ]
