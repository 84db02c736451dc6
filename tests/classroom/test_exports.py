from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile
from portal.classroom.exports import safe_cell
from portal.classroom.models import Cohort, Membership
from tests.classroom.builders import assign, make_attempt, make_lesson, make_quiz

DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)
TRICKY_NAME = 'Alice, "the =boss"\nsecond line'


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        (-2.5, -2.5),
        (None, ""),
    ],
)
def test_formula_looking_text_is_prefixed_and_numbers_are_not(
    value: object, written: object
) -> None:
    assert safe_cell(value) == written


def test_grades_have_one_row_per_learner_and_one_column_per_assignment(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    Profile.objects.filter(user=learner).update(display_name=TRICKY_NAME)
    quiz = make_quiz(make_lesson(1), ["single", "single"])
    assign(cohort, quiz, DUE)
    assign(cohort, make_lesson(2), DUE)
    make_attempt(learner, quiz, {"q1": 1, "q2": 0}, submitted_at=DUE)

    response = instructor_client.get("/classes/NIGHT123/export/grades.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, row = _rows(response.content)
    assert header == [
        "Learner",
        "Username",
        "Quiz: Quiz of Lesson number 1 (due 2025-06-09 17:00 UTC)",
        "Lesson 2: Lesson number 2 (due 2025-06-09 17:00 UTC)",
        "Assignments done",
        "Late",
        "Mean score (%)",
    ]
    assert row[0] == TRICKY_NAME
    assert row[1:] == ["alice", "50.0", "Late", "1", "1", "50.0"]
    assert b'"Alice, ""the =boss""\nsecond line"' in response.content


def test_responses_carry_question_answer_right_answer_points_and_time(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    Profile.objects.filter(user=learner).update(display_name="=HYPERLINK(1)")
    quiz = make_quiz(make_lesson(1), ["single", "open"])
    assign(cohort, quiz, DUE)
    essay = 'First, ack; then "declare",\n=2+2 never'
    make_attempt(learner, quiz, {"q1": 1}, responses={"q2": essay}, submitted_at=DUE)

    response = instructor_client.get("/classes/NIGHT123/export/responses.csv")

    header, single, open_ = _rows(response.content)
    assert header == [
        "Learner", "Username", "Activity", "Attempt", "Question", "Question text",
        "Answer", "Right answer", "Points", "Out of", "Answered at",
    ]  # fmt: skip
    assert single == [
        "'=HYPERLINK(1)", "alice", "Quiz: Quiz of Lesson number 1", "1", "q1",
        "Question 1?", "Acknowledge the page", "Acknowledge the page", "1.0", "1",
        "2025-06-09 17:00:00 UTC",
    ]  # fmt: skip
    assert open_[6] == essay
    assert open_[7] == "Page the commander, then update the status page."
    assert open_[8] == ""


def test_grades_cover_every_learner_not_a_page_of_them(
    instructor_client: Client, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    assign(cohort, quiz, DUE)
    users = User.objects.bulk_create(User(username=f"l{n:03d}") for n in range(120))
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u) for u in users)
    for user in users[:3]:
        make_attempt(user, quiz, {"q1": 1}, submitted_at=DUE)

    response = instructor_client.get("/classes/NIGHT123/export/grades.csv")

    header, *rows = _rows(response.content)
    assert len(rows) == 121
    assert [row[1] for row in rows[:4]] == ["alice", "l000", "l001", "l002"]
    assert [row[2] for row in rows[1:5]] == ["100.0", "100.0", "100.0", "Late"]
