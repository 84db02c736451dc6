from __future__ import annotations

from datetime import datetime, timezone

from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import Assignment, Cohort, Extension, Membership
from portal.classroom.services import extra_attempts_for
from portal.quizzes.attempts import start_attempt, submit_attempt
from tests.classroom.builders import assign, make_lesson, make_quiz, make_scenario

DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)


def test_an_instructor_assigns_a_scenario(
    instructor_client: Client, cohort: Cohort
) -> None:
    scenario = make_scenario(make_lesson(1))

    response = instructor_client.post(
        "/classes/NIGHT123/assignments/new/",
        {
            "target": f"scenario:{scenario.pk}",
            "opens_at": "2025-06-02T09:00",
            "due_at": "2025-06-09T17:00",
        },
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.kind, assignment.scenario) == ("scenario", scenario)


def test_the_due_time_must_follow_the_opening(
    instructor_client: Client, cohort: Cohort
) -> None:
    lesson = make_lesson(1)

    response = instructor_client.post(
        "/classes/NIGHT123/assignments/new/",
        {
            "target": f"lesson:{lesson.pk}",
            "opens_at": "2025-06-09T09:00",
            "due_at": "2025-06-02T17:00",
        },
    )

    assert response.status_code == 200
    assert b"The due time must be after the opening time." in response.content
    assert not Assignment.objects.exists()


def test_an_extension_is_granted_and_changed(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_quiz(make_lesson(1), ["single"]), DUE)
    url = f"/classes/NIGHT123/assignments/{assignment.pk}/extensions/"

    instructor_client.post(
        url, {"learner": learner.pk, "extra_minutes": 30, "extra_attempts": 1}
    )
    instructor_client.post(
        url, {"learner": learner.pk, "extra_minutes": 90, "extra_attempts": 2}
    )

    extension = Extension.objects.get()
    assert (extension.extra_minutes, extension.extra_attempts) == (90, 2)


def test_extensions_only_go_to_the_cohorts_learners(
    instructor_client: Client, other_learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_lesson(1), DUE)

    instructor_client.post(
        f"/classes/NIGHT123/assignments/{assignment.pk}/extensions/",
        {"learner": other_learner.pk, "extra_minutes": 30, "extra_attempts": 0},
    )

    assert not Extension.objects.exists()


def test_resetting_an_assignment_removes_its_extensions(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_lesson(1), DUE)
    Extension.objects.create(assignment=assignment, user=learner, extra_minutes=60)

    response = instructor_client.post(
        f"/classes/NIGHT123/assignments/{assignment.pk}/reset/"
    )

    assert response.status_code == 302
    assert not Extension.objects.exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_deleting_an_assignment_removes_its_extensions(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_lesson(1), DUE)
    Extension.objects.create(assignment=assignment, user=learner, extra_minutes=60)

    instructor_client.post(f"/classes/NIGHT123/assignments/{assignment.pk}/delete/")

    assert not Assignment.objects.exists()
    assert not Extension.objects.exists()


def test_extra_attempts_count_the_largest_extension_of_the_quiz(
    learner: User, cohort: Cohort, other_cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"], max_attempts=1)
    Membership.objects.create(cohort=other_cohort, user=learner)
    first = assign(cohort, quiz, DUE)
    second = assign(other_cohort, quiz, DUE)
    Extension.objects.create(assignment=first, user=learner, extra_attempts=1)
    Extension.objects.create(assignment=second, user=learner, extra_attempts=3)

    assert extra_attempts_for(learner, quiz) == 3


def test_no_extra_attempts_without_an_extension_or_after_leaving_the_cohort(
    learner: User, other_learner: User, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"], max_attempts=1)
    assignment = assign(cohort, quiz, DUE)
    Extension.objects.create(assignment=assignment, user=learner, extra_attempts=2)
    Membership.objects.filter(user=learner).delete()

    assert extra_attempts_for(learner, quiz) == 0
    assert extra_attempts_for(other_learner, quiz) == 0


def test_extra_attempts_let_the_learner_start_another_attempt(
    learner: User, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"], max_attempts=1)
    assignment = assign(cohort, quiz, DUE)
    Extension.objects.create(assignment=assignment, user=learner, extra_attempts=1)
    submit_attempt(start_attempt(learner, quiz))

    second = start_attempt(learner, quiz)

    assert second.number == 2
