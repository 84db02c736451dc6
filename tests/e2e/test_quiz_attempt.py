"""A learner takes lesson 4's quiz in Chromium, submits it and reads the review."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from tests.conftest import LESSON_4, PASSWORD
from tests.quizzes.conftest import QUIZ_4_FILE

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUIZ_PATH = f"/lessons/{LESSON_4}/quiz/"


def sign_in(page: Page, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def start_quiz(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}{QUIZ_PATH}")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", name="Attempt 1")).to_be_visible()


def saved(page: Page, control: Locator, action: Callable[[Locator], None]) -> None:
    """Act on a control and wait for htmx to save the answer.

    Saves are awaited one by one: the live server's in-memory SQLite refuses a write
    while another thread holds its table lock.
    """
    with page.expect_response(lambda response: "/answers/" in response.url):
        action(control)


def answer(page: Page, question: dict[str, Any], right: bool) -> None:
    """Give the right answer to a question, or one that earns nothing."""
    key, kind = question["key"], question["kind"]
    check = Locator.check
    if kind == "single":
        options = [o for o in question["options"] if o.get("correct", False) == right]
        saved(page, page.locator(f"#q-{key}-{options[0]['key']}"), check)
    elif kind == "multiple":
        picks = [o for o in question["options"] if o.get("correct", False) == right]
        for option in picks if right else picks[:1]:
            saved(page, page.locator(f"#q-{key}-{option['key']}"), check)
    elif kind == "truefalse":
        value = question["answer"] if right else not question["answer"]
        saved(page, page.locator(f"#q-{key}-{'true' if value else 'false'}"), check)
    elif kind == "ordering":
        items = question["items"]
        for place, item in enumerate(items if right else items[::-1], start=1):
            saved(
                page,
                page.locator(f"#q-{key}-{item['key']}"),
                lambda control, place=place: control.select_option(str(place)),
            )
    elif kind == "matching":
        rights = [pair["right"] for pair in question["pairs"]]
        shown = rights if right else rights[1:] + rights[:1]
        for index, value in enumerate(shown):
            saved(
                page,
                page.locator(f"#q-{key}-{index}"),
                lambda control, value=value: control.select_option(value),
            )
    else:
        saved(
            page, page.locator(f"#q-{key}-input"), typed(text_answer(question, right))
        )


def text_answer(question: dict[str, Any], right: bool) -> str:
    if question["kind"] == "numeric":
        first = question["answers"][0]
        value = first["value"] if first.get("value") is not None else first["min"]
        return f"{value:g}" if right else "99999"
    return question["accepted"][0]["text"] if right else "no idea"


def typed(text: str) -> Callable[[Locator], None]:
    """Type into a text field and leave it, which is when the browser reports a change."""

    def type_and_leave(control: Locator) -> None:
        control.fill(text)
        control.blur()

    return type_and_leave


def test_a_learner_takes_lesson_4s_quiz_submits_and_reads_the_review(
    live_server, curriculum: None, learner: User, browser_page: Page
) -> None:
    page = browser_page
    questions = yaml.safe_load(QUIZ_4_FILE.read_text())["questions"]
    right = {q["key"]: index % 3 != 2 for index, q in enumerate(questions)}
    expected = sum(q.get("points", 1) for q in questions if right[q["key"]])
    total = sum(q.get("points", 1) for q in questions)
    sign_in(page, live_server.url, learner)
    start_quiz(page, live_server.url)

    for question in questions:
        answer(page, question, right[question["key"]])
    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_text(f"You have answered {len(questions)} of")).to_be_visible()
    page.get_by_role("button", name="Submit and finish").click()

    expect(page.get_by_role("heading", name="Review of attempt 1")).to_be_visible()
    percent = round(100 * expected / total, 1)
    expect(page.locator(".attempt-score")).to_contain_text(
        f"Score: {expected} of {total} ({percent:g}%)"
    )
    assert 0 < expected < total
    for question in questions:
        section = page.locator(f"#q-{question['key']}")
        verdict = "Correct" if right[question["key"]] else "Incorrect"
        expect(section.locator(".verdict")).to_have_text(verdict)
        # The first line of the explanation, as its Markdown renders to text.
        first_line = question["explanation"].strip().splitlines()[0].replace("`", "")
        expect(section.locator(".explanation")).to_contain_text(first_line)


def test_an_answer_saved_through_htmx_survives_a_reload(
    live_server, curriculum: None, learner: User, browser_page: Page
) -> None:
    page = browser_page
    questions = yaml.safe_load(QUIZ_4_FILE.read_text())["questions"]
    single = next(q for q in questions if q["kind"] == "single")
    numeric = next(q for q in questions if q["kind"] == "numeric")
    sign_in(page, live_server.url, learner)
    start_quiz(page, live_server.url)

    choice = page.locator(f"#q-{single['key']}-{single['options'][1]['key']}")
    saved(page, choice, Locator.check)
    expect(page.locator(f"#status-{single['key']}")).to_have_text("Saved")
    saved(page, page.locator(f"#q-{numeric['key']}-input"), typed("42"))
    expect(page.locator(f"#status-{numeric['key']}")).to_have_text("Saved")
    page.reload()

    expect(choice).to_be_checked()
    expect(page.locator(f"#q-{numeric['key']}-input")).to_have_value("42")
