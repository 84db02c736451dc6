"""The importer on the seed, byte for byte as it reached us."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.curriculum.importer import ParsedLesson, dump_yaml, parse_lesson

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_b9387c81652d547f.txt"
SOURCE = "seed/000_b9387c81652d547f.txt"


@pytest.fixture
def lesson() -> ParsedLesson:
    return parse_lesson(SEED.read_bytes(), SOURCE)


def _section(lesson: ParsedLesson, kind: str) -> dict[str, Any]:
    return next(s for s in lesson.data["sections"] if s["kind"] == kind)


def _messages(lesson: ParsedLesson) -> list[str]:
    return [repair.describe(lesson.source) for repair in lesson.repairs]


def _text_values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _text_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _text_values(item)]
    return [value] if isinstance(value, str) else []


def test_the_fixture_is_the_damaged_seed() -> None:
    data = SEED.read_bytes()

    assert data.startswith(b"IntermediateLesson 4\n")
    assert not data.endswith(b"\n")
    assert "  \u2022 What is an incident commander?".encode() in data
    assert b"kubectl describe pod  -n \n" in data


def test_it_reads_level_number_title_and_folder(lesson: ParsedLesson) -> None:
    data = lesson.data

    assert data["level"] == "intermediate"
    assert data["number"] == 4
    assert data["title"] == "Incident Management, On-call and Escalation"
    assert data["slug"] == "incident-management-on-call-and-escalation"
    assert lesson.folder == "04-incident-management-on-call-and-escalation"
    assert data["source"] == SOURCE


def test_it_keeps_the_sections_in_reading_order(lesson: ParsedLesson) -> None:
    kinds = [section["kind"] for section in lesson.data["sections"]]

    assert kinds == [
        "simple",
        "technical",
        "visual",
        "commands",
        "scenario",
        "questions",
        "use_case",
        "summary",
    ]
    assert [s["title"] for s in lesson.data["sections"]] == [
        "ELI5 Explanation",
        "Technical Explanation",
        "Visual",
        "Hands-on Commands",
        "Debugging Scenario",
        "Questions",
        "Real-world Use Case",
        "Summary",
    ]


def test_it_restores_the_placeholders_of_the_three_broken_commands(
    lesson: ParsedLesson,
) -> None:
    section = _section(lesson, "commands")

    assert section["intro"] == "Fast triage in Kubernetes incident"
    assert [c["command"] for c in section["commands"]] == [
        "kubectl get pods -A --field-selector=status.phase!=Running",
        "kubectl describe pod <pod> -n <namespace>",
        "kubectl logs <pod> -n <namespace> --previous",
        "kubectl rollout undo deploy/<deployment> -n <namespace>",
    ]


def test_it_reads_fifteen_questions_in_three_groups(lesson: ParsedLesson) -> None:
    groups = _section(lesson, "questions")["groups"]

    assert [(g["level"], g["title"]) for g in groups] == [
        ("beginner", "Beginner"),
        ("intermediate", "Intermediate"),
        ("scenario", "Scenario-based"),
    ]
    assert [len(g["questions"]) for g in groups] == [5, 5, 5]
    first = groups[0]["questions"][0]
    assert first == {
        "key": "what-is-an-incident-commander",
        "text": "What is an incident commander?",
    }
    keys = [q["key"] for g in groups for q in g["questions"]]
    assert len(set(keys)) == 15
    assert all(len(key) <= 60 and re.fullmatch(r"[a-z0-9-]+", key) for key in keys)


def test_it_makes_the_warning_line_a_callout_of_the_technical_section(
    lesson: ParsedLesson,
) -> None:
    technical = _section(lesson, "technical")

    assert technical["callouts"] == [
        {
            "kind": "warning",
            "text": "Escalation paths without ownership definitions create delays "
            "and duplicate effort.",
        }
    ]
    assert "Warning" not in technical["body"]


def test_it_reads_the_visual_as_four_steps(lesson: ParsedLesson) -> None:
    visual = _section(lesson, "visual")

    assert visual["steps"] == [
        "Alert Fired",
        "Triage",
        "Incident Commander",
        "Mitigation + Comms",
    ]


def test_it_splits_the_next_sentence_off_the_summary(lesson: ParsedLesson) -> None:
    summary = _section(lesson, "summary")

    assert summary["body"] == (
        "Effective incident handling requires structured roles, disciplined "
        "communication, and fast mitigation."
    )
    assert summary["next"].startswith("Next, you will convert incident data")


def test_it_reports_every_repair(lesson: ParsedLesson) -> None:
    messages = _messages(lesson)

    assert messages[0].startswith(f"{SOURCE}:1: split 'IntermediateLesson 4'")
    assert any(m.startswith(f"{SOURCE}:13: made the 'Warning:' line") for m in messages)
    for line, command in [
        (26, "kubectl describe pod <pod> -n <namespace>"),
        (27, "kubectl logs <pod> -n <namespace> --previous"),
        (28, "kubectl rollout undo deploy/<deployment> -n <namespace>"),
    ]:
        assert any(
            m.startswith(f"{SOURCE}:{line}: restored lost placeholders")
            and m.endswith(f"-> `{command}`")
            for m in messages
        )
    bullet_lines = [*range(36, 41), *range(44, 49), *range(52, 57)]
    for line in bullet_lines:
        assert f"{SOURCE}:{line}: removed the bullet '\u2022' and leading spaces" in (
            messages
        )
    assert f"{SOURCE}:64: added the missing final newline" in messages
    assert not any(repair.warning for repair in lesson.repairs)


def test_it_reports_no_missing_section(lesson: ParsedLesson) -> None:
    messages = _messages(lesson)

    assert not any("is missing" in message for message in messages)


def test_it_keeps_every_sentence_of_the_source(lesson: ParsedLesson) -> None:
    loaded = yaml.safe_load(dump_yaml(lesson.data))
    values = " ".join(" ".join(_text_values(loaded)).split())
    lines = SEED.read_text(encoding="utf-8").splitlines()[1:]

    for line in lines:
        text = " ".join(line.replace("\u2022", " ").split())
        if not text or text.startswith("kubectl "):
            continue
        text = text.removeprefix("Warning: ")
        for sentence in re.split(r"(?<=[.?!])\s+", text):
            assert sentence in values, sentence


def test_its_yaml_loads_back_to_the_same_data(lesson: ParsedLesson) -> None:
    text = dump_yaml(lesson.data)

    assert yaml.safe_load(text) == lesson.data
    assert text.startswith("slug: incident-management-on-call-and-escalation\n")


def _original_text(value: Any) -> Any:
    """Drop what instructors added by hand: notes, model answers, the completion rule."""
    added = ("notes", "model_answer", "completion")
    if isinstance(value, dict):
        return {k: _original_text(v) for k, v in value.items() if k not in added}
    if isinstance(value, list):
        return [_original_text(item) for item in value]
    return value


def test_it_reproduces_the_original_text_of_the_committed_lesson(
    lesson: ParsedLesson,
) -> None:
    committed = Path(__file__).parents[2] / "lessons" / lesson.folder / "lesson.yaml"

    data = yaml.safe_load(committed.read_text(encoding="utf-8"))

    assert _original_text(data) == lesson.data
