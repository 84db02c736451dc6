"""Join codes, blocking, assignment targets, rounding and labels."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.test import Client

from portal.classroom.models import (
    Assignment,
    Cohort,
    Extension,
    Membership,
    ScoreOverride,
)
from portal.classroom.replay import metric_rows
from portal.classroom.statistics import _round, scenario_report
from portal.sandbox.engine.scenario import load_scenario
from portal.sandbox.models import Run
from tests.classroom.builders import assign, make_lesson, make_quiz, make_scenario

DUE = datetime(2025, 6, 9, 17, 0, tzinfo=timezone.utc)


# 4. New join codes, and removing with a block.


def test_a_new_join_code_retires_the_old_code_and_link(
    instructor_client: Client, learner_client: Client, cohort: Cohort
) -> None:
    Membership.objects.filter(cohort=cohort, role="learner").delete()

    response = instructor_client.post("/classes/NIGHT123/", {"action": "new-join-code"})

    cohort.refresh_from_db()
    assert cohort.code != "NIGHT123"
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{cohort.code}/"
    assert learner_client.get("/classes/join/NIGHT123/").status_code == 404
    old = learner_client.post("/classes/join/", {"code": "NIGHT123"})
    assert b"No class has this code" in old.content
    learner_client.post("/classes/join/", {"code": cohort.code})
    assert Membership.objects.filter(cohort=cohort, role="learner").count() == 1


def test_only_the_cohorts_instructors_renew_its_code(
    other_instructor_client: Client, learner_client: Client, cohort: Cohort
) -> None:
    for client in (other_instructor_client, learner_client):
        response = client.post("/classes/NIGHT123/", {"action": "new-join-code"})
        assert response.status_code == 404
    cohort.refresh_from_db()
    assert cohort.code == "NIGHT123"


def test_a_blocked_learner_cannot_join_again(
    instructor_client: Client, learner_client: Client, learner: User, cohort: Cohort
) -> None:
    membership = Membership.objects.get(cohort=cohort, user=learner)

    instructor_client.post(
        f"/classes/NIGHT123/members/{membership.pk}/remove/", {"block": "1"}
    )
    response = learner_client.post("/classes/join/NIGHT123/", follow=True)

    membership.refresh_from_db()
    assert membership.role == Membership.Role.BLOCKED
    assert "cannot join it again" in response.content.decode()
    assert not Cohort.objects.attended_by(learner).exists()
    assert b"Unblock" in instructor_client.get("/classes/NIGHT123/").content


def test_a_plain_removal_still_lets_the_learner_rejoin(
    instructor_client: Client, learner_client: Client, learner: User, cohort: Cohort
) -> None:
    membership = Membership.objects.get(cohort=cohort, user=learner)

    instructor_client.post(f"/classes/NIGHT123/members/{membership.pk}/remove/")
    learner_client.post("/classes/join/NIGHT123/")

    assert Cohort.objects.attended_by(learner).exists()


# 5. Changing the target forgets overrides and extensions.


def test_changing_the_target_deletes_overrides_and_extensions(
    instructor_client: Client, instructor: User, learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_quiz(make_lesson(1), ["single"]), DUE)
    Extension.objects.create(assignment=assignment, user=learner, extra_minutes=60)
    ScoreOverride.objects.create(
        assignment=assignment, user=learner, new_score=90, reason="Outage",
        changed_by=instructor, changed_at=DUE,
    )  # fmt: skip
    other = make_quiz(make_lesson(2), ["single"])
    url = f"/classes/NIGHT123/assignments/{assignment.pk}/"

    page = instructor_client.get(url).content.decode()
    response = instructor_client.post(
        url,
        {
            "target": f"quiz:{other.pk}",
            "opens_at": "2025-06-02T09:00",
            "due_at": "2025-06-09T17:00",
        },
    )

    assert "deletes its extensions and score overrides" in page
    assert response.status_code == 302
    assert not Extension.objects.exists()
    assert not ScoreOverride.objects.exists()


def test_saving_the_same_target_keeps_overrides_and_extensions(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    assignment = assign(cohort, quiz, DUE)
    Extension.objects.create(assignment=assignment, user=learner, extra_minutes=60)

    instructor_client.post(
        f"/classes/NIGHT123/assignments/{assignment.pk}/",
        {
            "target": f"quiz:{quiz.pk}",
            "opens_at": "2025-06-02T09:00",
            "due_at": "2025-06-10T17:00",
        },
    )

    assert Extension.objects.count() == 1


# 6. One assignment per activity and cohort.


def test_the_same_activity_cannot_be_assigned_twice(
    instructor_client: Client, cohort: Cohort
) -> None:
    lesson = make_lesson(1)
    assign(cohort, lesson, DUE)

    response = instructor_client.post(
        "/classes/NIGHT123/assignments/new/",
        {
            "target": f"lesson:{lesson.pk}",
            "opens_at": "2025-06-02T09:00",
            "due_at": "2025-06-09T17:00",
        },
    )

    assert response.status_code == 200
    assert "already assigned in this class" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_the_database_refuses_a_second_assignment_of_an_activity(
    cohort: Cohort,
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    assign(cohort, quiz, DUE)

    with pytest.raises(IntegrityError):
        assign(cohort, quiz, DUE)


# 7. Rounding and labels.


def test_figures_round_half_away_from_zero() -> None:
    assert _round(66.665) == 66.67
    assert _round(-32.725) == -32.73
    assert _round(100 * 2 / 3) == 66.67


def test_a_share_item_is_not_rounded_twice(cohort: Cohort) -> None:
    scenario = make_scenario(make_lesson(1))
    for index, seen in enumerate([1, 1, 1]):
        user = User.objects.create_user(f"runner{index}")
        Membership.objects.create(cohort=cohort, user=user)
        Run.objects.create(
            user=user, scenario=scenario, seed=0, state=Run.State.FINISHED,
            started_at=DUE, finished_at=DUE,
            score={"items": [{
                "id": "evidence", "title": "Evidence", "points": 3.3, "max": 10,
                "note": f"{seen} of 3 key facts seen during the run",
            }]},
        )  # fmt: skip

    item = scenario_report(cohort, scenario, "all").items[0]

    assert item.facility == 33.33


def test_statistics_show_every_figure_with_two_decimals(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    from tests.classroom.builders import make_attempt

    quiz = make_quiz(make_lesson(1), ["single", "single", "single"])
    assign(cohort, quiz, DUE)
    make_attempt(learner, quiz, {"q1": 1, "q2": 1, "q3": 0})

    html = instructor_client.get(
        f"/classes/NIGHT123/statistics/quiz/{quiz.lesson.slug}/"
    ).content.decode()

    assert "<dt>Mean</dt><dd>66.67%" in html
    assert "<dt>Median</dt><dd>66.67%" in html
    assert "<td>100.00</td>" in html


def test_replay_metrics_are_labelled_for_people() -> None:
    from tests.sandbox.helpers import scenario_data

    scenario = load_scenario(scenario_data())
    rows = dict(
        metric_rows(
            scenario,
            {"t": 60, "ready_pods": 2.56, "healthy_region_error_rate": 0.01235},
        )
    )

    healthy = scenario.traffic.healthy_region
    assert rows == {"Ready pods": "2.6", f"Error rate in {healthy} (%)": "1.24"}


def test_extension_errors_name_the_field_and_the_problem(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    assignment = assign(cohort, make_quiz(make_lesson(1), ["single"]), DUE)

    response = instructor_client.post(
        f"/classes/NIGHT123/assignments/{assignment.pk}/extensions/",
        {"learner": learner.pk, "extra_minutes": -5, "extra_attempts": 1},
        follow=True,
    )

    html = response.content.decode()
    assert "check the values" not in html
    assert "Extra time (minutes): Ensure this value is greater than or equal to 0." in (
        html
    )
