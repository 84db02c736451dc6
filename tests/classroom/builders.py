"""Small builders for classroom tests: cohorts, quizzes, attempts and runs in the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from portal.classroom.models import Assignment, Cohort, Membership
from portal.curriculum.models import Lesson
from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz
from portal.sandbox.engine.replay import apply, new_run, next_action
from portal.sandbox.engine.scenario import load_scenario
from portal.sandbox.engine.scoring import as_dict, score
from portal.sandbox.models import Run, RunAction, Scenario
from tests.progress.lessons import make_lesson
from tests.sandbox.helpers import scenario_data

SINGLE_OPTIONS = [
    {"key": "a", "text": "Acknowledge the page", "fraction": 1.0},
    {"key": "b", "text": "Wait and see", "fraction": 0.0},
    {"key": "c", "text": "Restart everything", "fraction": 0.0},
]


def make_cohort(
    instructor: User, learners: list[User], name: str = "Night shift", tz: str = "UTC"
) -> Cohort:
    cohort = Cohort.objects.create(name=name, time_zone=tz, created_by=instructor)
    Membership.objects.create(
        cohort=cohort, user=instructor, role=Membership.Role.INSTRUCTOR
    )
    for learner in learners:
        Membership.objects.create(cohort=cohort, user=learner)
    return cohort


def make_quiz(
    lesson: Lesson, kinds: list[str], max_attempts: int | None = None
) -> Quiz:
    """A quiz whose questions q1, q2, ... have the given kinds and one point each."""
    quiz = Quiz.objects.create(
        lesson=lesson, title=f"Quiz of {lesson.title}", max_attempts=max_attempts
    )
    for position, kind in enumerate(kinds, start=1):
        question = Question.objects.create(
            quiz=quiz, key=f"q{position}", kind=kind, points=1, position=position
        )
        data: dict[str, Any] = {"options": SINGLE_OPTIONS}
        if kind == "truefalse":
            data = {"answer": True}
        elif kind == "short":
            data = {"accepted": [{"text": "SEV1", "fraction": 1.0}]}
        elif kind == "open":
            data = {"model_answer": "Page the commander, then update the status page."}
        QuestionVersion.objects.create(
            question=question, number=1, text=f"Question {position}?", data=data
        )
    return quiz


def make_attempt(
    user: User,
    quiz: Quiz,
    marks: dict[str, float],
    number: int = 1,
    responses: dict[str, Any] | None = None,
    submitted_at: datetime | None = None,
) -> Attempt:
    """A submitted attempt with the given points per question key."""
    responses = responses or {}
    submitted_at = submitted_at or timezone.now()
    questions = list(quiz.questions.all())
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        number=number,
        state=Attempt.State.SUBMITTED,
        started_at=submitted_at - timedelta(minutes=5),
        submitted_at=submitted_at,
        score=sum(marks.values()),
        max_score=sum(q.points for q in questions if q.is_graded),
        option_order={
            q.key: ["a", "b", "c"]
            for q in questions
            if q.kind in ("single", "multiple")
        },
    )
    for position, question in enumerate(questions):
        points = marks.get(question.key)
        default = "a" if points else "b"
        Answer.objects.create(
            attempt=attempt,
            question=question,
            version=question.versions.get(number=1),
            position=position,
            response=responses.get(question.key, default),
            saved_at=submitted_at,
            points=points if question.is_graded else None,
            fraction=points if question.is_graded else None,
        )
    return attempt


def make_scenario(lesson: Lesson, slug: str = "checkout-incident") -> Scenario:
    return Scenario.objects.create(
        lesson=lesson,
        slug=slug,
        title="The 2 AM checkout incident",
        data=scenario_data(),
        loaded_at=timezone.now(),
    )


def play_run(
    user: User, scenario: Scenario, lines: list[str], finish: bool = True
) -> Run:
    """Store a run the way the sandbox does: its actions, and its score when finished."""
    engine_scenario = load_scenario(scenario.data)
    state = new_run(engine_scenario, 0)
    run = Run.objects.create(
        user=user, scenario=scenario, seed=0, started_at=timezone.now()
    )
    for index, line in enumerate(lines):
        action = next_action(state, line)
        state = apply(engine_scenario, state, action)
        RunAction.objects.create(run=run, index=index, text=line, at=action.at)
    run.action_count = len(lines)
    if finish:
        result = as_dict(engine_scenario, score(engine_scenario, state))
        run.state = Run.State.FINISHED
        run.finished_at = timezone.now()
        run.score = result
        run.total_score = float(result["total"])  # type: ignore[arg-type]
    run.save()
    return run


def assign(
    cohort: Cohort,
    target: Lesson | Quiz | Scenario,
    due_at: datetime,
    opens_at: datetime | None = None,
) -> Assignment:
    kind = {Lesson: "lesson", Quiz: "quiz", Scenario: "scenario"}[type(target)]
    return Assignment.objects.create(
        cohort=cohort,
        kind=kind,
        opens_at=opens_at or due_at - timedelta(days=7),
        due_at=due_at,
        **{kind: target},
    )


__all__ = ["make_lesson"]
