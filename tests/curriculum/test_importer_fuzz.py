"""Randomly damaged copies of the seed: each is imported into a valid lesson or refused.

Copying damages lessons in many small ways at once. Whatever the damage, the importer must
either write a lesson.yaml that loads in the format of lessons/README.md or refuse the file
naming its line; it must never fail with a traceback.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from portal.curriculum.content import LESSON
from portal.curriculum.importer import LessonRefused, dump_yaml, parse_lesson
from portal.lib.schema import validate
from portal.lib.yamldoc import parse_yaml

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_b9387c81652d547f.txt"
COPIES = 300
_SNIPPETS = [
    "  ",
    " ",
    "\\",
    " \\",
    "<",
    ">",
    "=",
    "app=",
    '"',
    "'",
    "\u2022 ",
    ":",
    "#",
    "\t",
    "\u00a0",
    "\u200b",
    "\r",
    "-n ",
    "Note: ",
    "Warning:",
    "x" * 300,
    "Summary",
    "Lesson 5",
    "?",
    "->",
    "kubectl ",
]

Damage = Callable[[random.Random, list[str]], None]


def _delete(rng: random.Random, lines: list[str]) -> None:
    if len(lines) > 1:
        del lines[rng.randrange(len(lines))]


def _duplicate(rng: random.Random, lines: list[str]) -> None:
    index = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[index])


def _swap(rng: random.Random, lines: list[str]) -> None:
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]


def _insert_text(rng: random.Random, lines: list[str]) -> None:
    index = rng.randrange(len(lines))
    line = lines[index]
    position = rng.randrange(len(line) + 1)
    lines[index] = line[:position] + rng.choice(_SNIPPETS) + line[position:]


def _new_line(rng: random.Random, lines: list[str]) -> None:
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(_SNIPPETS).strip(" "))


def _recase(rng: random.Random, lines: list[str]) -> None:
    index = rng.randrange(len(lines))
    change = rng.choice([str.upper, str.lower, str.title, lambda s: s + ":"])
    lines[index] = change(lines[index])


def _merge(rng: random.Random, lines: list[str]) -> None:
    if len(lines) > 1:
        index = rng.randrange(len(lines) - 1)
        lines[index : index + 2] = [lines[index] + " " + lines[index + 1]]


def _cut_word(rng: random.Random, lines: list[str]) -> None:
    index = rng.randrange(len(lines))
    words = lines[index].split(" ")
    if len(words) > 1:
        words[rng.randrange(len(words))] = ""
        lines[index] = " ".join(words)


def _truncate(rng: random.Random, lines: list[str]) -> None:
    del lines[rng.randrange(1, len(lines) + 1) :]


DAMAGES: list[Damage] = [
    _delete,
    _duplicate,
    _swap,
    _insert_text,
    _new_line,
    _recase,
    _merge,
    _cut_word,
    _truncate,
]


def _damaged_copy(seed: int) -> bytes:
    rng = random.Random(seed)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for _ in range(rng.randint(1, 6)):
        weights = [3, 2, 2, 6, 3, 3, 2, 4, 1]
        rng.choices(DAMAGES, weights)[0](rng, lines)
    data = "\n".join(lines).encode("utf-8")
    if rng.random() < 0.05:
        position = rng.randrange(len(data) + 1)
        data = data[:position] + b"\xff" + data[position:]
    return data


@pytest.mark.parametrize("seed", range(COPIES))
def test_a_damaged_copy_is_imported_into_a_valid_lesson_or_refused_with_its_line(
    seed: int,
) -> None:
    data = _damaged_copy(seed)
    source = f"damaged/{seed:03d}.txt"
    last_line = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1

    try:
        lesson = parse_lesson(data, source)
    except LessonRefused as refusal:
        assert re.match(rf"{re.escape(source)}:[1-9]\d*: \S", str(refusal))
        assert refusal.line <= last_line
        return

    assert len(lesson.folder.encode()) <= 64
    written = dump_yaml(lesson.data)
    document = parse_yaml(written, source)
    assert document.data == lesson.data
    validate(LESSON, document)
    for repair in lesson.repairs:
        assert 1 <= repair.line <= last_line, repair
