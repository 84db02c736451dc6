from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def act(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()


def type_command(page: Page, line: str) -> None:
    page.get_by_label("kubectl command").fill(line)
    page.get_by_label("kubectl command").press("Enter")
    expect(page.locator("#terminal-output .entry-command").last).to_have_text(line)


def test_a_learner_works_the_incident_and_downloads_the_postmortem(
    live_server, curriculum: None, learner: User, browser_page: Page
) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/sandbox/checkout-incident/")
    page.get_by_role("link", name="Sign in to play").click()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Start a run").click()
    expect(page).to_have_url(re.compile(r"/runs/\d+/$"))
    page.evaluate("window.sameDocument = true")

    act(page, "Acknowledge the page")
    expect(page.locator("#pager")).to_contain_text("Acknowledged at 02:00:00")
    act(page, "Declare incident and open bridge")
    expect(page.locator("#incident")).to_contain_text("bridge open")
    page.get_by_label("SEV2").check()
    act(page, "Set severity")
    expect(page.locator("#incident")).to_contain_text("SEV2")

    type_command(page, "kubectl get pods -n shop")
    expect(page.locator("#terminal-output")).to_contain_text("RESTARTS")
    type_command(page, "kubectl rollout history deployment/checkout -n shop")
    page.get_by_label("kubectl command").press("ArrowUp")
    expect(page.get_by_label("kubectl command")).to_have_value(
        "kubectl rollout history deployment/checkout -n shop"
    )
    type_command(page, "kubectl rollout undo deployment/checkout -n shop")
    expect(page.locator("#terminal-output")).to_contain_text("rolled back")

    page.get_by_label("Impact").fill("Some customers cannot complete checkout")
    page.get_by_label("Scope").fill("North America, since about 01:58 UTC")
    page.get_by_label("Current action").fill("We rolled back a faulty release")
    act(page, "Post update")
    expect(page.locator("#status-page")).to_contain_text("Status page: Investigating")
    expect(page.locator("#status-page")).to_contain_text("We rolled back")
    act(page, "Wait 15 minutes")
    expect(page.locator("#run-clock")).to_contain_text("02:2")
    expect(page.get_by_label("Next update by (HH:MM UTC)")).to_have_value(
        re.compile(r"02:[34]\d")
    )
    act(page, "Mark mitigated")
    page.get_by_label("Current action").fill("Monitoring; service is back to normal")
    act(page, "Post update")
    expect(page.locator("#status-page")).to_contain_text("Status page: Monitoring")
    expect(page.locator("#timeline-list")).to_contain_text("mitigated")
    assert page.evaluate("window.sameDocument") is True, "htmx kept the page"

    act(page, "Resolve the incident")
    expect(page).to_have_url(re.compile(r"/runs/\d+/debrief/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Debrief of run")
    expect(page.locator("#time-time_to_acknowledge")).to_contain_text("02:00:00")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the postmortem (Markdown)").click()

    download = info.value
    assert re.fullmatch(
        r"postmortem-checkout-incident-run-\d+\.md", download.suggested_filename
    )
    text = download.path().read_text(encoding="utf-8")
    assert text.startswith("# Postmortem: The 2 AM checkout incident")
    assert "rollout undo" in text or "rollback" in text
