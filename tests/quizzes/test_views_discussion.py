"""The lesson page's discussion questions as open-response items."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from portal.curriculum.models import DiscussionQuestion
from portal.quizzes.discussion import grade_discussion_response
from portal.quizzes.models import DiscussionResponse
from tests.conftest import LESSON_4

LESSON_URL = f"/lessons/{LESSON_4}/"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("curriculum")


def discussion_url(key: str, tail: str = "") -> str:
    return f"/lessons/{LESSON_4}/discussion/{key}/{tail}"


def questions() -> list[DiscussionQuestion]:
    return list(
        DiscussionQuestion.objects.filter(lesson__slug=LESSON_4, is_retired=False)
    )


def model_answer_marks(question: DiscussionQuestion) -> list[str]:
    """Sentences of a model answer as the page would show them, HTML-escaped."""
    text = question.model_answer.replace("&", "&amp;").replace("<", "&lt;")
    sentences = re.split(r"(?<=[.!?])\s+", text.replace(">", "&gt;"))
    return [sentence for sentence in sentences if len(sentence) > 30]


def shown_model_answers(html: str) -> set[str]:
    return {
        question.key
        for question in questions()
        if any(mark in html for mark in model_answer_marks(question))
    }


HTMX = {"HX-Request": "true"}


def respond(
    client: Client, key: str, text: str = "My answer.", htmx: bool = False
) -> HttpResponse:
    return client.post(
        discussion_url(key), {"text": text}, headers=HTMX if htmx else {}
    )


def test_every_question_has_a_model_answer_to_reveal() -> None:
    found = questions()

    assert len(found) == 15
    assert all(model_answer_marks(question) for question in found)


def test_anonymous_readers_see_the_questions_and_a_sign_in_link(
    client: Client,
) -> None:
    html = client.get(LESSON_URL).content.decode()

    assert "Sign in to answer these questions" in html
    assert f"/accounts/login/?next=/lessons/{LESSON_4}/" in html
    assert 'name="text"' not in html
    assert all(question.text in html for question in questions())
    assert shown_model_answers(html) == set()


def test_a_learner_gets_a_form_per_question_and_no_model_answer(
    learner_client: Client,
) -> None:
    html = learner_client.get(LESSON_URL).content.decode()

    for question in questions():
        assert f'action="{discussion_url(question.key)}"' in html
    assert html.count('name="text"') == 15
    assert shown_model_answers(html) == set()


@time_machine.travel(NOW, tick=False)
def test_submitting_stores_the_answer_and_reveals_only_that_model_answer(
    learner_client: Client, learner: User
) -> None:
    first, *others = questions()

    response = respond(learner_client, first.key, "  Coordinate, do not debug.  ")

    saved = DiscussionResponse.objects.get(user=learner, question=first)
    assert response.status_code == 302
    assert response["Location"] == f"{LESSON_URL}#q-{first.key}"
    assert saved.text == "Coordinate, do not debug."
    assert saved.submitted_at == saved.updated_at == NOW
    html = learner_client.get(LESSON_URL).content.decode()
    assert shown_model_answers(html) == {first.key}
    assert "Coordinate, do not debug." in html
    assert html.count('name="text"') == len(others)


def test_each_model_answer_appears_only_after_its_own_answer(
    learner_client: Client,
) -> None:
    answered: set[str] = set()
    for question in questions():
        page = learner_client.get(LESSON_URL).content.decode()
        assert shown_model_answers(page) == answered

        fragment = respond(learner_client, question.key, htmx=True)

        answered.add(question.key)
        assert shown_model_answers(fragment.content.decode()) == {question.key}
    assert shown_model_answers(learner_client.get(LESSON_URL).content.decode()) == (
        answered
    )


def test_htmx_gets_only_the_item_back(learner_client: Client) -> None:
    key = questions()[0].key

    response = respond(learner_client, key, htmx=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li id="q-{key}" class="discussion-item">')
    assert "<html" not in html
    assert "Model answer" in html
    assert 'name="self_assessment"' in html


def test_an_empty_answer_is_refused_and_the_form_stays(
    learner_client: Client, learner: User
) -> None:
    key = questions()[0].key

    response = respond(learner_client, key, "   ", htmx=True)

    html = response.content.decode()
    assert "Write an answer before submitting it." in html
    assert 'name="text"' in html
    assert "Model answer" not in html
    assert not DiscussionResponse.objects.exists()


def test_a_second_submission_keeps_the_first_answer(
    learner_client: Client, learner: User
) -> None:
    key = questions()[0].key
    respond(learner_client, key, "First.")

    response = respond(learner_client, key, "Copied from the model.")

    assert DiscussionResponse.objects.get(user=learner).text == "First."
    assert "can no longer change" in learner_client.get(LESSON_URL).content.decode()
    assert response.status_code == 302


def test_the_learner_rates_their_answer(learner_client: Client, learner: User) -> None:
    key = questions()[0].key
    respond(learner_client, key)

    response = learner_client.post(
        discussion_url(key, "assessment/"),
        {"self_assessment": "partly"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert DiscussionResponse.objects.get(user=learner).self_assessment == "partly"
    assert 'value="partly" checked' in html
    assert "Your self-assessment is saved." in html


def test_an_unknown_rating_is_refused(learner_client: Client, learner: User) -> None:
    key = questions()[0].key
    respond(learner_client, key)

    response = learner_client.post(
        discussion_url(key, "assessment/"), {"self_assessment": "perfect"}
    )

    assert response.status_code == 302
    assert DiscussionResponse.objects.get(user=learner).self_assessment == ""


def test_another_learner_cannot_rate_an_answer_that_is_not_theirs(
    learner_client: Client, other_learner_client: Client, learner: User
) -> None:
    key = questions()[0].key
    respond(learner_client, key)

    response = other_learner_client.post(
        discussion_url(key, "assessment/"), {"self_assessment": "covered"}
    )

    assert response.status_code == 404
    assert DiscussionResponse.objects.get(user=learner).self_assessment == ""


def test_another_learner_sees_no_model_answer_from_alices_answers(
    learner_client: Client, other_learner_client: Client
) -> None:
    for question in questions():
        respond(learner_client, question.key)

    html = other_learner_client.get(LESSON_URL).content.decode()

    assert shown_model_answers(html) == set()
    assert "My answer." not in html


def test_anonymous_posts_are_sent_to_sign_in(client: Client) -> None:
    response = respond(client, questions()[0].key)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not DiscussionResponse.objects.exists()


def test_unknown_questions_and_gets_are_refused(learner_client: Client) -> None:
    assert respond(learner_client, "no-such-question").status_code == 404
    assert learner_client.get(discussion_url(questions()[0].key)).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_an_instructors_grade_and_feedback_are_shown_to_the_learner(
    learner_client: Client, learner: User, instructor: User
) -> None:
    key = questions()[0].key
    respond(learner_client, key)
    answer = DiscussionResponse.objects.get(user=learner)

    grade_discussion_response(answer, instructor, 0.75, " Name the scribe too. ")

    answer.refresh_from_db()
    html = learner_client.get(LESSON_URL).content.decode()
    assert (answer.grade, answer.feedback, answer.graded_by, answer.graded_at) == (
        0.75,
        "Name the scribe too.",
        instructor,
        NOW,
    )
    assert "Instructor's grade:</strong> 75%" in html
    assert "Name the scribe too." in html


def test_a_grade_outside_zero_to_one_is_refused(
    learner_client: Client, learner: User, instructor: User
) -> None:
    respond(learner_client, questions()[0].key)
    answer = DiscussionResponse.objects.get(user=learner)

    with pytest.raises(ValueError, match="fraction from 0 to 1"):
        grade_discussion_response(answer, instructor, 1.5, "")

    answer.refresh_from_db()
    assert answer.grade is None


def test_the_anonymous_query_count_is_pinned(
    client: Client, django_assert_num_queries
) -> None:
    client.get(LESSON_URL)  # renders the lesson's body once for this process
    # The lesson with its quiz; the rest comes from the rendered body.
    with django_assert_num_queries(1):
        client.get(LESSON_URL)


@pytest.mark.parametrize("answered", [0, 1, 15])
def test_the_learner_query_count_does_not_grow_with_answers(
    learner_client: Client, answered: int, django_assert_num_queries
) -> None:
    for question in questions()[:answered]:
        respond(learner_client, question.key)
    learner_client.get(LESSON_URL)

    # Session and user, the three content queries (the learner's answers joined to
    # the questions, the progress row and read flags to the sections), then the visit.
    with django_assert_num_queries(6):
        learner_client.get(LESSON_URL)
