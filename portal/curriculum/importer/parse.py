"""Read a lesson in the seed's plain-text shape into lesson.yaml data and a repair list.

The shape: a line with the level and number ("Intermediate Lesson 4", often run together by
copying), the title, then sections under known heading lines (see headings.py). Anything
that cannot be placed is refused with the line and what was expected there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portal.curriculum.importer.headings import (
    EXPECTED,
    Heading,
    match_heading,
    normalise,
)
from portal.curriculum.importer.report import LessonRefused, Repair
from portal.curriculum.importer.sections import (
    BUILDERS,
    TEXT_LENGTH,
    Block,
    QuestionGroup,
    Section,
    build_question_group,
    is_callout,
    read_callouts,
)
from portal.curriculum.importer.slugs import shorten, slugify, unique_key
from portal.curriculum.importer.text import Line, read_lines

_LESSON_LINE = re.compile(
    r"^(?P<level>beginner|intermediate|advanced)?(?P<gap>[\s:|,\-–—]*)"
    r"lesson\s*(?:#\s*|no\.?\s*)?(?P<number>\d+)\b[\s:.|\-–—]*(?P<title>.*)$",
    re.IGNORECASE,
)
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)", re.DOTALL)
# Folder names stay far below file system limits (255 bytes a name).
SLUG_LENGTH = 60
TITLE_LENGTH = 200
MAX_NUMBER = 999
SOURCE_LENGTH = 300


@dataclass(frozen=True)
class ParsedLesson:
    """A lesson read from one file: the data for lesson.yaml and what was repaired."""

    source: str
    data: dict[str, Any]
    repairs: tuple[Repair, ...]

    @property
    def folder(self) -> str:
        return f"{self.data['number']:02d}-{self.data['slug']}"


@dataclass(frozen=True)
class _Header:
    level: str
    number: int
    title: str
    title_line: int


def parse_lesson(data: bytes, source: str) -> ParsedLesson:
    """Parse one file's bytes; raise LessonRefused naming `source` and the line."""
    try:
        return _parse(data, source)
    except LessonRefused as refusal:
        refusal.source = source
        raise


def _parse(data: bytes, source: str) -> ParsedLesson:
    lines, repairs = read_lines(data)
    header, rest = _read_header(lines, repairs)
    blocks = _split_blocks(rest, header, repairs)
    sections = _build_sections(blocks, repairs)
    _report_missing(blocks, header, repairs)

    lesson: dict[str, Any] = {
        "slug": _slug(header, repairs),
        "title": header.title,
        "level": header.level,
        "number": header.number,
    }
    summary = _one_sentence_summary(sections)
    if summary:
        lesson["summary"] = summary
    lesson["source"] = _shown_source(source, repairs)
    lesson["sections"] = sections
    ordered = tuple(sorted(repairs, key=lambda repair: repair.line))
    return ParsedLesson(source=source, data=lesson, repairs=ordered)


def _shown_source(source: str, repairs: list[Repair]) -> str:
    if len(source) <= SOURCE_LENGTH:
        return source
    name = source.replace("\\", "/").rsplit("/", 1)[-1][-SOURCE_LENGTH:]
    repairs.append(Repair(1, f"recorded only the file name {name!r} as the source"))
    return name


def _slug(header: _Header, repairs: list[Repair]) -> str:
    full = slugify(header.title)
    slug = shorten(full, SLUG_LENGTH)
    if slug != full:
        repairs.append(
            Repair(
                header.title_line,
                f"shortened the slug and folder name of the long title from "
                f"{len(full)} to {len(slug)} characters: {slug}",
            )
        )
    return slug


def _read_header(
    lines: list[Line], repairs: list[Repair]
) -> tuple[_Header, list[Line]]:
    """Read the level, number and title; return them and the lines after the title."""
    content = [line for line in lines if line.text]
    first = content[0]
    match = _LESSON_LINE.match(first.text)
    if match is None:
        raise LessonRefused(
            first.number,
            f"expected the level and number of the lesson, like 'Intermediate Lesson 4', "
            f"found {first.text!r}",
        )
    if not match["level"]:
        raise LessonRefused(
            first.number,
            f"the level is missing from {first.text!r}; expected Beginner, "
            "Intermediate or Advanced before 'Lesson'",
        )
    level, number = match["level"].lower(), int(match["number"])
    if not 1 <= number <= MAX_NUMBER:
        raise LessonRefused(
            first.number,
            f"expected a lesson number from 1 to {MAX_NUMBER}, found {number}",
        )
    if not match["gap"]:
        repairs.append(
            Repair(
                first.number,
                f"split {first.text!r}, where copying ran the level and number "
                f"together, into level {level} and number {number}",
            )
        )
    _report_spaces(first, repairs)

    title, title_line = match["title"].strip(), first
    if not title:
        title_line = _title_line(content, first)
        title = title_line.text
        _report_spaces(title_line, repairs)
    if not slugify(title):
        raise LessonRefused(title_line.number, "the title has no letters or digits")
    if len(title) > TITLE_LENGTH:
        raise LessonRefused(
            title_line.number,
            f"expected a title of at most {TITLE_LENGTH} characters, found "
            f"{len(title)}; is a paragraph standing where the title should be?",
        )
    rest = [line for line in lines if line.number > title_line.number]
    return _Header(level, number, title, title_line.number), rest


def _title_line(content: list[Line], first: Line) -> Line:
    if len(content) < 2:
        raise LessonRefused(
            first.number, "expected the lesson title on a later line; the file ends"
        )
    candidate = content[1]
    if match_heading(candidate.raw) is not None:
        raise LessonRefused(
            candidate.number,
            f"expected the lesson title after {first.text!r}, "
            f"found the section heading {candidate.text!r}",
        )
    return candidate


def _split_blocks(
    lines: list[Line], header: _Header, repairs: list[Repair]
) -> list[Block]:
    """Cut the lines after the title into blocks that each start at a heading."""
    blocks: list[Block] = []
    for line in lines:
        heading = match_heading(line.raw)
        if heading is not None:
            blocks.append(Block(heading, line))
            _report_heading(line, heading, repairs)
        elif blocks:
            blocks[-1].lines.append(line)
        elif line.text:
            raise LessonRefused(line.number, _no_heading_message(lines))
    if not blocks:
        raise LessonRefused(
            header.title_line,
            "expected sections after the title; no known section heading follows it",
        )
    return blocks


def _report_heading(line: Line, heading: Heading, repairs: list[Repair]) -> None:
    if line.text == heading.name:
        _report_spaces(line, repairs)
        return
    how = "wrote" if normalise(line.text) == normalise(heading.name) else "named"
    repairs.append(
        Repair(
            line.number,
            f"{how} the heading {line.raw.strip()!r} as the usual {heading.name!r}",
        )
    )


def _no_heading_message(lines: list[Line]) -> str:
    names = ", ".join(f"'{heading.name}'" for heading in EXPECTED[:3])
    if any(match_heading(line.raw) for line in lines):
        return f"expected a section heading such as {names} after the title, found text"
    return f"no known section heading in the file; expected headings such as {names}"


def _build_sections(blocks: list[Block], repairs: list[Repair]) -> list[Section]:
    sections: list[Section] = []
    seen: dict[tuple[str, str], int] = {}
    questions: Section | None = None
    groups: list[QuestionGroup] = []
    callouts: list[dict[str, str]] = []
    for block in blocks:
        key = (block.heading.kind, block.heading.level)
        if key in seen:
            raise block.refuse(f"appears twice; the first one is at line {seen[key]}")
        seen[key] = block.line.number

        if block.heading.kind != "questions":
            section = BUILDERS[block.heading.kind](block, repairs)
            _check_length(block, section)
            sections.append(section)
            continue
        if questions is None:
            questions = {"kind": "questions", "title": "Questions", "groups": []}
            sections.append(questions)
        if block.heading.level:
            group = build_question_group(block, repairs)
            groups.append(group)
            callouts.extend(group.callouts)
        else:
            callouts.extend(_read_questions_heading(block, repairs))

    if questions is not None:
        questions["groups"] = _drop_duplicates(groups, repairs)
        _check_groups(blocks, questions)
        _assign_keys(questions)
        if callouts:
            questions["callouts"] = callouts
    return sections


def _check_length(block: Block, value: Any) -> None:
    """Refuse a section whose text is longer than any lesson text may be."""
    if isinstance(value, dict):
        for item in value.values():
            _check_length(block, item)
    elif isinstance(value, list):
        for item in value:
            _check_length(block, item)
    elif isinstance(value, str) and len(value) > TEXT_LENGTH:
        raise block.refuse(
            f"holds a text of {len(value)} characters; expected at most {TEXT_LENGTH}"
        )


def _read_questions_heading(
    block: Block, repairs: list[Repair]
) -> list[dict[str, str]]:
    """A plain "Questions" heading names the section; its groups follow it.

    Callout lines under it belong to the questions section; other text is refused.
    """
    callouts = read_callouts(block.lines, repairs)
    stray = next(
        (line for line in block.lines if line.text and not is_callout(line.text)),
        None,
    )
    if stray is not None:
        raise LessonRefused(
            stray.number,
            "expected a question level heading (Beginner, Intermediate or "
            f"Scenario-based) before the questions, found {stray.text!r}",
        )
    return callouts


def _drop_duplicates(
    groups: list[QuestionGroup], repairs: list[Repair]
) -> list[dict[str, Any]]:
    """Keep the first of questions asked twice (same words, any case or punctuation)."""
    first_seen: dict[str, int] = {}
    kept_groups: list[dict[str, Any]] = []
    for group in groups:
        kept: list[dict[str, Any]] = []
        for question, line in zip(group.data["questions"], group.lines, strict=True):
            words = normalise(question["text"]) or question["text"]
            if words in first_seen:
                repairs.append(
                    Repair(
                        line,
                        f"dropped the question {question['text']!r}, asked already at "
                        f"line {first_seen[words]}",
                        warning=True,
                    )
                )
                continue
            first_seen[words] = line
            kept.append(question)
        if kept:
            kept_groups.append({**group.data, "questions": kept})
        else:
            repairs.append(
                Repair(
                    group.line,
                    f"left out the {group.data['title']} questions: every one of them "
                    "is asked earlier",
                    warning=True,
                )
            )
    return kept_groups


def _check_groups(blocks: list[Block], questions: Section) -> None:
    if not questions["groups"]:
        heading = next(block for block in blocks if block.heading.kind == "questions")
        raise heading.refuse(
            "has no question groups; expected Beginner, Intermediate or "
            "Scenario-based headings with questions under them"
        )


def _assign_keys(questions: Section) -> None:
    taken: set[str] = set()
    for group in questions["groups"]:
        group["questions"] = [
            {"key": unique_key(question["text"], taken), **question}
            for question in group["questions"]
        ]


def _report_missing(
    blocks: list[Block], header: _Header, repairs: list[Repair]
) -> None:
    present = {(block.heading.kind, block.heading.level) for block in blocks}
    for heading in EXPECTED:
        if (heading.kind, heading.level) not in present:
            repairs.append(
                Repair(
                    header.title_line,
                    f"the section '{_label(heading)}' is missing; "
                    "the lesson is written without it",
                )
            )


def _label(heading: Heading) -> str:
    return f"{heading.name} questions" if heading.level else heading.name


def _one_sentence_summary(sections: list[Section]) -> str:
    """Take the first sentence of the Summary section for the lesson list."""
    for section in sections:
        if section["kind"] == "summary":
            body = " ".join(section["body"].split())
            match = _FIRST_SENTENCE.match(body)
            return match.group(1) if match else body
    return ""


def _report_spaces(line: Line, repairs: list[Repair]) -> None:
    if line.raw != line.text:
        repairs.append(Repair(line.number, "removed spaces around the line"))
