from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.progress.services import mark_sections_read, record_quiz_result
from tests.progress.lessons import make_lesson

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


def test_it_needs_sign_in(client: Client) -> None:
    response = client.get("/account/export/")

    assert response["Location"] == "/accounts/login/?next=/account/export/"


@pytest.fixture
def history(learner: User, other_learner: User) -> None:
    first, second = make_lesson(1), make_lesson(2, completion={"quiz": "pass"})
    mark_sections_read(learner, first, ["simple", "technical"], at=MONDAY)
    mark_sections_read(learner, second, ["simple"], at=MONDAY)
    record_quiz_result(learner, second, score=55, passed=False, at=MONDAY)
    mark_sections_read(other_learner, second, ["technical"], at=MONDAY)


@pytest.mark.usefixtures("history")
def test_it_downloads_everything_held_about_the_learner(learner_client: Client) -> None:
    response = learner_client.get("/account/export/")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="incident-academy-alice.json"'
    )
    data = json.loads(response.content)
    assert data["profile"]["username"] == "alice"
    assert data["profile"]["email"] == "alice@example.com"
    assert data["profile"]["time_zone"] == "UTC"
    assert data["profile"]["roles"] == ["learner"]
    assert data["overall"] == {"percent": 66, "lessons_completed": 1, "lessons": 2}
    first, second = data["lessons"]
    assert (first["status"], first["percent"]) == ("complete", 100)
    assert first["completed_at"] == "2025-03-03T09:00:00Z"
    assert [read["kind"] for read in second["sections_read"]] == ["simple"]
    assert second["quiz"]["best_score"] == 55
    assert second["missing"] == ["Read: Technical", "Pass the lesson's quiz"]
    assert len(data["activity"]) == 6


@pytest.mark.usefixtures("history")
def test_it_contains_what_the_dashboard_shows(learner_client: Client) -> None:
    dashboard = learner_client.get("/dashboard/").content.decode()

    data = json.loads(learner_client.get("/account/export/").content)

    assert (
        f'<progress id="overall-progress" max="100" value="{data["overall"]["percent"]}">'
        in dashboard
    )
    for lesson in data["lessons"]:
        bar = f'<progress id="progress-{lesson["lesson"]}" max="100" value="{lesson["percent"]}">'
        assert bar in dashboard
        for item in lesson["missing"]:
            assert item.replace("'", "&#x27;") in dashboard
    for activity in data["activity"]:
        assert activity["description"] in dashboard
    assert "55%" in dashboard


@pytest.mark.usefixtures("history")
def test_it_holds_nothing_of_another_learner(other_learner_client: Client) -> None:
    data = json.loads(other_learner_client.get("/account/export/").content)

    assert data["profile"]["username"] == "bob"
    assert data["lessons"][0]["status"] == "not-started"
    assert [read["kind"] for read in data["lessons"][1]["sections_read"]] == [
        "technical"
    ]
    assert "alice" not in json.dumps(data)
