from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile
from portal.classroom.models import Assignment, Cohort, Membership, ScoreOverride
from portal.classroom.views import MATRIX_PAGE_SIZE
from portal.progress.models import LessonProgress
from portal.quizzes.models import Attempt
from portal.sandbox.models import Run
from tests.classroom.builders import (
    assign,
    make_attempt,
    make_lesson,
    make_quiz,
    make_scenario,
)

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc)
DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)


def ten_assignments(cohort: Cohort) -> list[Assignment]:
    """Four lessons, four quizzes and two scenarios, due a day apart."""
    lessons = [make_lesson(number) for number in range(1, 5)]
    quizzes = [make_quiz(lesson, ["single"]) for lesson in lessons]
    scenarios = [make_scenario(lessons[0], slug=f"s{n}") for n in (1, 2)]
    targets = [*lessons, *quizzes, *scenarios]
    return [
        assign(cohort, target, DUE + timedelta(days=index))
        for index, target in enumerate(targets)
    ]


def many_learners(cohort: Cohort, count: int, assignments: list[Assignment]) -> None:
    """`count` learners, each with a first attempt, a run and a lesson opened."""
    users = User.objects.bulk_create(
        User(username=f"learner{n:04d}") for n in range(count)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u) for u in users)
    quiz = assignments[4].quiz
    scenario = assignments[8].scenario
    lesson = assignments[0].lesson
    Attempt.objects.bulk_create(
        Attempt(
            user=user, quiz=quiz, number=1, state="submitted", started_at=NOW,
            submitted_at=NOW - timedelta(days=3), score=n % 2, max_score=1,
        )
        for n, user in enumerate(users)
    )  # fmt: skip
    Run.objects.bulk_create(
        Run(user=user, scenario=scenario, seed=0, started_at=NOW) for user in users
    )
    LessonProgress.objects.bulk_create(
        LessonProgress(user=user, lesson=lesson, first_opened_at=NOW, completed_at=NOW)
        for user in users
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("others", [0, 1000])
def test_the_matrix_takes_the_same_queries_for_1_or_1001_learners(
    instructor_client: Client,
    cohort: Cohort,
    others: int,
    django_assert_num_queries,
) -> None:
    assignments = ten_assignments(cohort)
    many_learners(cohort, others, assignments)

    # Session, user, cohort, assignments, learners, extensions, overrides, then the
    # attempts, runs and lesson progress summarised per learner.
    with django_assert_num_queries(10):
        response = instructor_client.get("/classes/NIGHT123/matrix/")

    html = response.content.decode()
    learners = others + 1
    shown = min(learners, MATRIX_PAGE_SIZE)
    assert response.status_code == 200
    assert f"{learners} of {learners} learner" in html
    assert html.count('<td class="cell ') == shown * 10
    assert f"Totals of all {learners} learner" in html


@time_machine.travel(NOW, tick=False)
def test_cells_show_state_and_score_with_totals(
    instructor_client: Client, cohort: Cohort, learner: User
) -> None:
    quiz = make_quiz(make_lesson(1), ["single", "single"])
    on_time = assign(cohort, quiz, NOW + timedelta(days=1))
    lesson = assign(cohort, make_lesson(2), DUE)
    make_attempt(learner, quiz, {"q1": 1, "q2": 0}, submitted_at=NOW)

    response = instructor_client.get("/classes/NIGHT123/matrix/")

    html = response.content.decode()
    assert '<td class="cell cell-done">Done <span class="cell-score">50%</span>' in html
    assert '<td class="cell cell-late">Late</td>' in html
    assert "1 done · 0 late · 0 in progress · 0 not started<br>mean 50%" in html
    assert on_time.pk and lesson.pk


@time_machine.travel(NOW, tick=False)
def test_an_override_replaces_the_score_in_the_matrix(
    instructor_client: Client, cohort: Cohort, learner: User, instructor: User
) -> None:
    quiz = make_quiz(make_lesson(1), ["single", "single"])
    assignment = assign(cohort, quiz, NOW + timedelta(days=1))
    make_attempt(learner, quiz, {"q1": 1, "q2": 0}, submitted_at=NOW)
    ScoreOverride.objects.create(
        assignment=assignment, user=learner, old_score=50, new_score=80,
        reason="Regraded by hand", changed_by=instructor, changed_at=NOW,
    )  # fmt: skip

    response = instructor_client.get("/classes/NIGHT123/matrix/")

    assert b'<span class="cell-score">80%</span> <abbr' in response.content


@time_machine.travel(NOW, tick=False)
def test_rows_sort_by_an_assignment_and_filter_by_state(
    instructor_client: Client, cohort: Cohort, learner: User, other_learner: User
) -> None:
    Membership.objects.create(cohort=cohort, user=other_learner)
    quiz = make_quiz(make_lesson(1), ["single", "single"])
    assignment = assign(cohort, quiz, NOW + timedelta(days=1))
    make_attempt(learner, quiz, {"q1": 1, "q2": 0})
    make_attempt(other_learner, quiz, {"q1": 1, "q2": 1})

    by_score = instructor_client.get(
        f"/classes/NIGHT123/matrix/?sort={assignment.pk}&order=desc"
    )
    filtered = instructor_client.get("/classes/NIGHT123/matrix/?q=ali")

    html = by_score.content.decode()
    assert html.index(">Bob</a>") < html.index(">Alice</a>")
    assert 'aria-sort="descending"' in html
    assert b">Alice</a>" in filtered.content
    assert b">Bob</a>" not in filtered.content


def test_htmx_requests_get_only_the_matrix_fragment(
    instructor_client: Client, cohort: Cohort
) -> None:
    response = instructor_client.get(
        "/classes/NIGHT123/matrix/?state=late", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="matrix"')
    assert "<html" not in html


def scored_learners(cohort: Cohort, quiz_assignment: Assignment, count: int) -> None:
    """`count` learners; learner0000 scores 0% and each next one a point more."""
    users = User.objects.bulk_create(
        User(username=f"learner{n:04d}") for n in range(count)
    )
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u) for u in users)
    Attempt.objects.bulk_create(
        Attempt(
            user=user, quiz=quiz_assignment.quiz, number=1, state="submitted",
            started_at=NOW, submitted_at=NOW, score=n, max_score=100,
        )
        for n, user in enumerate(users)
    )  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_sorting_goes_over_the_whole_class_before_the_page_is_cut(
    instructor_client: Client, cohort: Cohort
) -> None:
    quiz = assign(cohort, make_quiz(make_lesson(1), ["single"]), NOW + timedelta(1))
    scored_learners(cohort, quiz, 60)

    first = instructor_client.get(
        f"/classes/NIGHT123/matrix/?sort={quiz.pk}&order=desc"
    )
    second = instructor_client.get(
        f"/classes/NIGHT123/matrix/?sort={quiz.pk}&order=desc&page=2"
    )

    html = first.content.decode()
    # The best score belongs to the learner whose name sorts last.
    assert html.index(">learner0059</a>") < html.index(">learner0058</a>")
    assert ">learner0009</a>" not in html
    assert "61 of 61 learners match; 1 to 50 of them are on this page" in html
    assert f'href="?sort={quiz.pk}&amp;order=desc&amp;page=2" rel="next"' in html
    assert "Page 1 of 2" in html
    page_two = second.content.decode()
    assert ">learner0009</a>" in page_two
    assert ">learner0059</a>" not in page_two
    # Alice has no score: last, whichever the order.
    assert page_two.index(">learner0000</a>") < page_two.index(">Alice</a>")


@time_machine.travel(NOW, tick=False)
def test_a_filter_pages_the_matching_learners_and_keeps_the_class_totals(
    instructor_client: Client, cohort: Cohort
) -> None:
    quiz = assign(cohort, make_quiz(make_lesson(1), ["single"]), NOW + timedelta(1))
    scored_learners(cohort, quiz, 60)

    response = instructor_client.get("/classes/NIGHT123/matrix/?q=learner00&state=done")

    html = response.content.decode()
    assert "60 of 61 learners match; 1 to 50 of them are on this page" in html
    assert "Totals of all 61 learners (not only those matching)" in html
    assert "60 done · 0 late · 0 in progress · 1 not started" in html
    assert 'href="?q=learner00&amp;state=done&amp;page=2" rel="next"' in html
    # Changing the order starts again from the first page, keeping the filter.
    assert 'href="?q=learner00&amp;state=done&amp;sort=name&amp;order=desc"' in html


@pytest.mark.parametrize(("page", "shown"), [("999", "Page 2 of 2"), ("x", "Page 1")])
@time_machine.travel(NOW, tick=False)
def test_a_page_out_of_range_shows_the_nearest_one(
    instructor_client: Client, cohort: Cohort, page: str, shown: str
) -> None:
    quiz = assign(cohort, make_quiz(make_lesson(1), ["single"]), NOW + timedelta(1))
    scored_learners(cohort, quiz, 60)

    response = instructor_client.get(f"/classes/NIGHT123/matrix/?page={page}")

    assert response.status_code == 200
    assert shown in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_htmx_pages_come_as_the_matrix_fragment_with_their_links(
    instructor_client: Client, cohort: Cohort
) -> None:
    quiz = assign(cohort, make_quiz(make_lesson(1), ["single"]), NOW + timedelta(1))
    scored_learners(cohort, quiz, 60)

    response = instructor_client.get(
        "/classes/NIGHT123/matrix/?page=2", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="matrix"')
    assert 'href="?page=1" rel="prev"' in html
    assert html.count('<td class="cell ') == 11
