from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Sum

from bench.generate import Generated
from portal.classroom.models import Assignment, Cohort, Membership
from portal.quizzes.models import Answer, Attempt, Question
from portal.sandbox.models import Run, RunAction
from tests.bench.conftest import TINY


def test_it_generates_every_kind_of_row(data: Generated) -> None:
    questions = Question.objects.filter(is_retired=False).count()

    assert User.objects.filter(username__startswith="learner").count() == TINY.learners
    assert Attempt.objects.filter(state="submitted").count() == TINY.attempts
    assert Answer.objects.count() == TINY.attempts * questions
    assert Run.objects.filter(state="finished").count() == TINY.runs
    assert RunAction.objects.count() == TINY.runs * TINY.actions_per_run
    assert Assignment.objects.count() == data.assignments == TINY.assignments


def test_it_spreads_attempts_evenly_and_numbers_them(data: Generated) -> None:
    per_learner = Attempt.objects.values("user").annotate(n=Count("pk"))

    assert {row["n"] for row in per_learner} == {TINY.attempts // TINY.learners}
    assert set(Attempt.objects.values_list("number", flat=True)) == {1, 2}


def test_it_scores_attempts_as_the_sum_of_their_answers(data: Generated) -> None:
    attempts = Attempt.objects.annotate(points=Sum("answers__points"))

    for attempt in attempts:
        assert abs(attempt.score - (attempt.points or 0)) < 1e-6


def test_it_puts_learners_in_both_cohorts(data: Generated) -> None:
    cohort = Cohort.objects.get(code=data.cohort_code)
    statistics = Cohort.objects.get(code=data.statistics_code)

    assert cohort.memberships.filter(role="learner").count() == TINY.learners
    assert statistics.memberships.filter(role="learner").count() == (
        TINY.statistics_learners
    )
    assert Membership.objects.filter(role="instructor").count() == 2
