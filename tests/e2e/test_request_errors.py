"""A refused htmx request tells the learner why instead of failing silently."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from portal.progress.models import SectionRead
from tests.conftest import LESSON_4
from tests.e2e.test_quiz_attempt import sign_in

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_oversize_htmx_post_is_announced_and_saves_nothing(
    live_server, curriculum: None, learner: User, browser_page: Page
) -> None:
    page = browser_page
    sign_in(page, live_server.url, learner)
    page.goto(f"{live_server.url}/lessons/{LESSON_4}/")
    alert = page.locator("#request-error")
    expect(alert).to_be_hidden()
    # A crafted form: the same htmx post with a field far over the size limit.
    page.locator("#read-control-simple form").evaluate(
        """form => {
            const field = document.createElement("input");
            field.type = "hidden";
            field.name = "padding";
            field.value = "x".repeat(400 * 1024);
            form.appendChild(field);
        }"""
    )

    page.get_by_role("button", name="Mark “ELI5 Explanation” as read").click()

    expect(alert).to_be_visible()
    expect(alert).to_have_text("The submission was too large, so nothing was saved.")
    expect(page.locator("#read-control-simple")).not_to_contain_text("✓")
    assert not SectionRead.objects.filter(progress__user=learner).exists()

    page.locator("#read-control-simple input[name=padding]").evaluate("e => e.remove()")
    page.get_by_role("button", name="Mark “ELI5 Explanation” as read").click()

    expect(alert).to_be_hidden()
    expect(page.locator("#read-control-simple")).to_contain_text("Read")
