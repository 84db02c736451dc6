from __future__ import annotations

import json

import pytest

from portal.quizzes.gift import parse_gift, parse_gift_strict, to_json_list


def _one(source: str) -> dict[str, object]:
    items = to_json_list(parse_gift_strict(source))
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "::IC:: Who leads? {=IC#Yes ~Scribe####Roles matter.}",
            {
                "kind": "single",
                "title": "IC",
                "text": "Who leads?",
                "options": [
                    {"text": "IC", "fraction": 1.0, "feedback": "Yes"},
                    {"text": "Scribe", "fraction": 0.0, "feedback": ""},
                ],
                "general_feedback": "Roles matter.",
            },
        ),
        (
            "Pick. {~%50%a ~%50%b ~%-100%c}",
            {
                "kind": "multiple",
                "title": None,
                "text": "Pick.",
                "options": [
                    {"text": "a", "fraction": 0.5, "feedback": ""},
                    {"text": "b", "fraction": 0.5, "feedback": ""},
                    {"text": "c", "fraction": -1.0, "feedback": ""},
                ],
            },
        ),
        (
            "Name it. {=runbook}",
            {
                "kind": "shortanswer",
                "title": None,
                "text": "Name it.",
                "options": [{"text": "runbook", "fraction": 1.0, "feedback": ""}],
            },
        ),
        (
            "Blame people? {F#No.#Right.}",
            {
                "kind": "truefalse",
                "title": None,
                "text": "Blame people?",
                "answer": False,
                "feedback_true": "No.",
                "feedback_false": "Right.",
            },
        ),
        (
            "Match. {=SEV1 -> critical =SEV3 -> minor}",
            {
                "kind": "matching",
                "title": None,
                "text": "Match.",
                "pairs": [
                    {"left": "SEV1", "right": "critical"},
                    {"left": "SEV3", "right": "minor"},
                ],
            },
        ),
        (
            "Minutes? {#=43.2:0.1#Yes =%50%40..45 ~#No}",
            {
                "kind": "numerical",
                "title": None,
                "text": "Minutes?",
                "answers": [
                    {
                        "value": 43.2,
                        "tolerance": 0.1,
                        "fraction": 1.0,
                        "feedback": "Yes",
                    },
                    {"min": 40.0, "max": 45.0, "fraction": 0.5, "feedback": ""},
                    {"value": "*", "tolerance": 0.0, "fraction": 0.0, "feedback": "No"},
                ],
            },
        ),
        (
            "[markdown]Why **that**? {}",
            {
                "kind": "essay",
                "title": None,
                "text": "Why **that**?",
                "text_format": "markdown",
            },
        ),
        (
            "Read this first.",
            {"kind": "description", "title": None, "text": "Read this first."},
        ),
        (
            "The {=IC} decides.",
            {
                "kind": "shortanswer",
                "title": None,
                "text": "The",
                "text_after": "decides.",
                "options": [{"text": "IC", "fraction": 1.0, "feedback": ""}],
            },
        ),
    ],
)
def test_it_gives_the_json_shape_of_each_kind(
    source: str, expected: dict[str, object]
) -> None:
    item = _one(source)

    assert item == expected


def test_it_adds_the_category_and_survives_json_dumps() -> None:
    result = parse_gift("$CATEGORY: $course$/top/Paging\n\nPaged? {T}\n")

    items = to_json_list(result.questions)

    assert items[0]["category"] == "$course$/top/Paging"
    assert json.loads(json.dumps(items)) == items
