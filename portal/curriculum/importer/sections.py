"""Turn the lines under one heading into a section of lesson.yaml, noting every repair.

Each builder takes a `Block` (the heading line and the lines up to the next heading) and
the list to append repairs to, and returns the section as a plain dict whose keys are in
the order lessons/README.md shows them. A heading without the content its kind needs is
refused, naming the heading's line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.curriculum.importer.commands import (
    RepairedCommand,
    is_command,
    repair_command,
)
from portal.curriculum.importer.headings import QUESTION_LEVELS, Heading
from portal.curriculum.importer.report import LessonRefused, Repair
from portal.curriculum.importer.text import Line

Section = dict[str, Any]

STEP_LENGTH = 200
TEXT_LENGTH = 20_000

_BULLET = re.compile(r"^(?P<bullet>[•·▪◦●‣*+\-–]|\d+[.)]|Q\d+[.:)])\s+")
_EMPTY_BULLET = re.compile(r"[•·▪◦●‣*+\-–]|\d+[.)]|Q\d+[.:)]")
_MARKDOWN_BULLET = re.compile(r"^[•·▪◦●‣+–]\s+")
_CALLOUT = re.compile(
    r"^\W*(?P<word>warning|warn|danger|note|nb|pro tip|tip|hint|important|caution)"
    r"(?:\s*:|\s+[-–—]\s)\s*(?P<text>.*)$",
    re.IGNORECASE,
)
_CALLOUT_KINDS = {
    "warning": "warning",
    "warn": "warning",
    "danger": "warning",
    "note": "note",
    "nb": "note",
    "tip": "tip",
    "pro tip": "tip",
    "hint": "tip",
    "important": "important",
    "caution": "caution",
}
_ARROW = re.compile(r"\s*(?:->|=>|→|⟶|➜|➔|⇒|↓|⬇️?|⇓)\s*")
_NEXT = re.compile(r"(?:^|(?<=[.!?])\s+)(?=Next\s*[,:])")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass
class Block:
    """A heading line and the lines that follow it up to the next heading."""

    heading: Heading
    line: Line
    lines: list[Line] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The heading's usual name: `SUMMARY:` and `eli5 explanation` are damage."""
        return self.heading.name

    def refuse(self, expected: str) -> LessonRefused:
        return LessonRefused(
            self.line.number, f"the heading '{self.line.text}' {expected}"
        )


def build_prose(block: Block, repairs: list[Repair]) -> Section:
    """Build an ELI5, technical, scenario or use-case section: paragraphs and callouts."""
    paragraphs, callouts = _read_prose(block.lines, repairs)
    if not paragraphs:
        raise block.refuse("has no text; expected a paragraph under it")
    section: Section = {
        "kind": block.heading.kind,
        "title": block.title,
        "body": "\n\n".join(paragraphs),
    }
    if callouts:
        section["callouts"] = callouts
    return section


def build_summary(block: Block, repairs: list[Repair]) -> Section:
    """Build the summary, moving a sentence starting "Next," into `next`."""
    section = build_prose(block, repairs)
    body, upcoming = split_next(section["body"])
    if upcoming:
        section = {**section, "body": body}
        section = _insert_after(section, "body", "next", upcoming)
        line = _line_of(block, "Next")
        repairs.append(Repair(line, "moved the sentence starting 'Next' into `next`"))
    return section


def split_next(body: str) -> tuple[str, str]:
    """Split off the sentence that starts with "Next," or "Next:"; keep body if alone."""
    match = _NEXT.search(body)
    if match is None:
        return body, ""
    start = match.end()
    end_match = _SENTENCE_END.search(body, start)
    end = end_match.end() if end_match else len(body)
    upcoming = body[start:end].strip()
    rest = (body[: match.start()].rstrip() + " " + body[end:].lstrip()).strip()
    if not rest:
        return body, ""
    return rest, upcoming


def build_visual(block: Block, repairs: list[Repair]) -> Section:
    """Build the visual flow: one step a line, arrows and bullets removed."""
    steps: list[str] = []
    callouts: list[dict[str, str]] = []
    for line in block.lines:
        text = _clean(line, repairs)
        if not text:
            continue
        callout = _CALLOUT.match(text)
        if callout:
            callouts.append(_callout(callout, line, [], repairs))
            continue
        text = _strip_bullet(text, line, repairs)
        parts = [part for part in _ARROW.split(text) if part.strip()]
        if parts != [text]:
            repairs.append(
                Repair(
                    line.number, f"read the arrows as a flow of {len(parts)} step(s)"
                )
            )
        steps.extend(parts)
    if len(steps) < 2:
        raise block.refuse("needs at least two steps, one a line")
    long_step = next((step for step in steps if len(step) > STEP_LENGTH), None)
    if long_step is not None:
        raise block.refuse(
            f"has a step of {len(long_step)} characters ({long_step[:40]!r}...); "
            f"expected short steps of at most {STEP_LENGTH} characters, one a line"
        )
    section: Section = {"kind": "visual", "title": block.title, "steps": steps}
    if callouts:
        section["callouts"] = callouts
    return section


def build_commands(block: Block, repairs: list[Repair]) -> Section:
    """Build the hands-on commands, restoring lost placeholders; prose is the intro.

    Callout lines (`Warning: ...`) anywhere in the section become its callouts, never a
    command or part of the intro; a callout that does not end like a sentence goes on
    over the following text lines. Commands continued with a trailing backslash are
    joined into one command before their placeholders are repaired.
    """
    intro: list[str] = []
    commands: list[dict[str, str]] = []
    callouts: list[dict[str, str]] = []
    opened: tuple[re.Match[str], Line, list[str]] | None = None
    for line in _join_continuations(block.lines, repairs):
        text = line.text
        command = bool(text) and is_command(text)
        if opened and (not text or command or _CALLOUT.match(text) or _ends(opened)):
            callouts.append(_callout(*opened, repairs))
            opened = None
        if not text:
            continue
        if command:
            result = repair_command(line.raw)
            _report_command(line, result, repairs)
            commands.append({"command": result.command})
            continue
        text = _clean(line, repairs)
        callout = _CALLOUT.match(text)
        if callout:
            opened = (callout, line, [])
            continue
        if opened:
            opened[2].append(text)
            repairs.append(
                Repair(line.number, "joined the line to the callout above it")
            )
            continue
        if commands:
            repairs.append(
                Repair(line.number, "moved text found between commands into the intro")
            )
        intro.append(text)
    if opened:
        callouts.append(_callout(*opened, repairs))
    if not commands:
        raise block.refuse(
            "has no command; expected lines starting with a program such as kubectl"
        )
    section: Section = {"kind": "commands", "title": block.title}
    if intro:
        section["intro"] = "\n".join(intro)
    section["commands"] = commands
    if callouts:
        section["callouts"] = callouts
    return section


def _ends(opened: tuple[re.Match[str], Line, list[str]]) -> bool:
    """Tell whether an open callout's last line ends like a sentence."""
    match, _, more = opened
    last = (more[-1] if more else match["text"]).rstrip()
    return not last or last.endswith((".", "!", "?", ":"))


def _join_continuations(lines: list[Line], repairs: list[Repair]) -> list[Line]:
    """Join a command continued with a trailing backslash into one line.

    The space before the backslash only separates it, so `-n  \\` still shows the gap of
    a lost value, while `-n \\` does not.
    """
    joined: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not (_continues(line.raw) and is_command(line.text)):
            joined.append(line)
            continue
        raw = line.raw
        last = line.number
        while _continues(raw):
            raw = _drop_backslash(raw)
            if index >= len(lines) or not lines[index].text:
                repairs.append(
                    Repair(last, "removed a trailing backslash that continued nothing")
                )
                break
            raw = f"{raw} {lines[index].raw.lstrip()}"
            last = lines[index].number
            index += 1
        if last != line.number:
            repairs.append(
                Repair(
                    line.number,
                    f"joined lines {line.number}-{last}, continued with a trailing "
                    "backslash, into one command",
                )
            )
        joined.append(Line(line.number, raw))
    return joined


def _continues(raw: str) -> bool:
    stripped = raw.rstrip()
    backslashes = len(stripped) - len(stripped.rstrip("\\"))
    return backslashes % 2 == 1


def _drop_backslash(raw: str) -> str:
    before = raw.rstrip()[:-1]
    return before[:-1] if before[-1:].isspace() else before


@dataclass
class QuestionGroup:
    """One level of questions, the line each question starts on, and its callouts."""

    line: int
    data: dict[str, Any]
    lines: list[int]
    callouts: list[dict[str, str]]


def build_question_group(block: Block, repairs: list[Repair]) -> QuestionGroup:
    """Build one level of questions: a question a line, bullets and numbers removed.

    A callout line (`Note: ...`) is not a question: it is returned as a callout for the
    questions section. A bullet with nothing after it is dropped.
    """
    if block.heading.level not in QUESTION_LEVELS:
        raise block.refuse(
            "is not a question level of this format; expected Beginner, "
            "Intermediate or Scenario-based"
        )
    questions: list[str] = []
    lines: list[int] = []
    callouts = read_callouts(block.lines, repairs)
    joinable = False
    for line in block.lines:
        text = _clean(line, repairs, bullet=True)
        if not text or _CALLOUT.match(text):
            joinable = joinable and not text
            continue
        if _EMPTY_BULLET.fullmatch(text):
            repairs.append(Repair(line.number, f"dropped the empty bullet '{text}'"))
            joinable = False
            continue
        stripped = _strip_bullet(text, line, repairs)
        continues = (
            joinable
            and stripped == text
            and not questions[-1].endswith((".", "?", "!", ":"))
        )
        if continues:
            questions[-1] = f"{questions[-1]} {stripped}"
            repairs.append(Repair(line.number, "joined a wrapped line to its question"))
        else:
            questions.append(stripped)
            lines.append(line.number)
        joinable = True
    if not questions:
        raise block.refuse("has no questions; expected one question a line")
    data = {
        "level": block.heading.level,
        "title": block.title,
        "questions": [{"text": question} for question in questions],
    }
    return QuestionGroup(block.line.number, data, lines, callouts)


def is_callout(text: str) -> bool:
    """Tell whether a line is a callout such as `Note: ...` or `Warning: ...`."""
    return _CALLOUT.match(text.strip()) is not None


def read_callouts(lines: list[Line], repairs: list[Repair]) -> list[dict[str, str]]:
    """Read every callout line of a block that holds no prose; one line each."""
    callouts: list[dict[str, str]] = []
    for line in lines:
        match = _CALLOUT.match(line.text)
        if match:
            callouts.append(_callout(match, line, [], repairs))
    return callouts


BUILDERS: dict[str, Callable[[Block, list[Repair]], Section]] = {
    "simple": build_prose,
    "technical": build_prose,
    "scenario": build_prose,
    "use_case": build_prose,
    "summary": build_summary,
    "visual": build_visual,
    "commands": build_commands,
}


def _read_prose(
    lines: list[Line], repairs: list[Repair]
) -> tuple[list[str], list[dict[str, str]]]:
    """Group lines into paragraphs; lines starting with Note:, Warning: ... are callouts."""
    paragraphs: list[list[str]] = [[]]
    callouts: list[dict[str, str]] = []
    opened: tuple[re.Match[str], Line, list[str]] | None = None
    for line in [*lines, Line(0, "")]:
        text = _clean(line, repairs)
        match = _CALLOUT.match(text) if text else None
        if opened and (not text or match):
            callouts.append(_callout(*opened, repairs))
            opened = None
        if not text:
            paragraphs.append([])
        elif match:
            opened = (match, line, [])
        elif opened:
            opened[2].append(text)
        else:
            paragraphs[-1].append(_markdown_bullet(text, line, repairs))
    return ["\n".join(texts) for texts in paragraphs if texts], callouts


def _callout(
    match: re.Match[str], line: Line, more: list[str], repairs: list[Repair]
) -> dict[str, str]:
    word = match["word"]
    text = " ".join([match["text"].strip(), *more]).strip()
    if not text:
        raise LessonRefused(line.number, f"expected text after '{word}:'")
    kind = _CALLOUT_KINDS[word.lower()]
    repairs.append(Repair(line.number, f"made the '{word}:' line a callout ({kind})"))
    return {"kind": kind, "text": text}


def _clean(line: Line, repairs: list[Repair], *, bullet: bool = False) -> str:
    """Strip a line, reporting removed spaces unless a bullet report will cover them."""
    raw = line.raw
    text = raw.strip()
    if not text:
        return ""
    removed = []
    if raw != raw.lstrip() and not (bullet and _BULLET.match(text)):
        removed.append("leading spaces")
    if raw != raw.rstrip():
        removed.append("trailing spaces")
    if removed:
        repairs.append(Repair(line.number, f"removed {' and '.join(removed)}"))
    return text


def _strip_bullet(text: str, line: Line, repairs: list[Repair]) -> str:
    match = _BULLET.match(text)
    if match is None:
        return text
    spaces = " and leading spaces" if line.raw != line.raw.lstrip() else ""
    repairs.append(
        Repair(line.number, f"removed the bullet '{match['bullet']}'{spaces}")
    )
    return text[match.end() :]


def _markdown_bullet(text: str, line: Line, repairs: list[Repair]) -> str:
    match = _MARKDOWN_BULLET.match(text)
    if match is None:
        return text
    repairs.append(
        Repair(line.number, f"turned the bullet '{text[0]}' into a Markdown list item")
    )
    return "- " + text[match.end() :]


def _report_command(line: Line, result: RepairedCommand, repairs: list[Repair]) -> None:
    before = line.text
    if result.prompt_removed:
        repairs.append(Repair(line.number, "removed the shell prompt '$'"))
    if result.fixes:
        repairs.append(
            Repair(
                line.number,
                f"restored lost placeholders ({'; '.join(result.fixes)}): "
                f"`{before}` -> `{result.command}`",
            )
        )
    if result.guesses:
        repairs.append(
            Repair(
                line.number,
                f"could not tell what was lost, guessed "
                f"({'; '.join(result.guesses)}): `{before}` -> `{result.command}`; "
                "check it",
                warning=True,
            )
        )
    if not (result.fixes or result.guesses) and line.raw != line.text:
        repairs.append(Repair(line.number, "removed spaces around the command"))


def _insert_after(section: Section, key: str, new_key: str, value: str) -> Section:
    result: Section = {}
    for existing, existing_value in section.items():
        result[existing] = existing_value
        if existing == key:
            result[new_key] = value
    return result


def _line_of(block: Block, word: str) -> int:
    for line in block.lines:
        if word in line.raw:
            return line.number
    return block.line.number
