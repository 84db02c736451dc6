"""Item statistics against figures worked out by hand.

Five learners' first attempts at a three-question quiz, one point a question:

    attempt  q1  q2  q3  total
    A1        1   1   1    3
    A2        1   1   0    2
    A3        1   0   0    1
    A4        0   1   1    2
    A5        0   0   1    1

Totals have mean 1.8 and sample variance ((1.2)² + 2(0.2)² + 2(0.8)²) / 4 = 2.8 / 4 = 0.7.

q1: marks 1,1,1,0,0, mean 0.6, so facility 60. Deviations 0.4 ×3 and -0.6 ×2, sample
    variance (3·0.16 + 2·0.36) / 4 = 0.3, sd √0.3 = 0.5477, so 54.77.
    Rest of the attempt (total - q1): 2,1,0,2,1, mean 1.2, deviations 0.8,-0.2,-1.2,0.8,-0.2,
    variance (0.64+0.04+1.44+0.64+0.04) / 4 = 0.7.
    Covariance (0.32 - 0.08 - 0.48 - 0.48 + 0.12) / 4 = -0.6 / 4 = -0.15.
    Discrimination -0.15 / √(0.3 · 0.7) = -0.15 / 0.45826 = -0.32733, so -32.73: flagged.
    Largest covariance: q1 sorted 0,0,1,1,1 against rest sorted 0,1,1,2,2, deviations
    (-0.6,-0.6,0.4,0.4,0.4) and (-1.2,-0.2,-0.2,0.8,0.8): (0.72+0.12-0.08+0.32+0.32) / 4
    = 1.4 / 4 = 0.35. Efficiency -0.15 / 0.35 = -0.42857, so -42.86.
q2: marks 1,1,0,1,0: facility 60, sd 54.77. Rest 2,1,1,1,1, mean 1.2, variance
    (0.64 + 4·0.04) / 4 = 0.2. Covariance (0.32 - 0.08 + 0.12 - 0.08 + 0.12) / 4 = 0.1.
    Discrimination 0.1 / √(0.3 · 0.2) = 0.1 / 0.24495 = 0.40825, so 40.82.
    Sorted: 0,0,1,1,1 against 1,1,1,1,2: (0.12+0.12-0.08-0.08+0.32) / 4 = 0.1, so 100.
q3: marks 1,0,0,1,1, rest 2,2,1,1,0: the mirror of q1, so -32.73 and -42.86.

Quiz: totals in percent 100, 66.67, 33.33, 66.67, 33.33: mean 60, median 66.67,
sd √0.7 = 0.83666 points = 27.89%. Cronbach's alpha with k = 3, item variances 0.3 each:
3/2 · (1 - 0.9 / 0.7) = 1.5 · -0.28571 = -0.429.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import Cohort, Membership
from portal.classroom.statistics import item_statistics, quiz_report, scenario_report
from portal.quizzes.models import Quiz
from portal.sandbox.models import Run
from tests.classroom.builders import make_attempt, make_lesson, make_quiz, make_scenario

MARKS = [
    {"q1": 1.0, "q2": 1.0, "q3": 1.0},
    {"q1": 1.0, "q2": 1.0, "q3": 0.0},
    {"q1": 1.0, "q2": 0.0, "q3": 0.0},
    {"q1": 0.0, "q2": 1.0, "q3": 1.0},
    {"q1": 0.0, "q2": 0.0, "q3": 1.0},
]
ITEMS = [
    ("q1", "Question 1", 1.0),
    ("q2", "Question 2", 1.0),
    ("q3", "Question 3", 1.0),
]


def test_item_figures_match_the_hand_computation() -> None:
    items, _ = item_statistics(ITEMS, MARKS)

    q1, q2, q3 = items
    assert (q1.facility, q1.sd, q1.discrimination, q1.efficiency) == (
        60.0,
        54.77,
        -32.73,
        -42.86,
    )
    assert (q2.facility, q2.sd, q2.discrimination, q2.efficiency) == (
        60.0,
        54.77,
        40.82,
        100.0,
    )
    assert (q3.discrimination, q3.efficiency) == (-32.73, -42.86)


def test_negative_discrimination_is_flagged_and_good_items_are_not() -> None:
    items, _ = item_statistics(ITEMS, MARKS)

    assert items[0].flag.startswith("Negative discrimination")
    assert items[1].flag == ""


def test_quiz_figures_match_the_hand_computation() -> None:
    _, summary = item_statistics(ITEMS, MARKS)

    assert summary.count == 5
    assert summary.mean == 60.0
    assert summary.median == 66.67
    assert summary.sd == 27.89
    assert summary.alpha == -0.429


def test_items_without_spread_have_no_discrimination() -> None:
    items, _ = item_statistics([("q1", "", 1.0)], [{"q1": 1.0}, {"q1": 1.0}])

    assert items[0].facility == 100.0
    assert items[0].discrimination is None
    assert items[0].flag == ""


@pytest.fixture
def quiz(db: None) -> Quiz:
    return make_quiz(make_lesson(1), ["single", "single", "single", "open"])


@pytest.fixture
def five_learners(cohort: Cohort, quiz: Quiz) -> list[User]:
    """Five learners of Charlie's cohort whose first attempts are the table above."""
    learners = []
    for index, marks in enumerate(MARKS):
        user = User.objects.create_user(f"learner{index}")
        Membership.objects.create(cohort=cohort, user=user)
        make_attempt(user, quiz, marks, responses={"q4": "An essay."})
        learners.append(user)
    return learners


def test_the_report_from_the_database_matches_by_first_attempt(
    cohort: Cohort, quiz: Quiz, five_learners: list[User], django_assert_num_queries
) -> None:
    # A second attempt by A5, all right, counts only among all attempts.
    make_attempt(five_learners[4], quiz, {"q1": 1, "q2": 1, "q3": 1}, number=2)

    # Fingerprint, counted answers, current versions.
    with django_assert_num_queries(3):
        first = quiz_report(cohort, quiz, "first")
    every = quiz_report(cohort, quiz, "all")

    assert [item.key for item in first.items] == ["q1", "q2", "q3"]
    assert [item.discrimination for item in first.items] == [-32.73, 40.82, -32.73]
    assert first.summary.alpha == -0.429
    assert every.summary.count == 6
    assert every.items[0].facility == round(100 * 4 / 6, 2)


def test_the_answer_distribution_counts_each_option(
    cohort: Cohort, quiz: Quiz, five_learners: list[User]
) -> None:
    report = quiz_report(cohort, quiz, "first")

    # q1 was right (option a) in three attempts and wrong (option b) in two.
    assert report.items[0].distribution == [
        ("Acknowledge the page", 3, 60.0, True),
        ("Wait and see", 2, 40.0, False),
        ("Restart everything", 0, 0.0, False),
    ]


def test_cached_figures_are_reused_until_an_attempt_is_added(
    cohort: Cohort, quiz: Quiz, five_learners: list[User], django_assert_num_queries
) -> None:
    first = quiz_report(cohort, quiz, "first")

    with django_assert_num_queries(1):
        again = quiz_report(cohort, quiz, "first")
    make_attempt(User.objects.create_user("late"), quiz, {"q1": 1})
    Membership.objects.create(cohort=cohort, user=User.objects.get(username="late"))
    fresh = quiz_report(cohort, quiz, "first")

    assert again.computed_at == first.computed_at
    assert fresh.summary.count == 6


def test_other_cohorts_attempts_are_not_counted(
    cohort: Cohort, other_cohort: Cohort, quiz: Quiz, other_learner: User
) -> None:
    make_attempt(other_learner, quiz, {"q1": 1, "q2": 1, "q3": 1})

    report = quiz_report(cohort, quiz, "first")

    assert report.summary.count == 0


def test_scenario_items_get_facility_and_discrimination(
    cohort: Cohort, django_assert_num_queries
) -> None:
    # Three runs; "ack" scored 10,10,0 of 10 and "severity" 5,0,0 of 5. Totals 15,10,0.
    # ack: facility 20/30 = 66.67. Marks mean 6.667, deviations 3.333,3.333,-6.667,
    # variance (11.11+11.11+44.44)/2 = 33.33. Rest 5,0,0: mean 1.667, deviations
    # 3.333,-1.667,-1.667, variance 8.333. Covariance (11.11-5.556+11.11)/2 = 8.333.
    # Correlation 8.333/√(33.33·8.333) = 8.333/16.667 = 0.5, so 50.
    # severity: facility 5/15 = 33.33; against rest 10,10,0 the same shape, so 50.
    scenario = make_scenario(make_lesson(1))
    for index, (ack, severity) in enumerate([(10, 5), (10, 0), (0, 0)]):
        user = User.objects.create_user(f"runner{index}")
        Membership.objects.create(cohort=cohort, user=user)
        Run.objects.create(
            user=user,
            scenario=scenario,
            seed=0,
            state=Run.State.FINISHED,
            started_at="2025-06-02T02:00:00Z",
            finished_at="2025-06-02T02:30:00Z",
            score={
                "total": ack + severity,
                "items": [
                    {"id": "ack", "title": "Acknowledge", "points": ack, "max": 10},
                    {
                        "id": "severity",
                        "title": "Severity",
                        "points": severity,
                        "max": 5,
                    },
                ],
            },
        )

    with django_assert_num_queries(1):
        report = scenario_report(cohort, scenario, "first")

    ack, severity = report.items
    assert (ack.facility, ack.discrimination) == (66.67, 50.0)
    assert (severity.facility, severity.discrimination) == (33.33, 50.0)


def test_the_statistics_page_shows_figures_and_when_they_were_calculated(
    instructor_client: Client, cohort: Cohort, quiz: Quiz, five_learners: list[User]
) -> None:
    response = instructor_client.get("/classes/NIGHT123/statistics/quiz/lesson-1/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Calculated <time" in html
    assert "-32.73" in html
    assert "Negative discrimination: review this item" in html
    assert "-0.429" in html
