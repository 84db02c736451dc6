import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LESSON_4

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reader_follows_the_flow_and_copies_a_command(
    live_server, curriculum: None, browser_page: Page
) -> None:
    page = browser_page
    page.goto(live_server.url + "/")

    page.get_by_role(
        "link", name="Lesson 4: Incident Management, On-call and Escalation"
    ).click()

    expect(page).to_have_url(f"{live_server.url}/lessons/{LESSON_4}/")
    flow = page.get_by_role("list", name="Flow, in order")
    expect(flow.get_by_role("listitem")).to_have_text(
        ["Alert Fired", "Triage", "Incident Commander", "Mitigation + Comms"]
    )
    steps = flow.get_by_role("listitem").all()
    tops = [step.bounding_box()["y"] for step in steps]  # type: ignore[index]
    assert tops == sorted(tops), "the flow is drawn top to bottom"

    command = "kubectl logs <pod> -n <namespace> --previous"
    page.get_by_role("button", name=f"Copy command: {command}").click()

    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_text(
        f"Copied: {command}"
    )
    assert page.evaluate("navigator.clipboard.readText()") == command
