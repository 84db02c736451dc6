from __future__ import annotations

import pytest

from portal.quizzes.gift import GiftParseError, Problem, parse_gift, parse_gift_strict

# A good question first, so each bad block below starts on line 4.
PREFIX = "// Problems are reported with their source line.\nFine? {T}\n\n"


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("Who pages? {=on-call\n~nobody", 4, "'{' is never closed"),
        ("Who pages?\n=on-call}", 5, "'}' has no '{' before it"),
        ("Who } pages? {=on-call}", 4, "'}' has no '{' before it"),
        ("Who pages? {=on-call\n~{nobody}", 5, "a second '{' inside an answer block"),
        ("First? {T}\nSecond? {F}", 5, "a second answer block after the first"),
        ("::Paging Who pages? {=on-call}", 4, "title opened with '::' is never closed"),
        ("::Only a title::\n{T}", 4, "the question has no text"),
        ("[html]", 4, "the question has no text"),
        ("Pick one. {~only}", 4, "needs at least two answers"),
        ("Pick one. {\n=IC\n~\n}", 6, "an answer has no text"),
        ("Pick one. {=%50%IC ~scribe}", 4, "no answer is worth 100%"),
        ("Pick. {~%50%IC ~%25%scribe}", 4, "positive weights add up to 75%, not 100%"),
        ("Name it. {=%50%runbook}", 4, "no answer is worth 100%"),
        ("Pick. {\n~%50%IC\n~%150%scribe\n}", 6, "weight %150% is outside"),
        ("Match. {\n=IC -> leads\n=scribe writes\n}", 6, "'scribe writes' has no '->'"),
        ("Match. {\n=IC -> leads\n=scribe ->\n}", 6, "has nothing after '->'"),
        ("Match. {=IC -> leads = -> extra}", 4, "needs at least two pairs"),
        ("How many? {#\n=5\n=%50%five\n}", 6, "'five' is not a number"),
        ("How many? {#5..1}", 4, "'5..1' starts above its end"),
        ("How many? {#5:-1}", 4, "the tolerance in '5:-1' is negative"),
        ("How many? {#5\n~wrong =6}", 5, "'~' may only introduce the feedback"),
        ("How many? {#}", 4, "the numerical question has no answers"),
        ("How many? {#=%50%5}", 4, "no answer is worth 100%"),
        ("$CATEGORY:   ", 4, "$CATEGORY: has no category path"),
    ],
)
def test_it_reports_each_problem_with_its_line(
    block: str, line: int, message: str
) -> None:
    source = PREFIX + block + "\n\nStill imported? {F}\n"

    result = parse_gift(source)

    assert len(result.problems) == 1
    assert result.problems[0].line == line
    assert message in result.problems[0].message
    assert [q.text for q in result.questions] == ["Fine?", "Still imported?"]


def test_problem_text_names_the_line() -> None:
    problem = Problem(line=12, message="the question has no text")

    assert str(problem) == "line 12: the question has no text"


def test_strict_parse_raises_the_first_problem() -> None:
    source = "Fine? {T}\n\nBroken? {=a\n\nAlso broken? {#x}\n"

    with pytest.raises(GiftParseError) as caught:
        parse_gift_strict(source)

    assert caught.value.line == 3
    assert (
        str(caught.value)
        == "line 3: '{' is never closed by '}' (write \\{ for a literal brace)"
    )


def test_a_failed_category_keeps_the_previous_one() -> None:
    source = "$CATEGORY: triage\n\n$CATEGORY:\n\nUnder triage? {T}\n"

    result = parse_gift(source)

    assert [p.line for p in result.problems] == [3]
    assert result.questions[0].category == "triage"


def test_nothing_of_a_bad_block_is_imported() -> None:
    source = "Pick. {\n=IC\n~%150%scribe\n}\n"

    result = parse_gift(source)

    assert result.items == ()
    assert [p.line for p in result.problems] == [3]
