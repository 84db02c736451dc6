"""The schema of a lesson's quiz.yaml, validated when the curriculum loads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.lib.schema import (
    Bool,
    Choice,
    Context,
    Field,
    Int,
    ListOf,
    Number,
    Record,
    Schema,
    Slug,
    Tagged,
    Text,
)
from portal.lib.yamldoc import KeyPath

QUIZ_FILE = "quiz.yaml"


class AwareDateTime(Text):
    """An ISO 8601 date and time with its UTC offset, such as 2026-06-30T17:00:00+02:00.

    A time without an offset is refused: a quiz closing at "17:00" would close at a
    different moment for every reader of the file.
    """

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> datetime:  # type: ignore[override]
        text = super().clean(value, key_path, ctx)
        where = ".".join(str(part) for part in key_path)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ctx.fail(
                key_path, f"{where}: expected an ISO date and time, found {text!r}"
            ) from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ctx.fail(
                key_path,
                f"{where}: expected a time zone offset (such as +00:00 or Z), "
                f"found {text!r}",
            )
        return moment


REVIEW_ITEMS = ("answer", "correctness", "points", "explanation", "right_answer")
REVIEW_LIST = ListOf(Choice(*REVIEW_ITEMS))

OPTION = Record(
    {
        "key": Slug(),
        "text": Text(),
        "correct": Field(Bool(), required=False, default=False),
        "fraction": Field(Number(), required=False, default=None),
        "feedback": Field(Text(), required=False, default=""),
    }
)
ITEM = Record({"key": Slug(), "text": Text()})
PAIR = Record({"left": Text(), "right": Text()})
NUMERIC_ANSWER = Record(
    {
        "value": Field(Number(), required=False, default=None),
        "tolerance": Field(Number(), required=False, default=0.0),
        "min": Field(Number(), required=False, default=None),
        "max": Field(Number(), required=False, default=None),
        "fraction": Field(Number(), required=False, default=1.0),
        "feedback": Field(Text(), required=False, default=""),
    }
)
ACCEPTED = Record(
    {
        "text": Text(),
        "fraction": Field(Number(), required=False, default=1.0),
        "feedback": Field(Text(), required=False, default=""),
    }
)

COMMON: dict[str, Field | Schema] = {
    "key": Slug(),
    "kind": Text(),
    "text": Text(),
    "points": Field(Int(minimum=1), required=False, default=1),
    "explanation": Text(),
}


def _fail(ctx: Context, key_path: KeyPath, message: str) -> None:
    ctx.fail(key_path, message)


def _check_single(question: dict[str, Any], key_path: KeyPath, ctx: Context) -> None:
    right = [o for o in question["options"] if o["correct"]]
    if len(right) != 1:
        _fail(
            ctx, (*key_path, "options"), "a single-choice question needs exactly one "
            f"option with correct: true, found {len(right)}",
        )  # fmt: skip


def _check_multiple(question: dict[str, Any], key_path: KeyPath, ctx: Context) -> None:
    if not any(option["correct"] for option in question["options"]):
        _fail(
            ctx, (*key_path, "options"),
            "a multiple-response question needs at least one option with correct: true",
        )  # fmt: skip


def _check_numeric(question: dict[str, Any], key_path: KeyPath, ctx: Context) -> None:
    for index, answer in enumerate(question["answers"]):
        has_value = answer["value"] is not None
        has_range = answer["min"] is not None and answer["max"] is not None
        if has_value == has_range:
            _fail(
                ctx, (*key_path, "answers", index),
                "a numeric answer has either value (with tolerance) or min and max",
            )  # fmt: skip
        elif has_range and answer["min"] > answer["max"]:
            _fail(ctx, (*key_path, "answers", index), "min is larger than max")


def _unique_keys(field: str) -> ListOf:
    item = OPTION if field == "options" else ITEM
    return ListOf(item, min_items=2, unique_by="key")


QUESTION = Tagged(
    {
        "single": Record(
            {**COMMON, "options": _unique_keys("options")}, check=_check_single
        ),
        "multiple": Record(
            {**COMMON, "options": _unique_keys("options")}, check=_check_multiple
        ),
        "truefalse": Record(
            {
                **COMMON,
                "answer": Bool(),
                # The feedback shown to a learner who picks true, or false.
                "feedback_true": Field(Text(), required=False, default=""),
                "feedback_false": Field(Text(), required=False, default=""),
            }
        ),
        "ordering": Record({**COMMON, "items": _unique_keys("items")}),
        "matching": Record(
            {
                **COMMON,
                "pairs": ListOf(PAIR, min_items=2, unique_by="left"),
                "distractors": Field(ListOf(Text()), required=False, default=[]),
            }
        ),
        "numeric": Record(
            {
                **COMMON,
                "answers": ListOf(NUMERIC_ANSWER, min_items=1),
                "unit": Field(Text(), required=False, default=""),
            },
            check=_check_numeric,
        ),
        "short": Record({**COMMON, "accepted": ListOf(ACCEPTED, min_items=1)}),
        "open": Record({**COMMON, "model_answer": Text()}),
    }
)

QUIZ = Record(
    {
        "title": Text(),
        "intro": Field(Text(), required=False, default=""),
        "pass_mark": Field(Int(minimum=0, maximum=100), required=False, default=70),
        "time_limit_minutes": Field(Int(minimum=1), required=False, default=None),
        "max_attempts": Field(Int(minimum=1), required=False, default=None),
        "grading": Field(Choice("highest", "last"), required=False, default="highest"),
        "feedback": Field(
            Choice("immediate", "deferred"), required=False, default="deferred"
        ),
        "one_per_page": Field(Bool(), required=False, default=False),
        "shuffle_options": Field(Bool(), required=False, default=True),
        "closes_at": Field(AwareDateTime(), required=False, default=None),
        "review": Field(
            Record(
                {
                    "after_attempt": Field(REVIEW_LIST, required=False, default=[]),
                    "while_open": Field(REVIEW_LIST, required=False, default=[]),
                    "after_close": Field(REVIEW_LIST, required=False, default=[]),
                }
            ),
            required=False,
            default={
                "after_attempt": list(REVIEW_ITEMS),
                "while_open": list(REVIEW_ITEMS),
                "after_close": list(REVIEW_ITEMS),
            },
        ),
        "questions": ListOf(QUESTION, min_items=1, unique_by="key"),
    }
)
