"""No page or fragment shows an answer key before the review options allow it."""

from __future__ import annotations

import re

from django.test import Client

from portal.curriculum.models import DiscussionQuestion
from portal.quizzes.models import Attempt, Quiz
from tests.quizzes.conftest import LESSON_4, QUIZ_4_FILE, QUIZ_URL, attempt_url

# Words that only a graded or revealed answer would put on a page.
MARKERS = ("Correct", "correct", "Incorrect", "Right answer", "fraction", "verdict")


def shown_texts(content: dict) -> str:
    """Everything a learner answering the quiz is meant to read."""
    texts = [content["title"], content["intro"]]
    for question in content["questions"]:
        texts.append(question["text"])
        texts.extend(item["text"] for item in question.get("options", []))
        texts.extend(item["text"] for item in question.get("items", []))
        texts.extend(p["left"] + " " + p["right"] for p in question.get("pairs", []))
        texts.extend(question.get("distractors", []))
    return " ".join(texts)


def secrets_of(content: dict) -> list[str]:
    """Texts of lesson 4's quiz that only a review may show."""
    found = []
    for question in content["questions"]:
        found.append(question["explanation"].split("\n")[0].strip())
        for option in question.get("options", []):
            if option.get("feedback"):
                found.append(option["feedback"])
        for answer in question.get("answers", []):
            if answer.get("feedback"):
                found.append(answer["feedback"])
        found.extend(accepted["text"] for accepted in question.get("accepted", []))
    shown = shown_texts(content)
    return [text for text in found if text not in shown]


def fetch_every_page(
    client: Client, attempt: Attempt, keys: list[str]
) -> dict[str, str]:
    pages = {
        "quiz": client.get(QUIZ_URL),
        "attempt": client.get(attempt_url(attempt)),
        "submit": client.get(attempt_url(attempt, "submit/")),
        "review": client.get(attempt_url(attempt, "review/"), follow=True),
    }
    Quiz.objects.update(one_per_page=True)
    for number in range(1, len(keys) + 1):
        pages[f"page {number}"] = client.get(attempt_url(attempt) + f"?page={number}")
    for key in keys:
        pages[f"fragment {key}"] = client.post(
            attempt_url(attempt, f"answers/{key}/"),
            {key: "x"},
            headers={"HX-Request": "true"},
        )
    return {name: response.content.decode() for name, response in pages.items()}


def test_no_page_or_fragment_leaks_the_key_before_submission(
    alice_client: Client, attempt: Attempt, quiz_content: dict
) -> None:
    keys = [question["key"] for question in quiz_content["questions"]]
    secrets = secrets_of(quiz_content)
    shown = shown_texts(quiz_content)

    pages = fetch_every_page(alice_client, attempt, keys)

    assert len(pages) == 4 + 2 * len(keys)
    for name, html in pages.items():
        for secret in secrets:
            assert secret not in html, f"{name} shows {secret!r}"
        for marker in MARKERS:
            if marker not in shown:
                assert not re.search(rf"\b{marker}\b", html), f"{name} says {marker}"
    assert len(secrets) >= 23


def test_ordering_items_never_start_in_the_right_order(
    alice_client: Client, attempt: Attempt, quiz_content: dict
) -> None:
    html = alice_client.get(attempt_url(attempt)).content.decode()

    for question in quiz_content["questions"]:
        if question["kind"] == "ordering":
            shown = [
                html.index(f'id="q-{question["key"]}-{item["key"]}"')
                for item in question["items"]
            ]
            assert shown != sorted(shown)


def discussion_secrets(lesson_slug: str) -> dict[str, list[str]]:
    """Sentences of each discussion question's model answer, as a page would show them."""
    found = {}
    for question in DiscussionQuestion.objects.filter(lesson__slug=lesson_slug):
        text = question.model_answer.replace("&", "&amp;").replace("<", "&lt;")
        sentences = re.split(r"(?<=[.!?])\s+", text.replace(">", "&gt;"))
        found[question.key] = [s for s in sentences if len(s) > 30]
    return found


def test_the_lesson_page_and_discussion_fragments_leak_nothing_before_answering(
    alice_client: Client, client: Client, attempt: Attempt, quiz_content: dict
) -> None:
    model_answers = discussion_secrets(LESSON_4)
    # A one-word answer the lesson itself teaches (OOMKilled) is content, not a leak.
    lesson_text = (QUIZ_4_FILE.parent / "lesson.yaml").read_text(encoding="utf-8")
    quiz_secrets = [s for s in secrets_of(quiz_content) if s not in lesson_text]
    assert quiz_secrets
    lesson_url = f"/lessons/{LESSON_4}/"

    pages = {"lesson (learner)": alice_client.get(lesson_url)}
    pages["lesson (anonymous)"] = Client().get(lesson_url)
    for key in model_answers:
        pages[f"discussion {key}"] = alice_client.post(
            f"/lessons/{LESSON_4}/discussion/{key}/",
            {"text": " "},
            headers={"HX-Request": "true"},
        )
        pages[f"assessment {key}"] = alice_client.post(
            f"/lessons/{LESSON_4}/discussion/{key}/assessment/",
            {"self_assessment": "covered"},
            headers={"HX-Request": "true"},
        )

    assert len(model_answers) == 15
    assert all(model_answers.values())
    for name, response in pages.items():
        html = response.content.decode()
        for key, sentences in model_answers.items():
            for sentence in sentences:
                assert sentence not in html, f"{name} shows the model answer of {key}"
        for secret in quiz_secrets:
            assert secret not in html, f"{name} shows {secret!r}"
    assert pages["assessment what-is-an-incident-commander"].status_code == 404


def test_the_model_answer_sentences_are_what_an_answered_page_shows(
    alice_client: Client, quiz: Quiz
) -> None:
    """Keep the test above honest: each sentence it looks for is found once answered."""
    model_answers = discussion_secrets(LESSON_4)
    for key in model_answers:
        alice_client.post(f"/lessons/{LESSON_4}/discussion/{key}/", {"text": "Mine."})

    html = alice_client.get(f"/lessons/{LESSON_4}/").content.decode()

    for key, sentences in model_answers.items():
        assert all(sentence in html for sentence in sentences), key
