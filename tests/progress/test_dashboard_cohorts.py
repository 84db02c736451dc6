"""The dashboard of a learner in cohorts: assignments and feedback in one more query."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import (
    Cohort,
    Extension,
    Membership,
    ResponseGrade,
    ScoreOverride,
)
from portal.curriculum.models import DiscussionQuestion
from portal.progress.services import mark_sections_read, record_scenario_result
from portal.quizzes.models import Attempt, DiscussionResponse
from portal.sandbox.models import Run
from tests.classroom.builders import (
    assign,
    make_attempt,
    make_cohort,
    make_lesson,
    make_quiz,
    make_scenario,
)

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


@pytest.fixture
def two_cohorts(
    learner: User, instructor: User, other_instructor: User
) -> tuple[Cohort, Cohort]:
    """Alice in Charlie's and in Dana's cohort; each assigns a lesson, a quiz and a
    scenario. Alice has read, answered, played, been graded and been extended."""
    night = make_cohort(instructor, [learner])
    day = make_cohort(other_instructor, [learner], name="Day shift")
    first, second = make_lesson(1), make_lesson(2)
    quiz = make_quiz(first, ["single", "open"])
    scenario = make_scenario(first)
    for cohort, due in ((night, NOW + DAY), (day, NOW - DAY)):
        assign(cohort, first, due)
        assign(cohort, quiz, due)
        assign(cohort, scenario, due)
    assign(day, second, NOW + 2 * DAY)

    mark_sections_read(learner, first, ["simple", "technical"], at=NOW - 2 * DAY)
    record_scenario_result(learner, first, scenario.slug, score=75, at=NOW - 2 * DAY)
    attempt = make_attempt(
        learner, quiz, {"q1": 1}, responses={"q2": "Page the commander."},
        submitted_at=NOW - 2 * DAY,
    )  # fmt: skip
    essay = attempt.answers.get(question__key="q2")
    for at, text in ((NOW - 2 * DAY, "First look."), (NOW - DAY, "Name them.")):
        ResponseGrade.objects.create(
            answer=essay, points=0.5, feedback=text, graded_by=instructor, graded_at=at
        )
    Run.objects.create(
        user=learner, scenario=scenario, seed=0, state=Run.State.FINISHED,
        started_at=NOW - 2 * DAY, finished_at=NOW - 2 * DAY, total_score=75,
    )  # fmt: skip
    Run.objects.create(user=learner, scenario=scenario, seed=1, started_at=NOW)
    Attempt.objects.create(user=learner, quiz=quiz, number=2, started_at=NOW)

    question = DiscussionQuestion.objects.create(
        lesson=first, key="why", level="beginner", group_title="Basics",
        text="Why declare early?", position=1,
    )  # fmt: skip
    DiscussionResponse.objects.create(
        user=learner, question=question, text="To get help sooner.",
        submitted_at=NOW - 2 * DAY, updated_at=NOW - 2 * DAY, grade=0.8,
        feedback="Clear.", graded_by=other_instructor, graded_at=NOW - DAY,
    )  # fmt: skip
    day_quiz = day.assignments.get(quiz=quiz)
    Extension.objects.create(
        assignment=day.assignments.get(lesson=second), user=learner, extra_minutes=90
    )
    ScoreOverride.objects.create(
        assignment=day_quiz, user=learner, old_score=50, new_score=65,
        reason="Partial credit", changed_by=other_instructor, changed_at=NOW - DAY,
    )  # fmt: skip
    return night, day


@time_machine.travel(NOW, tick=False)
def test_assignments_of_every_kind_in_two_cohorts_take_six_queries(
    learner_client: Client,
    two_cohorts: tuple[Cohort, Cohort],
    django_assert_num_queries,
) -> None:
    # The first request also checks, once per connection, for JSON support.
    learner_client.get("/dashboard/")

    # Session, user, lessons with progress and scenario results, their sections,
    # recent activity with the profile and the cohort flag, and the assignments with
    # the learner's work and the instructors' feedback.
    with django_assert_num_queries(6):
        response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert response.content.count(b'id="assignment-') == 7
    assert html.count("Night shift ·") == 3
    assert html.count("Day shift ·") == 4
    assert "Quiz of Lesson number 1" in html


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_states_scores_and_feedback(
    learner_client: Client, two_cohorts: tuple[Cohort, Cohort]
) -> None:
    night, day = two_cohorts

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    items = {
        assignment.pk: html[html.index(f'id="assignment-{assignment.pk}"') :].split(
            "</li>"
        )[0]
        for assignment in [*night.assignments.all(), *day.assignments.all()]
    }
    by_target = {(a.cohort_id, a.kind): items[a.pk] for a in day.assignments.all()}
    by_target |= {(a.cohort_id, a.kind): items[a.pk] for a in night.assignments.all()}
    assert "Done" in by_target[night.pk, "lesson"]
    assert "Done</span> · 100%" in by_target[night.pk, "quiz"]
    assert "Done</span> · 75%" in by_target[night.pk, "scenario"]
    # Overridden: done, with the instructor's score.
    assert "Done</span> · 65%" in by_target[day.pk, "quiz"]
    second = items[day.assignments.get(lesson__number=2).pk]
    assert "(extended)" in second and "Not started" in second
    # The newest grade of the essay, and the graded discussion response.
    assert "<strong>0.5 of 1</strong>" in html
    assert "Name them." in html and "First look." not in html
    assert "Lesson 1 discussion" in html and "<strong>80%</strong>" in html


@time_machine.travel(NOW, tick=False)
def test_a_learner_who_left_every_cohort_sees_no_assignments(
    learner_client: Client, learner: User, two_cohorts: tuple[Cohort, Cohort]
) -> None:
    Membership.objects.filter(user=learner).delete()

    response = learner_client.get("/dashboard/")

    assert b"Your assignments" not in response.content
    assert b"Feedback from your instructors" not in response.content


@time_machine.travel(NOW, tick=False)
def test_feedback_on_a_discussion_response_alone_is_shown(
    learner_client: Client, learner: User, two_cohorts: tuple[Cohort, Cohort]
) -> None:
    ResponseGrade.objects.all().delete()

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert "Feedback from your instructors" in html
    assert "Lesson 1 discussion" in html and "Name them." not in html


@time_machine.travel(NOW, tick=False)
def test_without_feedback_the_assignments_still_come_in_one_query(
    learner_client: Client,
    two_cohorts: tuple[Cohort, Cohort],
    django_assert_num_queries,
) -> None:
    ResponseGrade.objects.all().delete()
    DiscussionResponse.objects.all().delete()
    # The first request also checks, once per connection, for JSON support.
    learner_client.get("/dashboard/")

    with django_assert_num_queries(6):
        response = learner_client.get("/dashboard/")

    assert response.content.count(b'id="assignment-') == 7
    assert b"Feedback from your instructors" not in response.content
