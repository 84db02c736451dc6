from __future__ import annotations

import pytest

from portal.quizzes.gift import (
    Category,
    Description,
    Essay,
    Matching,
    MatchPair,
    MultipleResponse,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    parse_gift,
    parse_gift_strict,
)


def _only(source: str) -> Question:
    questions = parse_gift_strict(source)
    assert len(questions) == 1
    return questions[0]


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("Who declares a SEV1? {=The incident commander ~Anyone ~Nobody}", "single"),
        ("Pick two. {~%50%Status page ~%50%Chat ~%-100%Fax}", "multiple"),
        ("Postmortems are blameless. {T}", "truefalse"),
        ("Name the on-call handbook. {=runbook}", "shortanswer"),
        ("Pair them. {=SEV1 -> critical =SEV3 -> minor}", "matching"),
        ("How many nines in 99.99%? {#4}", "numerical"),
        ("Describe your last incident. {}", "essay"),
        ("The next questions are about paging.", "description"),
    ],
)
def test_it_recognises_each_kind(source: str, kind: str) -> None:
    question = _only(source)

    assert question.kind == kind


@pytest.mark.parametrize(
    ("escaped", "expected"),
    [
        ("\\~", "~"),
        ("\\=", "="),
        ("\\#", "#"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\:", ":"),
        ("\\\\", "\\"),
        ("a\\nb", "a\nb"),
        ("\\\\neq", "\\neq"),
        ("\\ alone", "\\ alone"),
        ("100\\%", "100\\%"),
    ],
)
def test_it_unescapes_special_characters(escaped: str, expected: str) -> None:
    source = f"::T {escaped}:: Text {escaped} end {{=Answer {escaped} end}}"

    question = _only(source)

    assert isinstance(question, ShortAnswer)
    assert question.title == f"T {expected}"
    assert question.text == f"Text {expected} end"
    assert question.options[0].text == f"Answer {expected} end"


def test_it_skips_comment_lines() -> None:
    source = (
        "// A comment before the question.\n"
        "Which channel carries incident updates?\n"
        "// A comment between the lines.\n"
        "{=\\#incident ~\\#random}\n"
        "\n"
        "// A block of nothing but comments.\n"
        "// Second comment line.\n"
    )

    result = parse_gift(source)

    assert result.problems == ()
    assert len(result.questions) == 1
    assert result.questions[0].line == 2
    assert result.questions[0].text == "Which channel carries incident updates?"


def test_it_keeps_double_slash_inside_a_line() -> None:
    question = _only("Where is the status page? {=https\\://status.example.com}")

    assert isinstance(question, ShortAnswer)
    assert question.options[0].text == "https://status.example.com"


@pytest.mark.parametrize(
    ("source", "title", "text"),
    [
        ("::Paging:: Who gets paged? {=on-call}", "Paging", "Who gets paged?"),
        ("::Ratio\\: MTTR::What is MTTR? {=time to restore}", "Ratio: MTTR", None),
        ("Who gets paged? {=on-call}", None, "Who gets paged?"),
        (":::: Untitled? {=yes}", None, "Untitled?"),
    ],
)
def test_it_reads_titles(source: str, title: str | None, text: str | None) -> None:
    question = _only(source)

    assert question.title == title
    if text is not None:
        assert question.text == text


def test_it_applies_categories_to_following_questions() -> None:
    source = (
        "Before any category. {T}\n"
        "\n"
        "$CATEGORY: $course$/top/Triage: first steps\n"
        "\n"
        "First triage question. {T}\n"
        "\n"
        "Second triage question. {F}\n"
        "\n"
        "$CATEGORY: $course$/top/Comms\n"
        "Question right under the category line. {T}\n"
    )

    result = parse_gift(source)

    assert [item.kind for item in result.items] == [
        "truefalse",
        "category",
        "truefalse",
        "truefalse",
        "category",
        "truefalse",
    ]
    assert result.items[1] == Category(line=3, path="$course$/top/Triage: first steps")
    assert [q.category for q in result.questions] == [
        None,
        "$course$/top/Triage: first steps",
        "$course$/top/Triage: first steps",
        "$course$/top/Comms",
    ]
    assert result.questions[-1].line == 10


@pytest.mark.parametrize(
    ("source", "text_format", "text"),
    [
        ("[html]<p>Who leads?</p>{=IC}", "html", "<p>Who leads?</p>"),
        ("[moodle]Who leads?{=IC}", "moodle", "Who leads?"),
        ("[markdown]Who **leads**?{=IC}", "markdown", "Who **leads**?"),
        ("[plain]Who <leads>?{=IC}", "plain", "Who <leads>?"),
        ("::T::[html] <b>Who?</b> {=IC}", "html", "<b>Who?</b>"),
        ("[shouting]Who leads?{=IC}", "moodle", "[shouting]Who leads?"),
        ("Who leads? {=IC}", "moodle", "Who leads?"),
    ],
)
def test_it_reads_format_markers(source: str, text_format: str, text: str) -> None:
    question = _only(source)

    assert question.text_format == text_format
    assert question.text == text


def test_answers_take_the_question_format_unless_marked() -> None:
    question = _only("[html]<p>Pick</p>{=<b>IC</b>#<i>yes</i> ~[plain]<scribe>}")

    assert isinstance(question, SingleChoice)
    assert [(o.text_format, o.feedback_format) for o in question.options] == [
        ("html", "html"),
        ("plain", "html"),
    ]


def test_it_reads_multi_line_questions() -> None:
    source = (
        "::Timeline::\n"
        "During the outage the error rate rose at 14:02\n"
        "and fell after the rollback. What fixed it? {\n"
        "    =The rollback\n"
        "      of release 42 # Correct,\n"
        "      the rollback restored service.\n"
        "    ~A restart\n"
        "}\n"
    )

    question = _only(source)

    assert isinstance(question, SingleChoice)
    assert question.text == (
        "During the outage the error rate rose at 14:02\n"
        "and fell after the rollback. What fixed it?"
    )
    assert question.options[0].text == "The rollback\n      of release 42"
    assert question.options[0].feedback == (
        "Correct,\n      the rollback restored service."
    )


def test_blank_lines_separate_questions_with_their_line_numbers() -> None:
    source = "First? {T}\n\n\n   \nSecond\nspans lines? {F}\n\nThird. {T}"

    questions = parse_gift_strict(source)

    assert [q.line for q in questions] == [1, 5, 8]


def test_it_reads_crlf_line_endings() -> None:
    questions = parse_gift_strict("First? {T}\r\n\r\nSecond? {F}\r\n")

    assert [q.line for q in questions] == [1, 3]


def test_single_choice_reads_weights_and_feedback() -> None:
    source = (
        "What do you do first? {\n"
        "  =Acknowledge the page # Yes.\n"
        "  ~%50%Open the dashboard # Half right.\n"
        "  ~%-100%Ignore it # Never.\n"
        "  ~Go back to sleep\n"
        "  #### Acknowledge, then assess.\n"
        "}"
    )

    question = _only(source)

    assert isinstance(question, SingleChoice)
    assert [(o.text, o.fraction, o.feedback) for o in question.options] == [
        ("Acknowledge the page", 1.0, "Yes."),
        ("Open the dashboard", 0.5, "Half right."),
        ("Ignore it", -1.0, "Never."),
        ("Go back to sleep", 0.0, ""),
    ]
    assert question.general_feedback == "Acknowledge, then assess."


def test_multiple_response_has_no_equals() -> None:
    source = "Which are SLIs? {~%50%Latency ~%50%Error rate ~%-50%Team size ~Mood}"

    question = _only(source)

    assert isinstance(question, MultipleResponse)
    assert [o.fraction for o in question.options] == [0.5, 0.5, -0.5, 0.0]


def test_arrow_inside_choices_does_not_make_matching() -> None:
    question = _only("Escalation order? {=L1 -> L2 -> IC ~IC -> L1}")

    assert isinstance(question, SingleChoice)
    assert question.options[0].text == "L1 -> L2 -> IC"


@pytest.mark.parametrize(
    ("answers", "answer", "feedback_true", "feedback_false"),
    [
        ("T", True, "", ""),
        ("TRUE", True, "", ""),
        ("F", False, "", ""),
        ("FALSE", False, "", ""),
        ("T#Wrong, it is true.#Right.", True, "Right.", "Wrong, it is true."),
        ("F#Wrong, it is false.#Right.", False, "Wrong, it is false.", "Right."),
        ("TRUE#Only the wrong one", True, "", "Only the wrong one"),
        ("FALSE# #Only the right one", False, "", "Only the right one"),
    ],
)
def test_it_reads_true_false(
    answers: str, answer: bool, feedback_true: str, feedback_false: str
) -> None:
    question = _only(f"Pages need an owner. {{{answers}}}")

    assert question == TrueFalse(
        line=1,
        text="Pages need an owner.",
        answer=answer,
        feedback_true=feedback_true,
        feedback_false=feedback_false,
    )


@pytest.mark.parametrize(
    ("answers", "options"),
    [
        ("=runbook", [("runbook", 1.0, "")]),
        ("runbook", [("runbook", 1.0, "")]),
        ("=runbook =playbook", [("runbook", 1.0, ""), ("playbook", 1.0, "")]),
        (
            "=runbook#Yes =%50%wiki#Close",
            [("runbook", 1.0, "Yes"), ("wiki", 0.5, "Close")],
        ),
        ("=T", [("T", 1.0, "")]),
        ("true", [("true", 1.0, "")]),
    ],
)
def test_it_reads_short_answers(
    answers: str, options: list[tuple[str, float, str]]
) -> None:
    question = _only(f"What tells on-call what to do? {{{answers}}}")

    assert isinstance(question, ShortAnswer)
    assert [(o.text, o.fraction, o.feedback) for o in question.options] == options


def test_it_reads_matching_with_a_distractor() -> None:
    source = (
        "Match the role to its duty. {\n"
        "  =Incident commander -> coordinates the response\n"
        "  =Scribe -> keeps the timeline\n"
        "  = -> fixes the bug alone\n"
        "  #### Roles keep the response calm.\n"
        "}"
    )

    question = _only(source)

    assert isinstance(question, Matching)
    assert question.pairs == (
        MatchPair(left="Incident commander", right="coordinates the response"),
        MatchPair(left="Scribe", right="keeps the timeline"),
        MatchPair(left="", right="fixes the bug alone"),
    )
    assert question.general_feedback == "Roles keep the response calm."


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("#3.14:0.01", [NumericAnswer(fraction=1.0, value=3.14, tolerance=0.01)]),
        ("#42", [NumericAnswer(fraction=1.0, value=42.0, tolerance=0.0)]),
        ("#-1.5", [NumericAnswer(fraction=1.0, value=-1.5, tolerance=0.0)]),
        ("#1e3", [NumericAnswer(fraction=1.0, value=1000.0, tolerance=0.0)]),
        ("#1..5", [NumericAnswer(fraction=1.0, minimum=1.0, maximum=5.0)]),
        ("#-5 .. -1", [NumericAnswer(fraction=1.0, minimum=-5.0, maximum=-1.0)]),
        (
            "#=30:0#Exactly =%50%30:5#Close",
            [
                NumericAnswer(
                    fraction=1.0, value=30.0, tolerance=0.0, feedback="Exactly"
                ),
                NumericAnswer(
                    fraction=0.5, value=30.0, tolerance=5.0, feedback="Close"
                ),
            ],
        ),
        (
            "#5#Right ~#Think about the five nines",
            [
                NumericAnswer(fraction=1.0, value=5.0, tolerance=0.0, feedback="Right"),
                NumericAnswer(fraction=0.0, feedback="Think about the five nines"),
            ],
        ),
        (
            "#=5 =*#Any other number",
            [
                NumericAnswer(fraction=1.0, value=5.0, tolerance=0.0),
                NumericAnswer(fraction=1.0, feedback="Any other number"),
            ],
        ),
    ],
)
def test_it_reads_numerical_answers(
    answers: str, expected: list[NumericAnswer]
) -> None:
    question = _only(f"How many? {{{answers}}}")

    assert isinstance(question, Numerical)
    assert list(question.answers) == expected


def test_catch_all_numeric_answer_is_flagged() -> None:
    question = _only("How many? {#5 ~#No}")

    assert isinstance(question, Numerical)
    assert [a.is_catch_all for a in question.answers] == [False, True]


def test_it_reads_an_essay_with_general_feedback() -> None:
    question = _only("::Retro:: What went well? {####Mention detection time.}")

    assert question == Essay(
        line=1,
        title="Retro",
        text="What went well?",
        general_feedback="Mention detection time.",
    )


def test_it_reads_a_description() -> None:
    question = _only("::Scenario::\nThe checkout service\nstarts failing at noon.")

    assert question == Description(
        line=1, title="Scenario", text="The checkout service\nstarts failing at noon."
    )


@pytest.mark.parametrize(
    ("source", "text", "text_after"),
    [
        (
            "An alert nobody acts on is {=noise} and should go.",
            "An alert nobody acts on is",
            "and should go.",
        ),
        ("{=Acknowledge} the page first.", "", "the page first."),
        ("Acknowledge the page first. {=yes}", "Acknowledge the page first.", ""),
        ("Budget: {#43.2:0.1} minutes.", "Budget:", "minutes."),
    ],
)
def test_it_reads_missing_word_questions(
    source: str, text: str, text_after: str
) -> None:
    question = _only(source)

    assert question.text == text
    assert question.text_after == text_after
    assert question.has_blank == bool(text_after)


def test_text_after_shares_the_question_format() -> None:
    question = _only("[html]<p>The {=IC} decides\\: <b>now</b>.</p>")

    assert question.text == "<p>The"
    assert question.text_after == "decides: <b>now</b>.</p>"
