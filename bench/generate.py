"""Data at scale: learners, attempts, runs, cohorts, written in bulk (COPY where it counts).

One password hash is computed once and shared by every generated account, since hashing
is deliberately slow. Attempts and runs are spread evenly over the learners.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from bench.config import Sizes
from bench.insert import insert
from bench.script import lines, stamped
from bench.sheets import Mark, sheet
from portal.accounts.models import Profile
from portal.accounts.roles import grant_instructor
from portal.classroom.models import Assignment, Cohort, Membership
from portal.classroom.services import create_cohort
from portal.progress.models import LessonProgress
from portal.quizzes.models import Answer, Attempt, QuestionVersion, Quiz
from portal.sandbox.models import Run, RunAction, Scenario
from portal.sandbox.services import scenario_of

PASSWORD = "bench-password-not-secret"
ANSWER_COLUMNS = (
    "attempt_id", "question_id", "version_id", "graded_version_id", "position",
    "response", "saved_at", "fraction", "points", "feedback",
)  # fmt: skip
BATCH = 2_000
SHEETS = 16


@dataclass(frozen=True)
class Generated:
    """What the measurements need to find in the generated data."""

    instructor_id: int
    learner_ids: list[int]
    cohort_code: str
    statistics_code: str
    assignments: int
    lesson_slug: str
    scenario_slug: str
    seconds: float


def generate(sizes: Sizes, seed: int = 7) -> Generated:
    started = time.perf_counter()
    rng = random.Random(seed)
    quiz = Quiz.objects.select_related("lesson").get(is_retired=False)
    scenario = Scenario.objects.get(is_retired=False, lesson=quiz.lesson)

    with transaction.atomic():
        instructor, learners = _accounts(sizes.learners)
        _attempts(quiz, learners, sizes.attempts, rng)
        _runs(scenario, learners, sizes.runs, sizes.actions_per_run)
        _progress(quiz, learners)
        cohort, statistics, assignments = _cohorts(
            instructor, learners, quiz, scenario, sizes
        )
    _analyze()

    return Generated(
        instructor_id=instructor.pk,
        learner_ids=[learner.pk for learner in learners],
        cohort_code=cohort.code,
        statistics_code=statistics.code,
        assignments=assignments,
        lesson_slug=quiz.lesson.slug,
        scenario_slug=scenario.slug,
        seconds=time.perf_counter() - started,
    )


def _analyze() -> None:
    """Refresh the planner's statistics, as autovacuum soon would after a bulk load:
    without them PostgreSQL plans the new tables as if they were empty."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _accounts(count: int) -> tuple[User, list[User]]:
    password = make_password(PASSWORD)
    instructor = User.objects.create(username="bench-instructor", password=password)
    grant_instructor(instructor)
    learners = User.objects.bulk_create(
        (
            User(username=f"learner{n:05d}", email=f"learner{n:05d}@example.com",
                 password=password)
            for n in range(count)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    Profile.objects.bulk_create(
        (Profile(user=u, display_name=f"Learner {u.username[7:]}") for u in learners),
        batch_size=BATCH,
    )
    return instructor, learners


def _current_versions(quiz: Quiz) -> list[QuestionVersion]:
    return list(
        QuestionVersion.objects.filter(
            question__quiz=quiz,
            question__is_retired=False,
            number=F("question__version"),
        )
        .select_related("question")
        .order_by("question__position", "question__pk")
    )


def _attempts(quiz: Quiz, learners: list[User], count: int, rng: random.Random) -> None:
    """`count` submitted attempts, spread evenly over the learners, with graded answers."""
    versions = _current_versions(quiz)
    sheets = [sheet(versions, rng) for _ in range(SHEETS)]
    order = {v.question.key: _author_order(v) for v in versions}
    max_score = float(sum(v.question.points for v in versions if v.question.is_graded))
    now = timezone.now()

    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        marks = [sheets[rng.randrange(SHEETS)] for _ in numbers]
        attempts = Attempt.objects.bulk_create(
            _attempt(quiz, learners, i, now, order, max_score, sheet_marks)
            for i, sheet_marks in zip(numbers, marks, strict=True)
        )
        insert(
            Answer,
            ANSWER_COLUMNS,
            (
                _answer(attempt, position, version, mark)
                for attempt, sheet_marks in zip(attempts, marks, strict=True)
                for position, (version, mark) in enumerate(
                    zip(versions, sheet_marks, strict=True)
                )
            ),
        )


def _attempt(
    quiz: Quiz,
    learners: list[User],
    i: int,
    now: datetime,
    order: dict[str, list[str]],
    max_score: float,
    marks: list[Mark],
) -> Attempt:
    started = now - timedelta(days=30, minutes=i)
    return Attempt(
        user=learners[i % len(learners)],
        quiz=quiz,
        number=i // len(learners) + 1,
        state=Attempt.State.SUBMITTED,
        started_at=started,
        submitted_at=started + timedelta(minutes=12),
        score=round(sum(mark.points or 0.0 for mark in marks), 4),
        max_score=max_score,
        option_order=order,
    )


def _answer(
    attempt: Attempt, position: int, version: QuestionVersion, mark: Mark
) -> tuple[Any, ...]:
    return (
        attempt.pk,
        version.question_id,
        version.pk,
        version.pk,
        position,
        mark.response,
        attempt.started_at,
        mark.fraction,
        mark.points,
        mark.feedback,
    )


def _author_order(version: QuestionVersion) -> list[str]:
    data = version.data
    if "options" in data:
        return [option["key"] for option in data["options"]]
    if "items" in data:
        return [item["key"] for item in data["items"]]
    if "pairs" in data:
        return [pair["right"] for pair in data["pairs"]]
    return []


def _runs(scenario: Scenario, learners: list[User], count: int, actions: int) -> None:
    """`count` finished runs, each the same opening of `actions` actions."""
    play = scenario_of(scenario)
    stamped_actions, score = stamped(play, lines(actions))
    now = timezone.now()
    runs = [
        Run(
            user=learners[i % len(learners)],
            scenario=scenario,
            seed=0,
            state=Run.State.FINISHED,
            started_at=now - timedelta(days=20, minutes=i),
            finished_at=now - timedelta(days=20, minutes=i - 30),
            score=score,
            total_score=score["total"],
            action_count=len(stamped_actions),
        )
        for i in range(count)
    ]
    for start in range(0, len(runs), BATCH):
        batch = Run.objects.bulk_create(runs[start : start + BATCH])
        insert(
            RunAction,
            ("run_id", "index", "text", "at", "created_at"),
            (
                (run.pk, index, action.text, action.at, now)
                for run in batch
                for index, action in enumerate(stamped_actions)
            ),
        )


def _progress(quiz: Quiz, learners: list[User]) -> None:
    now = timezone.now() - timedelta(days=10)
    LessonProgress.objects.bulk_create(
        (
            LessonProgress(
                user=learner,
                lesson=quiz.lesson,
                first_opened_at=now - timedelta(days=30),
                last_visited_at=now,
                last_section="summary",
                quiz_best_score=60.0 + n % 40,
                quiz_best_at=now,
                quiz_passed_at=now if 60 + n % 40 >= quiz.pass_mark else None,
            )
            for n, learner in enumerate(learners)
        ),
        batch_size=BATCH,
    )


def _cohorts(
    instructor: User,
    learners: list[User],
    quiz: Quiz,
    scenario: Scenario,
    sizes: Sizes,
) -> tuple[Cohort, Cohort, int]:
    """The whole year in one cohort with its assignments, and a smaller one whose
    attempts the statistics page covers."""
    cohort = create_cohort(instructor, "Bench: every learner", "UTC")
    _members(cohort, learners)
    assignments = _assignments(cohort, quiz, scenario, sizes.assignments)

    statistics = create_cohort(instructor, "Bench: statistics", "UTC")
    _members(statistics, learners[-sizes.statistics_learners :])
    return cohort, statistics, assignments


def _members(cohort: Cohort, learners: list[User]) -> None:
    Membership.objects.bulk_create(
        (Membership(cohort=cohort, user=learner) for learner in learners),
        batch_size=BATCH,
    )


def _assignments(cohort: Cohort, quiz: Quiz, scenario: Scenario, count: int) -> int:
    """Up to `count` assignments; a cohort is assigned each lesson, quiz or scenario
    at most once, so the curriculum's size caps them."""
    now = timezone.now()
    targets = [
        {"kind": Assignment.Kind.LESSON, "lesson": quiz.lesson},
        {"kind": Assignment.Kind.QUIZ, "quiz": quiz},
        {"kind": Assignment.Kind.SCENARIO, "scenario": scenario},
    ]
    created = Assignment.objects.bulk_create(
        Assignment(
            cohort=cohort,
            opens_at=now - timedelta(days=40 - 3 * n),
            due_at=now - timedelta(days=25 - 5 * n),
            **target,
        )
        for n, target in enumerate(targets[:count])
    )
    return len(created)
