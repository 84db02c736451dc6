"""A class from start to finish in Chromium: create, join, assign, play, see, replay."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from portal.sandbox.models import Run
from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/dashboard/")


def test_an_instructor_assigns_the_checkout_incident_and_replays_the_run(
    live_server,
    curriculum: None,
    browser: Browser,
    browser_page: Page,
    instructor: User,
    learner: User,
) -> None:
    base = live_server.url
    teacher = browser_page
    student = browser.new_context().new_page()
    student.set_default_timeout(10_000)
    # Times are typed in the cohort's time zone.
    now = datetime.now(ZoneInfo("Europe/Berlin"))

    # The instructor creates a class.
    sign_in(teacher, base, "charlie")
    teacher.goto(f"{base}/classes/")
    teacher.get_by_label("Name").fill("Night shift")
    teacher.get_by_label("Time zone").select_option("Europe/Berlin")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Night shift")
    code = teacher.locator("#join-code").inner_text()

    # The learner joins with the code.
    sign_in(student, base, "alice")
    student.goto(f"{base}/classes/join/")
    student.get_by_label("Join code").fill(code)
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_text("You joined “Night shift”.")).to_be_visible()

    # The instructor assigns the checkout incident.
    teacher.get_by_role("link", name="Assign a lesson, quiz or scenario").click()
    teacher.get_by_label("What to assign").select_option(
        label="Scenario: The 2 AM checkout incident"
    )
    teacher.get_by_label("Opens at").fill(
        (now - timedelta(days=1)).strftime(LOCAL_INPUT)
    )
    teacher.get_by_label("Due at").fill((now + timedelta(days=7)).strftime(LOCAL_INPUT))
    teacher.get_by_role("button", name="Assign").click()
    expect(
        teacher.get_by_text("“Scenario: The 2 AM checkout incident” assigned.")
    ).to_be_visible()

    # The learner finds it on the dashboard and plays it in the sandbox.
    student.goto(f"{base}/dashboard/")
    student.get_by_role("link", name="Scenario: The 2 AM checkout incident").click()
    expect(student).to_have_url(f"{base}/sandbox/checkout-incident/")
    student.get_by_role("button", name="Start a run").click()
    terminal = student.get_by_label("kubectl command")
    for command in ["ack", "declare", "kubectl get pods -n shop"]:
        terminal.fill(command)
        terminal.press("Enter")
        expect(student.locator("#terminal-output")).to_contain_text(command)
    student.get_by_role("button", name="End the run without resolving").click()
    expect(student).to_have_url(f"{base}/runs/{Run.objects.get().pk}/debrief/")

    # The instructor sees the result in the matrix.
    teacher.get_by_role("link", name="Progress matrix").click()
    cell = teacher.locator("td.cell").first
    expect(cell).to_contain_text("Done")
    run = Run.objects.get()
    expect(cell).to_contain_text(f"{run.total_score:g}%")

    # ...and replays the run step by step.
    teacher.get_by_role("link", name="Alice").click()
    teacher.get_by_role("link", name="Replay The 2 AM checkout incident").click()
    expect(teacher.locator("#replay-step")).to_contain_text("Step 3 of 3")
    teacher.get_by_role("link", name="· declare").click()
    expect(teacher.locator("#replay-step")).to_contain_text("Step 2 of 3")
    expect(teacher.locator("#replay-step")).to_contain_text("$ declare")
    teacher.get_by_role("link", name="Previous step").click()
    expect(teacher.locator("#replay-step")).to_contain_text("$ ack")
    student.context.close()
