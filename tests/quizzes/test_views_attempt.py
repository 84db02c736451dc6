from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth.models import User
from django.test import Client

from portal.quizzes.attempts import start_attempt
from portal.quizzes.models import Answer, Attempt, Quiz
from tests.quizzes.conftest import LESSON_4, attempt_url

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def response_of(attempt: Attempt, key: str) -> object:
    return Answer.objects.get(attempt=attempt, question__key=key).response


def test_it_starts_an_attempt_and_redirects_to_it(
    alice_client: Client, quiz: Quiz
) -> None:
    response = alice_client.post(f"/lessons/{LESSON_4}/quiz/attempts/")

    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert response.url == f"/lessons/{LESSON_4}/quiz/attempts/{attempt.pk}/"


def test_it_shows_every_question_with_a_legend_and_labels(
    alice_client: Client, attempt: Attempt
) -> None:
    response = alice_client.get(attempt_url(attempt))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 23
    assert html.count("<legend>") == 23
    assert '<label for="q-severity-purpose-blame">' in html
    assert '<label for="q-escalation-timeout-input">' in html


def test_it_shows_options_in_the_attempt_order(
    alice_client: Client, attempt: Attempt
) -> None:
    order = attempt.option_order["severity-purpose"]

    html = alice_client.get(attempt_url(attempt)).content.decode()
    again = alice_client.get(attempt_url(attempt)).content.decode()

    for page in (html, again):
        positions = [page.index(f'id="q-severity-purpose-{key}"') for key in order]
        assert positions == sorted(positions)


def test_a_plain_post_saves_the_page(alice_client: Client, attempt: Attempt) -> None:
    response = alice_client.post(
        attempt_url(attempt),
        {
            "severity-purpose": "blame",
            "declare-major-incident": ["checkout-down", "data-exposure"],
            "when-unsure-severity": "true",
            "escalation-timeout": " 25 ",
            "escalation-tiers-order.primary": "1",
            "roles-to-duties.0": "Coordinates the response and makes the decisions",
        },
    )

    assert response.status_code == 302
    assert response_of(attempt, "severity-purpose") == "blame"
    assert response_of(attempt, "declare-major-incident") is not None
    assert response_of(attempt, "when-unsure-severity") is True
    assert response_of(attempt, "escalation-timeout") == "25"
    assert response_of(attempt, "escalation-tiers-order") == {"primary": 1}
    assert response_of(attempt, "roles-to-duties") == {
        "Incident commander": "Coordinates the response and makes the decisions"
    }


def test_it_ignores_values_the_question_does_not_offer(
    alice_client: Client, attempt: Attempt
) -> None:
    alice_client.post(attempt_url(attempt), {"severity-purpose": "made-up"})

    assert response_of(attempt, "severity-purpose") is None


def test_htmx_saves_one_answer_and_returns_only_the_status(
    alice_client: Client, attempt: Attempt
) -> None:
    response = alice_client.post(
        attempt_url(attempt, "answers/severity-purpose/"),
        {"severity-purpose": "sla", "ic-does-not-debug": "debug"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == "Saved"
    assert response_of(attempt, "severity-purpose") == "sla"
    assert response_of(attempt, "ic-does-not-debug") is None


def test_without_htmx_saving_one_answer_redirects_back(
    alice_client: Client, attempt: Attempt
) -> None:
    response = alice_client.post(
        attempt_url(attempt, "answers/severity-purpose/"), {"severity-purpose": "sla"}
    )

    assert response.status_code == 302
    assert response.url == attempt_url(attempt) + "#q-severity-purpose"


def test_the_attempt_survives_closing_the_browser(
    alice: User, quiz: Quiz, attempt: Attempt
) -> None:
    first_browser = Client()
    first_browser.force_login(alice)
    first_browser.post(attempt_url(attempt), {"severity-purpose": "sla"})

    second_browser = Client()
    second_browser.force_login(alice)
    started = second_browser.post(f"/lessons/{LESSON_4}/quiz/attempts/")
    page = second_browser.get(started.url)

    assert started.url == attempt_url(attempt)
    assert 'value="sla" checked' in page.content.decode()


def test_one_question_per_page(alice_client: Client, attempt: Attempt) -> None:
    Quiz.objects.update(one_per_page=True)

    response = alice_client.get(attempt_url(attempt) + "?page=2")
    moved = alice_client.post(
        attempt_url(attempt) + "?page=2",
        {"declare-major-incident": ["data-exposure"], "goto": "3"},
    )

    assert response.content.decode().count("<fieldset") == 1
    assert 'id="q-declare-major-incident"' in response.content.decode()
    assert moved.url == attempt_url(attempt) + "?page=3"
    assert response_of(attempt, "declare-major-incident") == ["data-exposure"]


def test_the_time_limit_holds_on_the_pages(
    alice_client: Client, quiz: Quiz, alice: User
) -> None:
    quiz.time_limit_minutes = 10
    quiz.save()
    with time_machine.travel(START, tick=False) as clock:
        attempt = start_attempt(alice, quiz)
        alice_client.post(attempt_url(attempt), {"severity-purpose": "agreed-response"})
        clock.shift(dt.timedelta(minutes=11))

        refused = alice_client.post(
            attempt_url(attempt, "answers/ic-does-not-debug/"),
            {"ic-does-not-debug": "coordinate"},
            headers={"HX-Request": "true"},
        )
        page = alice_client.get(attempt_url(attempt))

    attempt.refresh_from_db()
    assert "Not saved" in refused.content.decode()
    assert response_of(attempt, "ic-does-not-debug") is None
    assert page.url == attempt_url(attempt, "review/")
    assert attempt.is_submitted
    assert attempt.score == 1.0


def test_immediate_feedback_checks_and_locks_one_answer(
    alice_client: Client, quiz: Quiz, attempt: Attempt, quiz_content: dict
) -> None:
    Quiz.objects.update(feedback="immediate")
    explanation = quiz_content["questions"][0]["explanation"].split("\n")[0]

    response = alice_client.post(
        attempt_url(attempt, "answers/severity-purpose/"),
        {"severity-purpose": "blame", "check": "1"},
        headers={"HX-Request": "true"},
    )
    changed = alice_client.post(
        attempt_url(attempt, "answers/severity-purpose/"),
        {"severity-purpose": "agreed-response"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.strip().startswith('<fieldset id="q-severity-purpose"')
    assert "Incorrect" in html
    assert explanation in html
    assert "disabled" in html
    assert "Not saved" in changed.content.decode()
    assert response_of(attempt, "severity-purpose") == "blame"


def test_a_plain_check_button_works_without_javascript(
    alice_client: Client, quiz: Quiz, attempt: Attempt
) -> None:
    Quiz.objects.update(feedback="immediate")

    response = alice_client.post(
        attempt_url(attempt),
        {"severity-purpose": "agreed-response", "check": "severity-purpose"},
    )
    page = alice_client.get(attempt_url(attempt))

    assert response.url == attempt_url(attempt) + "#q-severity-purpose"
    assert "Correct" in page.content.decode()


def test_another_learners_attempt_is_not_found(
    client: Client, bob: User, attempt: Attempt
) -> None:
    client.force_login(bob)

    pages = [
        client.get(attempt_url(attempt)),
        client.post(attempt_url(attempt), {"severity-purpose": "sla"}),
        client.post(attempt_url(attempt, "answers/severity-purpose/"), {}),
        client.get(attempt_url(attempt, "submit/")),
        client.post(attempt_url(attempt, "submit/")),
        client.get(attempt_url(attempt, "review/")),
    ]

    assert [page.status_code for page in pages] == [404] * 6
    assert not Attempt.objects.get().is_submitted


def test_anonymous_visitors_are_sent_to_log_in(
    client: Client, attempt: Attempt
) -> None:
    response = client.get(attempt_url(attempt))

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={attempt_url(attempt)}"


def test_the_attempt_page_query_count_does_not_grow_with_questions(
    alice_client: Client, quiz: Quiz, alice: User, django_assert_num_queries
) -> None:
    full = start_attempt(alice, quiz)
    with django_assert_num_queries(4):
        alice_client.get(attempt_url(full))
    alice_client.post(attempt_url(full, "submit/"))
    quiz.questions.exclude(key__in=["severity-purpose", "roles-to-duties"]).update(
        is_retired=True
    )
    small = start_attempt(alice, quiz)

    with django_assert_num_queries(4):
        response = alice_client.get(attempt_url(small))

    assert response.content.decode().count("<fieldset") == 2
