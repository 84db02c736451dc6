import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import LESSON_4, REPO_DIR

SEED = (
    REPO_DIR / "tests" / "curriculum" / "fixtures" / "seed" / "000_b9387c81652d547f.txt"
)
LESSON_URL = f"/lessons/{LESSON_4}/"

pytestmark = pytest.mark.usefixtures("curriculum")


def page_text(html: str) -> str:
    """The words a reader sees: tags removed, entities decoded, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def seed_sentences() -> list[str]:
    text = Path(SEED).read_text(encoding="utf-8").replace("\u2022", " ")
    sentences: list[str] = []
    # The first line, "IntermediateLesson 4", is repaired on import; it has its own test.
    for line in text.splitlines()[1:]:
        line = " ".join(line.split())
        if not line or "kubectl" in line:
            continue
        sentences.extend(s for s in re.split(r"(?<=[.?!])\s+", line) if s)
    return sentences


def test_the_home_page_says_what_the_portal_is_and_links_lesson_4(
    client: Client,
) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Incident Academy" in html
    assert '<h3 id="level-intermediate">Intermediate</h3>' in html
    assert f'href="{LESSON_URL}"' in html


def test_the_level_and_number_run_together_in_the_seed_are_shown_apart(
    client: Client,
) -> None:
    html = client.get(LESSON_URL).content.decode()

    assert '<p class="lesson-level">Intermediate · Lesson 4</p>' in html
    assert "IntermediateLesson" not in html


def test_every_sentence_of_the_seed_is_on_the_lesson_page(client: Client) -> None:
    response = client.get(LESSON_URL)

    text = page_text(response.content.decode())
    missing = [s for s in seed_sentences() if " ".join(s.split()) not in text]
    assert response.status_code == 200
    assert len(seed_sentences()) > 30
    assert missing == []


@pytest.mark.parametrize(
    "command",
    [
        "kubectl get pods -A --field-selector=status.phase!=Running",
        "kubectl describe pod <pod> -n <namespace>",
        "kubectl logs <pod> -n <namespace> --previous",
        "kubectl rollout undo deploy/<deployment> -n <namespace>",
    ],
)
def test_commands_show_their_placeholders_and_copy_exactly(
    client: Client, command: str
) -> None:
    html = client.get(LESSON_URL).content.decode()

    escaped = command.replace("<", "&lt;").replace(">", "&gt;")
    shown = [
        unescape(re.sub(r"<[^>]+>", "", code))
        for code in re.findall(r"<code data-command=[^>]*>(.*?)</code>", html, re.S)
    ]
    assert f'data-copy="{escaped}"' in html
    assert command in shown
    for placeholder in re.findall(r"<[a-z]+>", command):
        shown = placeholder.replace("<", "&lt;").replace(">", "&gt;")
        assert (
            f'<var class="placeholder" title="Replace with your own value">{shown}</var>'
            in html
        )


def test_the_questions_are_grouped_by_level(client: Client) -> None:
    html = client.get(LESSON_URL).content.decode()

    groups = re.findall(
        r'<h3 id="questions-(\w+)">([^<]+)</h3>\s*<ol class="discussion-questions">(.*?)</ol>',
        html,
        flags=re.S,
    )
    assert [(level, title) for level, title, _ in groups] == [
        ("beginner", "Beginner"),
        ("intermediate", "Intermediate"),
        ("scenario", "Scenario-based"),
    ]
    assert [len(re.findall(r"<li ", items)) for _, _, items in groups] == [5, 5, 5]


def test_the_warning_is_a_callout_and_the_flow_an_ordered_list(client: Client) -> None:
    html = client.get(LESSON_URL).content.decode()

    assert (
        '<aside class="callout callout-warning" role="note" aria-label="Warning">'
        in html
    )
    flow = re.search(
        r'<ol class="flow" aria-label="Flow, in order">(.*?)</ol>', html, re.S
    )
    assert flow is not None
    assert re.findall(r"<span>([^<]+)</span>", flow.group(1)) == [
        "Alert Fired",
        "Triage",
        "Incident Commander",
        "Mitigation + Comms",
    ]


def test_the_instructor_note_explains_the_phase_selector_pitfall(
    client: Client,
) -> None:
    html = client.get(LESSON_URL).content.decode()

    note = re.search(r'<aside class="instructor-note"(.*?)</aside>', html, re.S)
    assert note is not None
    text = page_text(note.group(0))
    assert text.startswith("Instructor's note")
    assert "CrashLoopBackOff" in text
    assert "Running" in text


def test_the_lesson_page_query_count_is_pinned(
    client: Client, django_assert_num_queries
) -> None:
    # The first request renders the lesson's content (test_lesson_body_cache pins it).
    client.get(LESSON_URL)

    # The lesson with its quiz; the rest was rendered for every reader alike.
    with django_assert_num_queries(1):
        response = client.get(LESSON_URL)

    assert response.status_code == 200


def test_an_unknown_or_retired_lesson_is_not_found(client: Client) -> None:
    assert client.get("/lessons/no-such-lesson/").status_code == 404


def test_the_lesson_page_links_to_its_sandbox_scenario(client: Client) -> None:
    html = client.get(LESSON_URL).content.decode()

    assert "Practise in the sandbox: The 2 AM checkout incident" in html
    assert '<a class="button" href="/sandbox/checkout-incident/">' in html
