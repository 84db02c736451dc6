"""The export holds every kind of data the portal keeps about a learner."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.classroom.models import (
    Assignment,
    Cohort,
    Membership,
    ResponseGrade,
    ScoreOverride,
)
from portal.curriculum.models import DiscussionQuestion
from portal.quizzes.models import Answer, DiscussionResponse
from portal.sandbox.models import Run, RunAction, Scenario
from tests.progress.lessons import make_lesson
from tests.progress.quizzes import SHOW_ALL, make_quiz, submit


def fill(learner: User, instructor: User, number: int) -> None:
    """One lesson's worth of everything: quiz attempt, discussion, run, class work."""
    now = timezone.now()
    lesson = make_lesson(number)
    quiz = make_quiz(lesson, SHOW_ALL)
    attempt = submit(learner, quiz, [True, False])
    ResponseGrade.objects.create(
        answer=Answer.objects.filter(attempt=attempt).first(),
        points=0.5,
        feedback=f"Close, see section {number}",
        graded_by=instructor,
        graded_at=now,
    )
    question = DiscussionQuestion.objects.create(
        lesson=lesson,
        key=f"d{number}",
        level="beginner",
        group_title="Think",
        text="Why page?",
        position=0,
    )
    DiscussionResponse.objects.create(
        user=learner,
        question=question,
        text=f"Because {number}",
        submitted_at=now,
        updated_at=now,
        self_assessment="partly",
        grade=0.75,
        feedback=f"Good point {number}",
        graded_by=instructor,
        graded_at=now,
    )
    scenario = Scenario.objects.create(
        lesson=lesson, slug=f"outage-{number}", title="Outage", data={}, loaded_at=now
    )
    run = Run.objects.create(
        user=learner,
        scenario=scenario,
        seed=7,
        state="finished",
        started_at=now,
        finished_at=now,
        score={"total": 80.0, "items": {}},
        total_score=80.0,
    )
    RunAction.objects.create(run=run, index=0, text="page the on-call", at=30)
    cohort = Cohort.objects.create(name=f"Cohort {number}", created_by=instructor)
    Membership.objects.create(cohort=cohort, user=learner)
    assignment = Assignment.objects.create(
        cohort=cohort,
        kind="quiz",
        quiz=quiz,
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=1),
    )
    ScoreOverride.objects.create(
        assignment=assignment,
        user=learner,
        old_score=50,
        new_score=60 + number,
        reason="Partial credit",
        changed_by=instructor,
        changed_at=now,
    )


@pytest.fixture
def instructor_user(db: None) -> User:
    return User.objects.create_user("carol", password="x-long-password")


def test_the_export_holds_every_kind_and_what_the_dashboard_shows(
    learner: User, instructor_user: User, learner_client: Client
) -> None:
    fill(learner, instructor_user, 1)

    data = json.loads(learner_client.get("/account/export/").content)
    dashboard = learner_client.get("/dashboard/").content.decode()

    (attempt,) = data["quiz_attempts"]
    assert attempt["percent"] == 50 and attempt["submitted_at"]
    assert [(a["text"], a["response"], a["points"]) for a in attempt["answers"]] == [
        ("Is 0 true?", True, 1),
        ("Is 1 true?", False, 0),
    ]
    (response,) = data["discussion_responses"]
    assert (response["self_assessment"], response["grade"]) == ("partly", 0.75)
    assert response["feedback"] == "Good point 1"
    (run,) = data["sandbox_runs"]
    assert run["total_score"] == 80
    assert [action["text"] for action in run["actions"]] == ["page the on-call"]
    assert data["cohorts"] == [
        {
            "cohort": "Cohort 1",
            "role": "learner",
            "joined_at": data["cohorts"][0]["joined_at"],
        }
    ]
    assert data["score_overrides"][0]["new_score"] == 61
    assert data["score_overrides"][0]["reason"] == "Partial credit"
    # What the dashboard shows of the class work is in the export.
    assert data["assignments"][0]["title"] == "Quiz: Quiz of lesson-1"
    for assignment in data["assignments"]:
        assert assignment["title"] in dashboard
        assert assignment["label"] in dashboard or assignment["state"] == "late"
    assert data["instructor_feedback"]
    for item in data["instructor_feedback"]:
        assert item["mark"] in dashboard
        assert item["text"] in dashboard


def export_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/account/export/").status_code == 200
    return len(queries)


def test_the_export_takes_a_bounded_number_of_queries(
    learner: User, instructor_user: User, learner_client: Client
) -> None:
    fill(learner, instructor_user, 1)
    few = export_queries(learner_client)

    for number in range(2, 6):
        fill(learner, instructor_user, number)

    assert export_queries(learner_client) == few
