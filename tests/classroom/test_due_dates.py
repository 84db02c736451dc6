from __future__ import annotations

from datetime import datetime, timedelta, timezone

import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile
from portal.classroom.models import Assignment, Cohort, Extension
from tests.classroom.builders import assign, make_lesson, make_quiz

# 17:00 in New York on 9 June 2025 (EDT, UTC-4) is 21:00 UTC and 06:00 on 10 June in Tokyo.
DUE_UTC = datetime(2025, 6, 9, 21, 0, tzinfo=timezone.utc)


def test_due_times_are_entered_in_the_cohorts_time_zone(
    instructor_client: Client, cohort: Cohort
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(time_zone="America/New_York")
    quiz = make_quiz(make_lesson(1), ["single"])

    response = instructor_client.post(
        "/classes/NIGHT123/assignments/new/",
        {
            "target": f"quiz:{quiz.pk}",
            "opens_at": "2025-06-02T09:00",
            "due_at": "2025-06-09T17:00",
        },
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.due_at == DUE_UTC
    assert assignment.opens_at == datetime(2025, 6, 2, 13, 0, tzinfo=timezone.utc)


def test_the_form_shows_times_back_in_the_cohorts_time_zone(
    instructor_client: Client, cohort: Cohort
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(time_zone="America/New_York")
    assignment = assign(cohort, make_lesson(1), DUE_UTC)

    response = instructor_client.get(f"/classes/NIGHT123/assignments/{assignment.pk}/")

    assert b'value="2025-06-09T17:00"' in response.content


@time_machine.travel(datetime(2025, 6, 5, 12, 0, tzinfo=timezone.utc), tick=False)
def test_a_learner_in_another_time_zone_sees_the_due_time_in_their_own(
    learner_client: Client, learner: User, cohort: Cohort
) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(time_zone="America/New_York")
    Profile.objects.filter(user=learner).update(time_zone="Asia/Tokyo")
    assign(cohort, make_quiz(make_lesson(1), ["single"]), DUE_UTC)

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert "Your assignments" in html
    assert (
        'Due <time datetime="2025-06-10T06:00:00+09:00">10 Jun 2025, 06:00</time>'
        in html
    )
    assert "Not started" in html


@time_machine.travel(DUE_UTC + timedelta(minutes=30), tick=False)
def test_past_the_due_time_an_assignment_is_late(
    learner_client: Client, cohort: Cohort
) -> None:
    assign(cohort, make_quiz(make_lesson(1), ["single"]), DUE_UTC)

    response = learner_client.get("/dashboard/")

    assert b"Late: past the due time" in response.content
    assert b'class="state-late"' in response.content


@time_machine.travel(DUE_UTC + timedelta(minutes=30), tick=False)
def test_an_extension_moves_the_late_state_and_the_due_time(
    learner_client: Client, learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_quiz(make_lesson(1), ["single"]), DUE_UTC)
    Extension.objects.create(assignment=assignment, user=learner, extra_minutes=60)

    response = learner_client.get("/dashboard/")

    html = response.content.decode()
    assert "Late" not in html
    assert "9 Jun 2025, 22:00</time> (extended)" in html


def test_the_dashboard_with_assignments_takes_a_fixed_number_of_queries(
    learner_client: Client, cohort: Cohort, django_assert_num_queries
) -> None:
    for number in range(1, 4):
        assign(cohort, make_quiz(make_lesson(number), ["single"]), DUE_UTC)

    # The first request also checks, once per connection, for JSON support.
    learner_client.get("/dashboard/")

    # Session, user, lessons, sections, profile with the cohort flag, then the
    # assignments carrying the learner's work and feedback.
    with django_assert_num_queries(6):
        response = learner_client.get("/dashboard/")

    assert response.content.count(b'id="assignment-') == 3
