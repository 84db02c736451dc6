from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models
from django.test import Client

from portal.progress.services import mark_sections_read, record_scenario_result
from tests.conftest import PASSWORD
from tests.progress.lessons import make_lesson


def rows_pointing_at(user_id: int) -> list[str]:
    """Every row, in every installed model, with a relation to the given user."""
    found = []
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.related_model is user_model):
                continue
            if field.many_to_many and not field.concrete:
                continue
            if isinstance(field, models.ForeignObjectRel):
                continue
            count = model._default_manager.filter(**{field.name: user_id}).count()
            if count:
                found.append(f"{model._meta.label}.{field.name}: {count}")
    return found


def test_it_needs_sign_in(client: Client) -> None:
    response = client.get("/account/delete/")

    assert response["Location"] == "/accounts/login/?next=/account/delete/"


def test_a_wrong_password_deletes_nothing(
    learner_client: Client, learner: User
) -> None:
    response = learner_client.post("/account/delete/", {"password": "not it"})

    assert response.status_code == 200
    assert b"That is not your password." in response.content
    assert b'role="alert"' in response.content
    assert User.objects.filter(pk=learner.pk).exists()


@pytest.mark.usefixtures("other_learner")
def test_it_leaves_no_row_that_names_the_learner(
    learner_client: Client, learner: User, other_learner: User
) -> None:
    lesson = make_lesson(1)
    mark_sections_read(learner, lesson, ["simple", "technical"])
    record_scenario_result(learner, lesson, "checkout", score=90)
    mark_sections_read(other_learner, lesson, ["simple"])
    learner_client.get("/lessons/lesson-1/")
    learner_id = learner.pk
    assert rows_pointing_at(learner_id)

    response = learner_client.post("/account/delete/", {"password": PASSWORD})

    assert response["Location"] == "/"
    assert rows_pointing_at(learner_id) == []
    assert not User.objects.filter(username="alice").exists()
    assert rows_pointing_at(other_learner.pk) != []
    assert learner_client.get("/dashboard/").status_code == 302


def test_it_leaves_no_row_of_any_kind_and_keeps_the_instructors_work(
    learner_client: Client, learner: User, instructor: User
) -> None:
    """Quiz attempts with their grades and overrides, discussion answers, sandbox
    runs and memberships all go; the instructor's cohort and assignment stay."""
    from portal.classroom.models import Assignment, Cohort, ScoreOverride
    from portal.quizzes.models import Answer, Attempt, DiscussionResponse
    from portal.sandbox.models import Run
    from tests.accounts.test_export_everything import fill

    fill(learner, instructor, 1)
    fill(learner, instructor, 2)
    learner_id = learner.pk
    kinds = (Attempt, Answer, DiscussionResponse, Run, ScoreOverride)
    assert all(kind.objects.exists() for kind in kinds)

    response = learner_client.post("/account/delete/", {"password": PASSWORD})

    assert response["Location"] == "/"
    assert rows_pointing_at(learner_id) == []
    assert [kind.__name__ for kind in kinds if kind.objects.exists()] == []
    assert Cohort.objects.count() == 2
    assert Assignment.objects.count() == 2
    assert User.objects.filter(pk=instructor.pk).exists()
