"""Plain JSON-ready dictionaries of parsed GIFT questions, as a dry run shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portal.quizzes.gift.model import (
    Choice,
    Matching,
    MultipleResponse,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

JsonDict = dict[str, Any]


def to_json_list(questions: Iterable[Question]) -> list[JsonDict]:
    """Return one dictionary per question, with the answer data of its kind."""
    return [question_to_json(question) for question in questions]


def question_to_json(question: Question) -> JsonDict:
    item: JsonDict = {
        "kind": question.kind,
        "title": question.title,
        "text": question.text,
    }
    # Only what differs from the defaults, so the common case stays short.
    if question.text_format != "moodle":
        item["text_format"] = question.text_format
    if question.text_after:
        item["text_after"] = question.text_after

    if isinstance(question, (SingleChoice, MultipleResponse, ShortAnswer)):
        item["options"] = [_choice(option) for option in question.options]
    elif isinstance(question, TrueFalse):
        item["answer"] = question.answer
        item["feedback_true"] = question.feedback_true
        item["feedback_false"] = question.feedback_false
    elif isinstance(question, Matching):
        item["pairs"] = [{"left": p.left, "right": p.right} for p in question.pairs]
    elif isinstance(question, Numerical):
        item["answers"] = [_numeric(answer) for answer in question.answers]

    if question.general_feedback:
        item["general_feedback"] = question.general_feedback
    if question.category is not None:
        item["category"] = question.category
    return item


def _choice(option: Choice) -> JsonDict:
    return {
        "text": option.text,
        "fraction": option.fraction,
        "feedback": option.feedback,
    }


def _numeric(answer: NumericAnswer) -> JsonDict:
    item: JsonDict
    if answer.is_range:
        item = {"min": answer.minimum, "max": answer.maximum}
    elif answer.is_catch_all:
        # Moodle's own spelling of "any other answer".
        item = {"value": "*", "tolerance": 0.0}
    else:
        item = {"value": answer.value, "tolerance": answer.tolerance}
    item["fraction"] = answer.fraction
    item["feedback"] = answer.feedback
    return item
