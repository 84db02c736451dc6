"""The importer on lessons of the seed's shape written for these tests, and on bad input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.curriculum.importer import (
    LessonRefused,
    ParsedLesson,
    dump_yaml,
    parse_lesson,
)
from portal.curriculum.importer.commands import is_command
from portal.curriculum.importer.headings import match_heading

FIXTURES = Path(__file__).parent / "fixtures"
LESSONS = FIXTURES / "lessons"
BROKEN = FIXTURES / "broken"


def _parse(name: str) -> ParsedLesson:
    return parse_lesson((LESSONS / name).read_bytes(), name)


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


def test_it_repairs_other_resource_types_and_options() -> None:
    lesson = _parse("beginner_07_services.txt")

    commands = [c["command"] for c in _section(lesson, "commands")["commands"]]
    assert commands == [
        "kubectl get svc <service> -n <namespace>",
        "kubectl describe sts <statefulset> -n <namespace>",
        "kubectl describe node",
        "kubectl get cm <configmap> -o yaml",
        "kubectl logs <pod> -c <container> -n <namespace>",
        "kubectl get pods -l <selector> -n <namespace>",
        "kubectl exec -it <pod> -- sh",
        "curl -s <value> | jq .",
        "helm history <value> --max 5",
    ]


def test_it_warns_where_it_had_to_guess() -> None:
    lesson = _parse("beginner_07_services.txt")

    warnings = [r.describe(lesson.source) for r in lesson.repairs if r.warning]
    assert len(warnings) == 2
    assert warnings[0].startswith("beginner_07_services.txt:35: warning: ")
    assert "`curl -s  | jq .` -> `curl -s <value> | jq .`" in warnings[0]
    assert warnings[1].startswith("beginner_07_services.txt:36: warning: ")


def test_it_attaches_note_and_tip_callouts_to_their_sections() -> None:
    lesson = _parse("beginner_07_services.txt")

    simple, technical = _section(lesson, "simple"), _section(lesson, "technical")
    assert simple["callouts"] == [
        {"kind": "note", "text": "The desk only knows rooms that say they are ready."}
    ]
    assert technical["callouts"] == [
        {
            "kind": "tip",
            "text": "Compare the Service selector with the pod labels before "
            "anything else.",
        }
    ]
    assert technical["body"].endswith(
        "\n\nNodes can be cordoned so that nothing new lands on them."
    )


def test_it_reports_missing_sections_and_leaves_them_out() -> None:
    lesson = _parse("beginner_07_services.txt")

    kinds = [section["kind"] for section in lesson.data["sections"]]
    assert "scenario" not in kinds
    missing = [m for m in _messages(lesson) if "is missing" in m]
    assert missing == [
        "beginner_07_services.txt:3: the section 'Debugging Scenario' is missing; "
        "the lesson is written without it"
    ]


def test_it_accepts_heading_variants_and_gives_them_the_usual_title() -> None:
    lesson = _parse("beginner_07_services.txt")

    titles = {section["kind"]: section["title"] for section in lesson.data["sections"]}
    assert titles["commands"] == "Hands-on Commands"
    assert titles["use_case"] == "Real-world Use Case"
    messages = _messages(lesson)
    assert (
        "beginner_07_services.txt:25: wrote the heading 'Hands on Commands' as the "
        "usual 'Hands-on Commands'"
    ) in messages


def test_it_strips_every_kind_of_bullet() -> None:
    lesson = _parse("beginner_07_services.txt")

    groups = _section(lesson, "questions")["groups"]
    texts = [q["text"] for g in groups for q in g["questions"]]
    assert texts[0] == "What does a Service select?"
    assert texts[2] == "How do you find pods that a Service does not route to?"
    assert texts[4] == "Half the requests fail after a deploy. Where do you look first?"
    assert _section(lesson, "visual")["steps"] == ["Client", "Service", "Ready Pods"]


def test_it_splits_a_next_colon_sentence_off_the_summary() -> None:
    lesson = _parse("beginner_07_services.txt")

    summary = _section(lesson, "summary")
    assert summary["body"] == "Services route by labels; StatefulSets keep identity."
    assert summary["next"] == "Next: you will trace requests through ingresses."


def test_it_reads_a_title_on_the_lesson_line_and_numbered_questions() -> None:
    lesson = _parse("advanced_12_capacity.txt")

    assert lesson.folder == "12-capacity-planning-under-load"
    assert lesson.data["level"] == "advanced"
    questions = _section(lesson, "questions")["groups"][0]["questions"]
    assert [q["text"] for q in questions] == [
        "What is headroom?",
        "Why do autoscalers need requests set on every container?",
        "no",
    ]


def test_it_reads_arrows_as_visual_steps_and_keeps_yaml_lookalikes_as_text() -> None:
    lesson = _parse("advanced_12_capacity.txt")

    loaded = yaml.safe_load(dump_yaml(lesson.data))

    steps = next(s for s in loaded["sections"] if s["kind"] == "visual")["steps"]
    assert steps == ["12:30", "Traffic Spike", "Autoscale", "on"]
    assert loaded == lesson.data


def test_it_removes_a_shell_prompt_and_fills_node_and_deployment() -> None:
    lesson = _parse("advanced_12_capacity.txt")

    commands = [c["command"] for c in _section(lesson, "commands")["commands"]]
    assert commands == [
        "kubectl top node",
        "kubectl drain <node> --ignore-daemonsets",
        "kubectl scale deploy/<deployment> --replicas=<count>",
        "kubectl get hpa <hpa> -n <namespace>",
    ]
    assert "advanced_12_capacity.txt:13: removed the shell prompt '$'" in _messages(
        lesson
    )


def test_it_undoes_crlf_bom_and_non_breaking_spaces() -> None:
    lesson = _parse("intermediate_05_crlf_bom.txt")

    messages = _messages(lesson)
    assert (
        "intermediate_05_crlf_bom.txt:1: removed the byte order mark (BOM)" in messages
    )
    assert (
        "intermediate_05_crlf_bom.txt:1: converted CRLF line endings to LF" in messages
    )
    assert lesson.data["title"] == "Running the Incident Bridge"
    technical = _section(lesson, "technical")
    assert "\r" not in dump_yaml(lesson.data)
    assert technical["body"] == (
        "A bridge is one call where the commander, the scribe and the responders "
        "meet.\nKeep side conversations off it."
    )
    assert [c["kind"] for c in technical["callouts"]] == ["caution", "important"]


def test_it_matches_headings_regardless_of_case_spaces_and_colon() -> None:
    lesson = _parse("beginner_02_minimal.txt")

    titles = [(s["kind"], s["title"]) for s in lesson.data["sections"]]
    assert titles == [
        ("simple", "ELI5 Explanation"),
        ("summary", "Summary"),
        ("questions", "Questions"),
    ]
    group = _section(lesson, "questions")["groups"][0]
    assert (group["level"], group["title"]) == ("beginner", "Beginner")
    assert len(group["questions"]) == 2
    messages = _messages(lesson)
    for line, damaged, usual in [
        (5, "eli5 explanation", "ELI5 Explanation"),
        (9, "SUMMARY:", "Summary"),
    ]:
        assert (
            f"beginner_02_minimal.txt:{line}: wrote the heading {damaged!r} "
            f"as the usual {usual!r}"
        ) in messages
    assert (
        "beginner_02_minimal.txt:14: named the heading 'Beginner Questions' "
        "as the usual 'Beginner'"
    ) in messages


@pytest.mark.parametrize(
    ("heading", "kind", "title"),
    [
        ("TECHNICAL EXPLANATION", "technical", "Technical Explanation"),
        ("Summary:", "summary", "Summary"),
        ("real-world use case", "use_case", "Real-world Use Case"),
        ("  Debugging   scenario :", "scenario", "Debugging Scenario"),
        ("VISUAL", "visual", "Visual"),
    ],
)
def test_it_repairs_damaged_headings_to_their_usual_title(
    heading: str, kind: str, title: str
) -> None:
    body = "Alert\nPage" if kind == "visual" else "Some text."
    text = f"Beginner Lesson 1\nTitle\n{heading}\n{body}\n"

    lesson = parse_lesson(text.encode(), "lesson.txt")

    assert _section(lesson, kind)["title"] == title
    assert any(
        r.line == 3 and f"as the usual {title!r}" in r.message for r in lesson.repairs
    )


@pytest.mark.parametrize(
    "name",
    [
        "beginner_07_services.txt",
        "advanced_12_capacity.txt",
        "beginner_02_minimal.txt",
        "intermediate_05_crlf_bom.txt",
    ],
)
def test_it_keeps_every_sentence_of_prose(name: str) -> None:
    lesson = _parse(name)
    loaded = yaml.safe_load(dump_yaml(lesson.data))
    values = " ".join(" ".join(_text_values(loaded)).split())
    lines = (LESSONS / name).read_text(encoding="utf-8-sig").splitlines()[1:]

    for line in lines:
        text = " ".join(line.split())
        if not text or is_command(text) or match_heading(text):
            continue
        text = re.sub(r"^(?:[\u2022\u00b7*-]|\d+\.)\s+", "", text)
        text = re.sub(r"^(?:Note|Tip|Caution|Important): ", "", text)
        for part in re.split(r"\s*\u2192\s*|(?<=[.?!])\s+", text):
            assert part in values, part


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("empty.txt", 1, "the file is empty"),
        ("not_utf8.txt", 3, "byte 0xe9 is not UTF-8"),
        ("no_title.txt", 3, "expected the lesson title"),
        ("no_section.txt", 5, "no known section heading in the file"),
        ("no_level.txt", 1, "the level is missing"),
        ("empty_heading.txt", 9, "the heading 'Visual' needs at least two steps"),
    ],
)
def test_it_refuses_input_it_cannot_read_naming_file_and_line(
    name: str, line: int, reason: str
) -> None:
    data = (BROKEN / name).read_bytes()

    with pytest.raises(LessonRefused) as refused:
        parse_lesson(data, f"broken/{name}")

    assert str(refused.value).startswith(f"broken/{name}:{line}: {reason}")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("Beginner Lesson 1\n", 1, "expected the lesson title on a later line"),
        ("Welcome\n\nELI5 Explanation\n\nHi.\n", 1, "expected the level and number"),
        (
            "Beginner Lesson 1\nTitle\nSummary\nDone.\nSummary\nAgain.\n",
            5,
            "the heading 'Summary' appears twice; the first one is at line 3",
        ),
        (
            "Beginner Lesson 1\nTitle\nHands-on Commands\nJust words\n",
            3,
            "has no command",
        ),
        (
            "Beginner Lesson 1\nTitle\nBeginner\n\nSummary\nDone.\n",
            3,
            "has no questions",
        ),
        (
            "Beginner Lesson 1\nTitle\nTechnical Explanation\nNote:\n",
            4,
            "expected text",
        ),
        ("Beginner Lesson 1\nTitle\nAdvanced\n- Why?\n", 3, "not a question level"),
        (
            "Beginner Lesson 1\nTitle\nIntro text.\nSummary\nDone.\n",
            3,
            "expected a section",
        ),
    ],
)
def test_it_refuses_shapes_it_cannot_place(text: str, line: int, reason: str) -> None:
    with pytest.raises(LessonRefused) as refused:
        parse_lesson(text.encode(), "lesson.txt")

    assert str(refused.value).startswith(f"lesson.txt:{line}: ")
    assert reason in str(refused.value)


def test_it_gives_questions_with_the_same_start_distinct_keys() -> None:
    start = "Why does the pager go off again and again during the night shift"
    text = (
        f"Beginner Lesson 1\nTitle\nBeginner\n- {start} first?\n"
        f"Intermediate\n- {start} second?\n- {start} third?\n"
    )

    lesson = parse_lesson(text.encode(), "lesson.txt")

    groups = _section(lesson, "questions")["groups"]
    keys = [q["key"] for g in groups for q in g["questions"]]
    base = "why-does-the-pager-go-off-again-and-again-during-the-night"
    assert keys == [base, f"{base}-2", f"{base}-3"]


def test_it_shortens_long_question_keys_on_a_word_boundary() -> None:
    question = "Why " + "does the pager go off again " * 5 + "at night?"
    text = f"Beginner Lesson 1\nTitle\nBeginner\n- {question}\n"

    lesson = parse_lesson(text.encode(), "lesson.txt")

    key = _section(lesson, "questions")["groups"][0]["questions"][0]["key"]
    assert len(key) <= 60
    assert key == "why-does-the-pager-go-off-again-does-the-pager-go-off-again"


@pytest.mark.parametrize(
    ("first_line", "level", "number", "run_together"),
    [
        ("IntermediateLesson 4", "intermediate", 4, True),
        ("BeginnerLesson 12", "beginner", 12, True),
        ("Advanced Lesson 2", "advanced", 2, False),
        ("ADVANCED LESSON 3", "advanced", 3, False),
        ("Intermediate - Lesson 9", "intermediate", 9, False),
    ],
)
def test_it_reads_the_level_and_number_however_they_were_written(
    first_line: str, level: str, number: int, run_together: bool
) -> None:
    text = f"{first_line}\n\nA Title\n\nSummary\n\nDone.\n"

    lesson = parse_lesson(text.encode(), "lesson.txt")

    assert (lesson.data["level"], lesson.data["number"]) == (level, number)
    reported = any("ran the level and number" in r.message for r in lesson.repairs)
    assert reported is run_together
