from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import Cohort, Membership
from tests.classroom.builders import make_cohort


def test_an_instructor_creates_a_cohort_and_teaches_it(
    instructor_client: Client, instructor: User
) -> None:
    response = instructor_client.post(
        "/classes/", {"name": "Night shift", "time_zone": "Europe/Berlin"}
    )

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{cohort.code}/"
    assert cohort.time_zone == "Europe/Berlin"
    assert len(cohort.code) == 8
    assert Membership.objects.get(cohort=cohort).role == "instructor"


def test_learners_cannot_create_cohorts(learner_client: Client) -> None:
    response = learner_client.post("/classes/", {"name": "Mine", "time_zone": "UTC"})

    assert response.status_code == 404
    assert not Cohort.objects.exists()


def test_the_cohort_page_shows_the_code_and_the_join_link(
    instructor_client: Client, cohort: Cohort
) -> None:
    response = instructor_client.get("/classes/NIGHT123/")

    html = response.content.decode()
    assert '<code id="join-code">NIGHT123</code>' in html
    assert "http://testserver/classes/join/NIGHT123/" in html


def test_a_learner_joins_with_the_code(
    learner_client: Client, learner: User, other_cohort: Cohort
) -> None:
    response = learner_client.post("/classes/join/", {"code": " days4567 "})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert Membership.objects.get(user=learner).cohort == other_cohort


def test_a_wrong_code_is_explained(learner_client: Client, cohort: Cohort) -> None:
    response = learner_client.post("/classes/join/", {"code": "NOPE"})

    assert response.status_code == 200
    assert b"No class has this code" in response.content


def test_a_learner_joins_with_the_link_and_can_be_in_several_cohorts(
    learner_client: Client, learner: User, cohort: Cohort, other_cohort: Cohort
) -> None:
    page = learner_client.get("/classes/join/DAYS4567/")
    response = learner_client.post("/classes/join/DAYS4567/")

    assert b"Join \xe2\x80\x9cDay shift\xe2\x80\x9d" in page.content
    assert response.status_code == 302
    assert set(Cohort.objects.attended_by(learner)) == {cohort, other_cohort}


def test_joining_twice_changes_nothing(
    learner_client: Client, learner: User, cohort: Cohort
) -> None:
    learner_client.post("/classes/join/", {"code": "NIGHT123"})

    assert Membership.objects.filter(user=learner).count() == 1


def test_an_anonymous_visitor_of_a_join_link_signs_in_first(client: Client) -> None:
    response = client.get("/classes/join/NIGHT123/")

    assert response["Location"] == "/accounts/login/?next=/classes/join/NIGHT123/"


def test_an_instructor_adds_a_co_instructor_who_then_sees_the_cohort(
    instructor_client: Client,
    other_instructor_client: Client,
    other_instructor: User,
    cohort: Cohort,
) -> None:
    before = other_instructor_client.get("/classes/NIGHT123/")

    instructor_client.post("/classes/NIGHT123/instructors/", {"username": "dana"})

    after = other_instructor_client.get("/classes/NIGHT123/")
    assert before.status_code == 404
    assert after.status_code == 200


def test_only_instructors_can_become_co_instructors(
    instructor_client: Client, other_learner: User, cohort: Cohort
) -> None:
    instructor_client.post("/classes/NIGHT123/instructors/", {"username": "bob"})

    assert not Membership.objects.filter(user=other_learner).exists()


def test_an_instructor_removes_a_learner(
    instructor_client: Client, learner: User, cohort: Cohort
) -> None:
    membership = Membership.objects.get(user=learner)

    response = instructor_client.post(
        f"/classes/NIGHT123/members/{membership.pk}/remove/"
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(user=learner).exists()


def test_the_last_instructor_cannot_be_removed(
    instructor_client: Client, instructor: User, cohort: Cohort
) -> None:
    membership = Membership.objects.get(user=instructor)

    instructor_client.post(f"/classes/NIGHT123/members/{membership.pk}/remove/")

    assert Membership.objects.filter(user=instructor).exists()


def test_the_list_shows_taught_and_attended_cohorts_separately(
    instructor_client: Client, instructor: User, other_instructor: User
) -> None:
    make_cohort(instructor, [], name="Taught by Charlie")
    make_cohort(other_instructor, [instructor], name="Charlie attends")

    response = instructor_client.get("/classes/")

    html = response.content.decode()
    taught = html.index("Classes you teach")
    attended = html.index("Classes you attend")
    assert taught < html.index("Taught by Charlie") < attended
    assert attended < html.index("Charlie attends")
