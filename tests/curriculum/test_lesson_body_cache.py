"""The lesson page renders what every reader sees alike once per content version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from portal.curriculum.article import forget_articles
from portal.curriculum.body import forget_bodies
from portal.curriculum.models import DiscussionQuestion, Lesson, Section
from portal.quizzes.discussion import submit_response
from tests.conftest import LESSON_4
from tests.curriculum.lesson_files import minimal, write_curriculum
from tests.progress.lessons import make_lesson

pytestmark = pytest.mark.django_db

SCENARIO = (
    "04-incident-management-on-call-and-escalation/scenarios/checkout-incident.yaml"
)


# The path asked for below, as the sign-in links carry it (the client quotes the query).
NEXT = "/lessons/basics/%3Ffrom%3D%2522%253E%253Cscript%253Ex%253C/script%253E"


def load(root: Path) -> None:
    call_command("load_curriculum", lessons_dir=root, verbosity=0)


def forget() -> None:
    forget_bodies()
    forget_articles()


def per_request_removed(html: bytes) -> bytes:
    """The page without its CSP nonce and CSRF token, which change on every request."""
    return re.sub(rb'(nonce="|"X-CSRFToken": ")[^"]+"', rb"\1", html)


def csrf_token_of(html: str, action: str) -> str:
    form = re.search(rf'action="{re.escape(action)}".*?</form>', html, re.S)
    assert form is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    assert token is not None
    return token.group(1)


def test_a_render_after_a_reload_shows_the_new_content(
    tmp_path: Path, client: Client, learner_client: Client
) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    for reader in (client, learner_client):
        assert b"people fix it together" in reader.get("/lessons/basics/").content
    changed = (
        minimal()
        .replace("people fix it together", "people mend it as a team")
        .replace("Who leads?", "Who runs the call?")
    )
    write_curriculum(root, {"01-basics": changed})

    load(root)

    for reader in (client, learner_client):
        html = reader.get("/lessons/basics/").content.decode()
        assert "people mend it as a team" in html
        assert "Who runs the call?" in html
        assert "people fix it together" not in html
        assert "Who leads?" not in html


def test_a_scenario_changed_by_a_reload_shows_on_the_lesson_page(
    lessons_copy: Path, client: Client
) -> None:
    load(lessons_copy)
    assert (
        b"You are the primary on-call SRE."
        in client.get(f"/lessons/{LESSON_4}/").content
    )
    scenario = lessons_copy / SCENARIO
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(
        text.replace("You are the primary on-call SRE.", "You hold the pager."),
        encoding="utf-8",
    )

    load(lessons_copy)

    html = client.get(f"/lessons/{LESSON_4}/").content.decode()
    assert "You hold the pager." in html
    assert "You are the primary on-call SRE." not in html


def test_the_content_hash_changes_with_the_content_only(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    first = Lesson.objects.get().content_hash

    load(root)
    again = Lesson.objects.get().content_hash
    write_curriculum(root, {"01-basics": minimal(title="Basics, revised")})
    load(root)
    changed = Lesson.objects.get().content_hash

    assert len(first) == 64
    assert again == first
    assert changed != first


def test_the_body_is_rendered_once_per_content_version(
    tmp_path: Path, client: Client, django_assert_num_queries
) -> None:
    load(write_curriculum(tmp_path / "lessons", {"01-basics": minimal()}))
    forget()

    # The lesson with its quiz, then its sections, questions and scenarios.
    with django_assert_num_queries(4):
        cold = client.get("/lessons/basics/")
    # The lesson with its quiz only.
    with django_assert_num_queries(1):
        warm = client.get("/lessons/basics/")

    assert cold.status_code == warm.status_code == 200
    assert per_request_removed(cold.content) == per_request_removed(warm.content)


def test_a_lesson_written_without_the_loader_shows_its_rows_as_they_are(
    client: Client,
) -> None:
    lesson = make_lesson(1)
    client.get("/lessons/lesson-1/")

    Section.objects.filter(lesson=lesson, kind="simple").update(title="Plain words")

    assert b"Plain words" in client.get("/lessons/lesson-1/").content


def test_the_forms_rendered_ahead_carry_the_requests_csrf_token(
    learner: User, tmp_path: Path
) -> None:
    load(write_curriculum(tmp_path / "lessons", {"01-basics": minimal()}))
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    html = client.get("/lessons/basics/").content.decode()
    token = csrf_token_of(html, "/lessons/basics/sections/simple/read/")

    refused = client.post("/lessons/basics/sections/simple/read/")
    accepted = client.post(
        "/lessons/basics/sections/simple/read/", {"csrfmiddlewaretoken": token}
    )

    assert "csrf-slot" not in html
    assert refused.status_code == 403
    assert accepted.status_code == 302


@pytest.mark.usefixtures("curriculum")
def test_a_model_answer_shows_to_the_learner_who_answered_only(
    client: Client,
    learner: User,
    learner_client: Client,
    other_learner_client: Client,
) -> None:
    question = DiscussionQuestion.objects.filter(lesson__slug=LESSON_4).first()
    assert question is not None
    # The other readers first, so the body every reader shares is rendered already.
    client.get(f"/lessons/{LESSON_4}/")
    other_learner_client.get(f"/lessons/{LESSON_4}/")
    submit_response(learner, question, "Mine.")
    marker = '<div class="discussion-model">'

    mine = learner_client.get(f"/lessons/{LESSON_4}/").content.decode()
    others = other_learner_client.get(f"/lessons/{LESSON_4}/").content.decode()
    anonymous = client.get(f"/lessons/{LESSON_4}/").content.decode()

    assert mine.count(marker) == 1
    assert f'id="q-{question.key}-answer"' not in mine
    assert marker not in others
    assert f'id="q-{question.key}-answer"' in others
    assert marker not in anonymous


def test_the_sign_in_links_come_back_to_the_path_asked_for(
    tmp_path: Path, client: Client
) -> None:
    load(write_curriculum(tmp_path / "lessons", {"01-basics": minimal()}))
    client.get("/lessons/basics/")

    html = client.get('/lessons/basics/?from="><script>x</script>').content.decode()

    assert "path-slot" not in html
    assert "<script>x" not in html
    # Two in the site's header, two in the progress panel, one by the questions.
    assert html.count(f"?next={NEXT}") == 5
    assert f"?next={NEXT}%23section-questions" in html
