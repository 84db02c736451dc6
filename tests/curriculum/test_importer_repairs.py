"""Repairs of whole kinds of copying damage: continued commands, callouts among commands
and questions, empty bullets, repeated questions and long titles."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from portal.curriculum.importer import ParsedLesson, parse_lesson


def _lesson(*body: str) -> ParsedLesson:
    text = "\n".join(["Beginner Lesson 3", "Title", "", *body, ""])
    return parse_lesson(text.encode(), "lesson.txt")


def _section(lesson: ParsedLesson, kind: str) -> dict[str, Any]:
    return next(s for s in lesson.data["sections"] if s["kind"] == kind)


def _messages(lesson: ParsedLesson) -> list[str]:
    return [repair.describe(lesson.source) for repair in lesson.repairs]


def _commands(lesson: ParsedLesson) -> list[str]:
    return [c["command"] for c in _section(lesson, "commands")["commands"]]


# Continued commands


def test_it_joins_a_command_continued_with_backslashes_before_repairing_it() -> None:
    lesson = _lesson(
        "Hands-on Commands",
        "kubectl logs  \\",
        "  -n  \\",
        "  --previous",
        "kubectl rollout undo deploy/ \\",
        "    -n \\",
        "    --to-revision=2",
    )

    assert _commands(lesson) == [
        "kubectl logs <pod> -n <namespace> --previous",
        "kubectl rollout undo deploy/<deployment> -n <namespace> --to-revision=2",
    ]
    assert "intro" not in _section(lesson, "commands")
    messages = _messages(lesson)
    assert (
        "lesson.txt:5: joined lines 5-7, continued with a trailing backslash, "
        "into one command"
    ) in messages
    assert any(m.startswith("lesson.txt:8: joined lines 8-10,") for m in messages)


def test_a_backslash_before_the_end_of_the_section_is_dropped_and_reported() -> None:
    lesson = _lesson(
        "Hands-on Commands", "kubectl get pods -A \\", "", "Summary", "Ok."
    )

    assert _commands(lesson) == ["kubectl get pods -A"]
    assert "lesson.txt:5: removed a trailing backslash that continued nothing" in (
        _messages(lesson)
    )


def test_an_escaped_backslash_is_not_a_continuation() -> None:
    lesson = _lesson("Hands-on Commands", "echo a\\\\", "kubectl get pods")

    assert _commands(lesson) == ["echo a\\\\", "kubectl get pods"]


# Callouts among commands


def test_a_warning_between_commands_is_a_callout_not_a_command_or_intro() -> None:
    lesson = _lesson(
        "Hands-on Commands",
        "Fast triage",
        "kubectl get pods -A",
        "Warning: the next command restarts the pod",
        "and drops its logs.",
        "kubectl delete pod  -n ",
        "WARNING - rollbacks are not free.",
        "kubectl rollout undo deploy/ -n ",
    )

    section = _section(lesson, "commands")
    assert section["intro"] == "Fast triage"
    assert _commands(lesson) == [
        "kubectl get pods -A",
        "kubectl delete pod <pod> -n <namespace>",
        "kubectl rollout undo deploy/<deployment> -n <namespace>",
    ]
    assert section["callouts"] == [
        {
            "kind": "warning",
            "text": "the next command restarts the pod and drops its logs.",
        },
        {"kind": "warning", "text": "rollbacks are not free."},
    ]
    assert not any("into the intro" in m for m in _messages(lesson))


# Question groups


def test_a_callout_in_a_question_group_is_a_callout_of_the_questions_section() -> None:
    lesson = _lesson(
        "Questions",
        "Tip: answer in your own words.",
        "Beginner",
        "  \u2022 What is an incident",
        "Note: keep answers short",
        "  \u2022 Why do severities matter?",
        "Intermediate",
        "1. How do you hand over?",
    )

    questions = _section(lesson, "questions")
    texts = [q["text"] for g in questions["groups"] for q in g["questions"]]
    assert texts == [
        "What is an incident",
        "Why do severities matter?",
        "How do you hand over?",
    ]
    assert questions["callouts"] == [
        {"kind": "tip", "text": "answer in your own words."},
        {"kind": "note", "text": "keep answers short"},
    ]
    messages = _messages(lesson)
    assert "lesson.txt:5: made the 'Tip:' line a callout (tip)" in messages
    assert "lesson.txt:8: made the 'Note:' line a callout (note)" in messages


@pytest.mark.parametrize("bullet", ["\u2022 ", "  \u2022", "-", "3.", "Q4:"])
def test_an_empty_bullet_is_dropped_not_joined_to_the_question_before(
    bullet: str,
) -> None:
    lesson = _lesson("Beginner", "\u2022 What is on-call", bullet, "\u2022 Who pages?")

    group = _section(lesson, "questions")["groups"][0]
    assert [q["text"] for q in group["questions"]] == ["What is on-call", "Who pages?"]
    assert any(
        m.startswith("lesson.txt:6: dropped the empty bullet")
        for m in _messages(lesson)
    )


def test_a_question_asked_twice_is_kept_once_with_a_warning_naming_both_lines() -> None:
    lesson = _lesson(
        "Beginner",
        "\u2022 What does MTTR mean?",
        "\u2022 Why rotate on-call?",
        "Intermediate",
        "\u2022 what does  MTTR mean",
        "\u2022 How do you hand over?",
        "Scenario-based",
        "\u2022 Why rotate on-call?",
    )

    groups = _section(lesson, "questions")["groups"]
    assert [[q["text"] for q in g["questions"]] for g in groups] == [
        ["What does MTTR mean?", "Why rotate on-call?"],
        ["How do you hand over?"],
    ]
    warnings = [r.describe("lesson.txt") for r in lesson.repairs if r.warning]
    assert warnings == [
        "lesson.txt:8: warning: dropped the question 'what does  MTTR mean', "
        "asked already at line 5",
        "lesson.txt:10: warning: left out the Scenario-based questions: every one "
        "of them is asked earlier",
        "lesson.txt:11: warning: dropped the question 'Why rotate on-call?', "
        "asked already at line 6",
    ]


# Long titles

LONG_TITLE = (
    "Incident Management, On-call Rotations, Escalation Policies and Blameless "
    "Postmortems for Teams Running Kubernetes in Production at Scale, Across "
    "Regions and Time Zones"
)


def test_a_long_title_gets_a_slug_cut_on_a_word_boundary_and_reported() -> None:
    lesson = _lesson_with_title(LONG_TITLE)

    slug = lesson.data["slug"]
    assert lesson.data["title"] == LONG_TITLE
    assert len(slug) <= 60
    assert slug == "incident-management-on-call-rotations-escalation-policies"
    assert any(
        m.startswith("lesson.txt:2: shortened the slug and folder name")
        for m in _messages(lesson)
    )


def test_a_title_longer_than_a_title_may_be_is_refused_with_its_line() -> None:
    from portal.curriculum.importer import LessonRefused

    with pytest.raises(LessonRefused, match=r"^lesson\.txt:2: expected a title"):
        _lesson_with_title("Word " * 60)


def test_the_command_writes_a_lesson_with_a_long_title(tmp_path: Path) -> None:
    source = tmp_path / "long.txt"
    source.write_text(
        f"Beginner Lesson 3\n{LONG_TITLE}\nSummary\nDone.\n", encoding="utf-8"
    )
    out = io.StringIO()

    call_command(
        "import_lesson", str(source), "--into", str(tmp_path / "out"), stdout=out
    )

    folder = "03-incident-management-on-call-rotations-escalation-policies"
    written = yaml.safe_load((tmp_path / "out" / folder / "lesson.yaml").read_text())
    assert written["title"] == LONG_TITLE
    assert "shortened the slug and folder name" in out.getvalue()


def _lesson_with_title(title: str) -> ParsedLesson:
    text = f"Beginner Lesson 3\n{title}\nSummary\nDone.\n"
    return parse_lesson(text.encode(), "lesson.txt")
