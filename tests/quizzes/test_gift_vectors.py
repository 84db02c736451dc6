"""Check the GIFT parser against vectors from two other parsers' test suites.

The vectors live in the shared folder beside the repository and are read where
they are; without that folder these tests skip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.quizzes.gift import (
    Category,
    GiftParseError,
    Matching,
    MultipleResponse,
    Numerical,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    parse_gift,
    parse_gift_strict,
)

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "gift-vectors" / "cases.yaml"

if not VECTORS.exists():
    pytest.skip(f"no GIFT vectors at {VECTORS}", allow_module_level=True)

CASES: list[dict[str, Any]] = yaml.safe_load(VECTORS.read_text(encoding="utf-8"))[
    "cases"
]
KINDS = {
    "shortanswer": "shortanswer",
    "truefalse": "truefalse",
    "numerical": "numerical",
    "matching": "matching",
    "essay": "essay",
    "description": "description",
}


def _rejected_inputs() -> list[Any]:
    return [
        pytest.param(text, id=f"{case['id']}-{index}")
        for case in CASES
        for index, text in enumerate(case["expected"].get("must_reject", []))
    ]


def _accepted_inputs() -> list[Any]:
    return [
        pytest.param(entry["input"], id=f"{case['id']}-{index}")
        for case in CASES
        for index, entry in enumerate(
            case["expected"].get("implementation_dependent", [])
        )
        if entry.get("suggestion", "").startswith("accept")
    ]


def _same_text(actual: str, expected: str | None, text_format: str) -> bool:
    # Moodle keeps line breaks of moodle-format text where other parsers join
    # lines with a space, so only html and markdown are compared exactly.
    expected = expected or ""
    if text_format in ("html", "markdown"):
        return actual == expected
    return actual.split() == expected.split()


def _check_choices(question: Question, expected: list[dict[str, Any]]) -> None:
    assert isinstance(question, SingleChoice | MultipleResponse | ShortAnswer)
    assert len(question.options) == len(expected)
    for option, wanted in zip(question.options, expected, strict=True):
        text_format = wanted.get("format", "moodle")
        assert option.text_format == text_format
        assert _same_text(option.text, wanted["text"], text_format)
        assert option.fraction == pytest.approx(wanted["fraction"])
        assert (option.fraction > 0) == wanted["correct"]
        feedback_format = wanted.get("feedback_format", text_format)
        assert _same_text(option.feedback, wanted.get("feedback"), feedback_format)
        if option.feedback:
            assert option.feedback_format == feedback_format


def _check_numeric(question: Question, expected: list[dict[str, Any]]) -> None:
    assert isinstance(question, Numerical)
    assert len(question.answers) == len(expected)
    for answer, wanted in zip(question.answers, expected, strict=True):
        assert answer.fraction == pytest.approx(wanted["fraction"])
        assert _same_text(answer.feedback, wanted.get("feedback"), "moodle")
        if "value" in wanted:
            assert answer.value == pytest.approx(wanted["value"])
            assert answer.tolerance == pytest.approx(wanted["tolerance"])
        if "accept_range" in wanted:
            assert answer.value is not None and answer.tolerance is not None
            low, high = wanted["accept_range"]
            assert answer.value - answer.tolerance == pytest.approx(low)
            assert answer.value + answer.tolerance == pytest.approx(high)
        if "min" in wanted:
            assert answer.minimum == pytest.approx(wanted["min"])
            assert answer.maximum == pytest.approx(wanted["max"])
        if "moodle_stores_as" in wanted:
            assert answer.minimum is not None and answer.maximum is not None
            middle = (answer.minimum + answer.maximum) / 2
            assert middle == pytest.approx(wanted["moodle_stores_as"]["value"])
            stored_tolerance = wanted["moodle_stores_as"]["tolerance"]
            assert answer.maximum - middle == pytest.approx(stored_tolerance)


def _check_true_false(question: Question, expected: dict[str, Any]) -> None:
    # Where the parsers disagree the case lists each one's reading; Moodle's
    # is the one followed.
    assert isinstance(question, TrueFalse)
    assert question.answer == expected["correct_answer"]
    feedbacks = expected.get("moodle", expected)
    if "feedback_when_student_picks_true" in feedbacks:
        wanted = feedbacks["feedback_when_student_picks_true"]
        assert _same_text(question.feedback_true, wanted, "moodle")
    if "feedback_when_student_picks_false" in feedbacks:
        wanted = feedbacks["feedback_when_student_picks_false"]
        assert _same_text(question.feedback_false, wanted, "moodle")


def _check_question(item: Question | Category, expected: dict[str, Any]) -> None:
    if expected["type"] == "category":
        assert isinstance(item, Category)
        assert item.path == expected["category"]
        return
    assert isinstance(item, Question)
    if expected["type"] == "multichoice":
        assert item.kind == ("single" if expected["single"] else "multiple")
    else:
        assert item.kind == KINDS[expected["type"]]
    text_format = expected.get("text_format", "moodle")
    assert item.text_format == text_format

    if "title" in expected:
        assert item.title == expected["title"]
    if "text" in expected:
        assert _same_text(item.text, expected["text"], text_format)
    if "text_contains" in expected:
        assert expected["text_contains"] in item.text
    if "text_after" in expected:
        assert _same_text(item.text_after, expected["text_after"], text_format)
    if "blank" in expected:
        assert item.has_blank == expected["blank"]
    if "general_feedback" in expected:
        wanted = expected["general_feedback"]
        assert _same_text(item.general_feedback, wanted, text_format)
    if "general_feedback_contains" in expected:
        assert expected["general_feedback_contains"] in item.general_feedback

    if expected["type"] in ("multichoice", "shortanswer") and "answers" in expected:
        _check_choices(item, expected["answers"])
    if "answers_count" in expected:
        assert isinstance(item, SingleChoice | MultipleResponse)
        assert len(item.options) == expected["answers_count"]
        fractions = [option.fraction for option in item.options]
        assert fractions.index(1.0) == expected["correct_answer_index"]
    if expected["type"] == "numerical":
        _check_numeric(item, expected["answers"])
    if expected["type"] == "truefalse":
        _check_true_false(item, expected)
    if expected["type"] == "matching":
        assert isinstance(item, Matching)
        pairs = [(pair.left, pair.right) for pair in item.pairs]
        assert pairs == [(p["question"], p["answer"]) for p in expected["pairs"]]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_it_parses_vector(case: dict[str, Any]) -> None:
    expected = case["expected"]["questions"]

    result = parse_gift(case["input"])

    assert result.problems == ()
    assert len(result.items) == len(expected)
    for item, wanted in zip(result.items, expected, strict=True):
        _check_question(item, wanted)


@pytest.mark.parametrize("text", _rejected_inputs())
def test_it_rejects_vector(text: str) -> None:
    with pytest.raises(GiftParseError):
        parse_gift_strict(text)


@pytest.mark.parametrize("text", _accepted_inputs())
def test_it_accepts_what_moodle_accepts(text: str) -> None:
    questions = parse_gift_strict(text)

    assert len(questions) == 1
