"""Parse the sample GIFT files written for these tests from Moodle's documentation."""

from __future__ import annotations

from pathlib import Path

from portal.quizzes.gift import parse_gift, to_json_list

FIXTURES = Path(__file__).resolve().parent / "gift_fixtures"


def test_it_imports_every_question_of_the_sample_quiz() -> None:
    source = (FIXTURES / "incident_basics.gift").read_text(encoding="utf-8")

    result = parse_gift(source)

    assert result.problems == ()
    assert [q.kind for q in result.questions] == [
        "single",
        "multiple",
        "truefalse",
        "shortanswer",
        "matching",
        "numerical",
        "numerical",
        "numerical",
        "essay",
        "description",
        "shortanswer",
    ]
    assert [q.line for q in result.questions][:3] == [6, 13, 19]
    categories = {q.category for q in result.questions}
    assert categories == {
        "$course$/top/Incident basics",
        "$course$/top/Incident numbers",
    }


def test_sample_quiz_escapes_come_out_as_text() -> None:
    source = (FIXTURES / "incident_basics.gift").read_text(encoding="utf-8")

    last = to_json_list(parse_gift(source).questions)[-1]

    assert last["text"] == (
        'In PromQL, server errors are selected with http_requests_total{code="500"}: '
        "which two characters start a GIFT comment line?"
    )
    assert last["options"] == [{"text": "//", "fraction": 1.0, "feedback": ""}]


def test_it_reports_the_broken_blocks_and_keeps_the_good_one() -> None:
    source = (FIXTURES / "broken.gift").read_text(encoding="utf-8")

    result = parse_gift(source)

    assert [p.line for p in result.problems] == [3, 5, 7, 9, 13]
    assert [q.text for q in result.questions] == [
        "This block is fine and must still be imported."
    ]
