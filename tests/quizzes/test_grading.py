import pytest

from portal.quizzes.grading import (
    grade_matching,
    grade_multiple,
    grade_numeric,
    grade_ordering,
    grade_short_text,
    grade_single,
    grade_true_false,
    parse_number,
)

SINGLE = [
    {"key": "a", "fraction": 1.0, "feedback": "Yes: the IC coordinates."},
    {"key": "b", "fraction": 0.5, "feedback": "Half right."},
    {"key": "c", "fraction": 0.0, "feedback": "No."},
]
# Two right options out of four: each right pick earns 1/2, each wrong pick costs 1/2.
MULTIPLE = [
    {"key": "a", "fraction": 0.5},
    {"key": "b", "fraction": 0.5},
    {"key": "c", "fraction": -0.5},
    {"key": "d", "fraction": -0.5},
]


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("a", 1.0),
        ("b", 0.5),
        ("c", 0.0),
        (None, 0.0),
        ("", 0.0),
        ("zzz", 0.0),
        (["a"], 0.0),
    ],
)
def test_single_choice(response: object, fraction: float) -> None:
    assert grade_single(SINGLE, response).fraction == fraction


def test_single_choice_returns_the_picked_option_feedback() -> None:
    assert grade_single(SINGLE, "a").feedback == "Yes: the IC coordinates."


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["a", "b"], 1.0),
        (["a"], 0.5),
        (["a", "c"], 0.0),
        (["a", "b", "c"], 0.5),
        (["a", "b", "c", "d"], 0.0),
        (["c", "d"], 0.0),
        ([], 0.0),
        (None, 0.0),
        ("a", 0.0),
        (["a", "a", "a"], 0.5),
        (["b", "b", "a"], 1.0),
    ],
)
def test_multiple_response_gives_partial_credit_and_wrong_picks_cost(
    response: object, fraction: float
) -> None:
    assert grade_multiple(MULTIPLE, response).fraction == fraction


@pytest.mark.parametrize(
    ("answer", "response", "fraction"),
    [
        (True, True, 1.0),
        (True, False, 0.0),
        (False, False, 1.0),
        (True, None, 0.0),
        (True, "true", 0.0),
        (False, 0, 0.0),
    ],
)
def test_true_false(answer: bool, response: object, fraction: float) -> None:
    assert grade_true_false(answer, response).fraction == fraction


@pytest.mark.parametrize(
    ("response", "feedback"),
    [(True, "Said true."), (False, "Said false."), (None, ""), ("true", "")],
)
def test_true_false_gives_the_feedback_of_the_value_picked(
    response: object, feedback: str
) -> None:
    mark = grade_true_false(False, response, "Said true.", "Said false.")

    assert mark.feedback == feedback


FLOW = ["alert", "triage", "commander", "mitigate"]


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["alert", "triage", "commander", "mitigate"], 1.0),
        (["mitigate", "commander", "triage", "alert"], 0.0),
        (["triage", "commander", "mitigate", "alert"], 2 / 3),
        (["alert", "triage", "mitigate", "commander"], 1 / 3),
        (["alert", "triage", "commander"], 0.0),
        (["alert", "alert", "commander", "mitigate"], 0.0),
        (["alert", "triage", "commander", "mitigate", "extra"], 0.0),
        ([], 0.0),
        (None, 0.0),
    ],
)
def test_ordering_credits_each_neighbouring_pair_in_order(
    response: object, fraction: float
) -> None:
    assert grade_ordering(FLOW, response).fraction == pytest.approx(fraction)


PAIRS = {
    "MTTA": "alert to acknowledgement",
    "MTTD": "start to detection",
    "MTTR": "start to restore",
}


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (dict(PAIRS), 1.0),
        ({"MTTA": "alert to acknowledgement"}, 1 / 3),
        (
            {
                "MTTA": "start to detection",
                "MTTD": "alert to acknowledgement",
                "MTTR": "start to restore",
            },
            1 / 3,
        ),
        (
            {
                "MTTA": "start to restore",
                "MTTD": "start to restore",
                "MTTR": "start to restore",
            },
            1 / 3,
        ),
        ({}, 0.0),
        (None, 0.0),
        (["MTTA"], 0.0),
    ],
)
def test_matching_gives_an_equal_share_per_pair(
    response: object, fraction: float
) -> None:
    assert grade_matching(PAIRS, response).fraction == pytest.approx(fraction)


NUMERIC = [
    {"value": 7.0, "tolerance": 0.5, "fraction": 1.0, "feedback": "Right."},
    {"min": 5.0, "max": 9.0, "fraction": 0.5, "feedback": "Close."},
]


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("7", 1.0),
        (" 7.0 ", 1.0),
        ("6.5", 1.0),
        ("7.5", 1.0),
        ("7.51", 0.5),
        ("5", 0.5),
        ("9", 0.5),
        ("9.01", 0.0),
        ("4.99", 0.0),
        ("", 0.0),
        ("seven", 0.0),
        ("7,0", 0.0),
        ("nan", 0.0),
        ("inf", 0.0),
        (None, 0.0),
        (True, 0.0),
        (7, 1.0),
        ("7e0", 1.0),
    ],
)
def test_numeric_with_tolerance_and_range_including_bounds(
    response: object, fraction: float
) -> None:
    assert grade_numeric(NUMERIC, response).fraction == fraction


def test_parse_number_refuses_what_is_not_a_plain_number() -> None:
    assert parse_number("12.5") == 12.5
    assert parse_number("1,000") is None
    assert parse_number("12 minutes") is None


SHORT = [
    {"text": "Incident Commander", "fraction": 1.0},
    {"text": "IC", "fraction": 1.0},
    {"text": "commander*", "fraction": 0.5},
]


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("incident commander", 1.0),
        ("  Incident   COMMANDER. ", 1.0),
        ("ic", 1.0),
        ("commander on duty", 0.5),
        ("the incident commander", 0.0),
        ("", 0.0),
        ("   ", 0.0),
        (None, 0.0),
        (["IC"], 0.0),
    ],
)
def test_short_text_is_normalised_for_case_and_spacing(
    response: object, fraction: float
) -> None:
    assert grade_short_text(SHORT, response).fraction == fraction


def test_a_matched_answer_worth_nothing_still_gives_its_feedback() -> None:
    answers = [
        {"value": 39.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""},
        {
            "value": 31.0,
            "tolerance": 0.0,
            "fraction": 0.0,
            "feedback": "From the alert.",
        },
    ]

    mark = grade_numeric(answers, "31")

    assert (mark.fraction, mark.feedback) == (0.0, "From the alert.")


def test_a_short_answer_worth_nothing_still_gives_its_feedback() -> None:
    answers = [
        {"text": "OOMKilled", "fraction": 1.0},
        {
            "text": "CrashLoopBackOff",
            "fraction": 0.0,
            "feedback": "That is the waiting reason.",
        },
    ]

    mark = grade_short_text(answers, "crashloopbackoff")

    assert (mark.fraction, mark.feedback) == (0.0, "That is the waiting reason.")
