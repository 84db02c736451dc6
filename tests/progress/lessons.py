"""Lessons for progress tests: written to disk and loaded, or created straight in the DB."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from portal.curriculum.models import Lesson, Section
from tests.curriculum.lesson_files import minimal, write_curriculum

TECHNICAL_SECTION = """\
  - kind: technical
    title: Technical Explanation
    body: Severity decides who is paged and how fast.
"""


def load_lessons(root: Path, lessons: dict[str, str]) -> None:
    write_curriculum(root, lessons)
    call_command("load_curriculum", lessons_dir=root, verbosity=0)


def basics_text(completion: str = "", technical: bool = False) -> str:
    """The minimal lesson (sections "simple" and "questions"), optionally extended."""
    text = minimal()
    if technical:
        text = text.replace(
            "  - kind: questions\n", TECHNICAL_SECTION + "  - kind: questions\n"
        )
    return text.replace("sections:\n", f"{completion}sections:\n", 1)


def make_lesson(
    number: int,
    kinds: Sequence[str] = ("simple", "technical"),
    completion: dict[str, Any] | None = None,
) -> Lesson:
    lesson = Lesson.objects.create(
        slug=f"lesson-{number}",
        folder=f"{number:02d}-lesson",
        title=f"Lesson number {number}",
        level="beginner",
        number=number,
        position=number,
        completion=completion or {"sections": "all", "quiz": "none", "scenarios": []},
        loaded_at=timezone.now(),
    )
    Section.objects.bulk_create(
        Section(lesson=lesson, kind=kind, title=kind.title(), position=index)
        for index, kind in enumerate(kinds)
    )
    return lesson
