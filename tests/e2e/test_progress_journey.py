from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LESSON_4, PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_new_learner_reads_lesson_4_to_the_end_and_the_dashboard_moves(
    live_server, curriculum: None, browser_page: Page
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    before = page.locator("#overall-progress").get_attribute("value")
    page.goto(f"{live_server.url}/lessons/{LESSON_4}/")

    page.get_by_role("button", name="Mark “ELI5 Explanation” as read").click()
    expect(page.locator("#read-control-simple")).to_contain_text("Read")
    expect(page.locator("#lesson-progress-bar")).to_have_attribute("value", "10")
    page.locator("#lesson-end").scroll_into_view_if_needed()
    expect(page.locator("#lesson-end")).to_contain_text(
        "You have read every section of this lesson."
    )
    page.goto(f"{live_server.url}/dashboard/")

    assert before == "0"
    expect(page.locator("#overall-progress")).to_have_attribute("value", "80")
    expect(page.locator(f"#progress-{LESSON_4}")).to_have_attribute("value", "80")
    expect(page.get_by_text("Pass the lesson's quiz")).to_be_visible()
    expect(page.get_by_text("Read to the end")).to_be_visible()
