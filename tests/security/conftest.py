"""One world for the security tests: Charlie teaches Alice, Dana teaches Bob.

Alice owns one of everything a learner can own, in lesson 4 of the real curriculum; a
second small lesson holds a quiz with an open question, which the grading queue needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from portal.classroom.models import Assignment, Cohort, Extension, Membership
from portal.curriculum.models import DiscussionQuestion, Lesson
from portal.progress.services import record_visit
from portal.quizzes import attempts
from portal.quizzes import discussion as discussions
from portal.quizzes.models import Answer, Attempt, DiscussionResponse
from portal.sandbox import services as sandbox
from portal.sandbox.models import Run, Scenario
from tests.classroom.builders import assign, make_attempt, make_cohort, make_quiz
from tests.conftest import LESSON_4
from tests.progress.lessons import make_lesson

# Alice's private words: no page shown to anyone but her and her instructor has them.
SECRET_ANSWER = "alice-private-essay-7f3a"
SECRET_DISCUSSION = "alice-private-discussion-91c2"


@dataclass
class World:
    cohort: Cohort
    other_cohort: Cohort
    lesson: Lesson
    scenario: Scenario
    question: DiscussionQuestion
    attempt: Attempt
    submitted_attempt: Attempt
    open_answer: Answer
    active_run: Run
    finished_run: Run
    discussion: DiscussionResponse
    assignment: Assignment
    extension: Extension
    membership: Membership


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Sign-in throttling counts in the cache; no test may inherit another's count."""
    cache.clear()


def _cohort(teacher: User, learner: User, name: str, code: str) -> Cohort:
    cohort = make_cohort(teacher, [learner], name=name)
    Cohort.objects.filter(pk=cohort.pk).update(code=code)
    cohort.refresh_from_db()
    return cohort


@pytest.fixture
def world(
    curriculum: None,
    learner: User,
    other_learner: User,
    instructor: User,
    other_instructor: User,
) -> World:
    """Charlie's cohort NIGHT123 with Alice; Dana's DAYS4567 with Bob; Alice's work."""
    cohort = _cohort(instructor, learner, "Night shift", "NIGHT123")
    other_cohort = _cohort(other_instructor, other_learner, "Day shift", "DAYS4567")
    lesson = Lesson.objects.get(slug=LESSON_4)
    scenario = Scenario.objects.get(lesson=lesson)
    question = lesson.discussion_questions.order_by("position").first()
    assert question is not None
    record_visit(learner, lesson)

    quiz = lesson.quiz
    submitted = attempts.start_attempt(learner, quiz)
    attempts.submit_attempt(submitted)
    in_progress = attempts.start_attempt(learner, quiz)

    open_quiz = make_quiz(make_lesson(90), ["open"])
    essay = make_attempt(learner, open_quiz, {}, responses={"q1": SECRET_ANSWER})
    assign(cohort, open_quiz, timezone.now() + timedelta(days=7))

    finished = sandbox.start_or_resume(learner, scenario)
    sandbox.add_action(finished, "ack")
    sandbox.end_run(finished)
    active = sandbox.start_or_resume(learner, scenario)

    response = discussions.submit_response(learner, question, SECRET_DISCUSSION)
    assignment = assign(cohort, quiz, timezone.now() + timedelta(days=7))
    extension = Extension.objects.create(
        assignment=assignment, user=learner, extra_minutes=30
    )
    return World(
        cohort=cohort,
        other_cohort=other_cohort,
        lesson=lesson,
        scenario=scenario,
        question=question,
        attempt=in_progress,
        submitted_attempt=Attempt.objects.get(pk=submitted.pk),
        open_answer=essay.answers.get(),
        active_run=active,
        finished_run=Run.objects.get(pk=finished.pk),
        discussion=response,
        assignment=assignment,
        extension=extension,
        membership=Membership.objects.get(cohort=cohort, user=learner),
    )
