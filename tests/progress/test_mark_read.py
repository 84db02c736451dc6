from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from portal.curriculum.models import Lesson
from portal.progress.models import SectionRead


def test_it_marks_a_section_read_and_returns_to_it(
    learner_client: Client, learner: User, basics: Lesson
) -> None:
    response = learner_client.post("/lessons/basics/sections/simple/read/")

    assert response.status_code == 302
    assert response["Location"] == "/lessons/basics/#section-simple"
    assert list(SectionRead.objects.values_list("kind", flat=True)) == ["simple"]


def test_htmx_gets_only_the_updated_controls(
    learner_client: Client, basics: Lesson
) -> None:
    response = learner_client.post(
        "/lessons/basics/sections/simple/read/", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert '<section id="lesson-progress"' in html
    assert 'id="read-control-simple" hx-swap-oob="true"' in html
    assert 'id="progress-announcement" class="visually-hidden" role="status"' in html
    assert "“ELI5 Explanation” marked as read." in html
    assert 'value="50"' in html


def test_reading_to_the_end_marks_every_section(
    learner_client: Client, basics: Lesson
) -> None:
    response = learner_client.post("/lessons/basics/read/")

    assert response["Location"] == "/lessons/basics/#lesson-end"
    assert set(SectionRead.objects.values_list("kind", flat=True)) == {
        "simple",
        "questions",
    }


def test_reading_to_the_end_with_htmx_returns_the_fragment(
    learner_client: Client, basics: Lesson
) -> None:
    response = learner_client.post(
        "/lessons/basics/read/", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "<html" not in html
    assert "You have read every section of this lesson." in html
    assert 'value="100"' in html


def test_anonymous_users_are_sent_to_sign_in_and_back_to_the_section(
    client: Client, basics: Lesson
) -> None:
    response = client.post("/lessons/basics/sections/simple/read/")

    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/login/?next=/lessons/basics/%23section-simple"
    )
    assert not SectionRead.objects.exists()


def test_anonymous_htmx_requests_are_redirected_by_htmx(
    client: Client, basics: Lesson
) -> None:
    response = client.post("/lessons/basics/read/", headers={"HX-Request": "true"})

    assert (
        response["HX-Redirect"] == "/accounts/login/?next=/lessons/basics/%23lesson-end"
    )


def test_an_unknown_section_or_lesson_is_404(
    learner_client: Client, basics: Lesson
) -> None:
    assert (
        learner_client.post("/lessons/basics/sections/visual/read/").status_code == 404
    )
    assert learner_client.post("/lessons/nope/read/").status_code == 404


def test_get_is_not_allowed(learner_client: Client, basics: Lesson) -> None:
    response = learner_client.get("/lessons/basics/read/")

    assert response.status_code == 405


def test_csrf_is_enforced(learner: User, basics: Lesson) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post("/lessons/basics/sections/simple/read/")

    assert response.status_code == 403
    assert not SectionRead.objects.exists()


def test_marking_does_not_touch_another_learners_progress(
    learner_client: Client, other_learner: User, basics: Lesson
) -> None:
    learner_client.post("/lessons/basics/read/")

    assert not SectionRead.objects.filter(progress__user=other_learner).exists()
