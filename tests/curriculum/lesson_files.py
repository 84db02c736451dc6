"""Write small curricula to disk for loader tests."""

from __future__ import annotations

from pathlib import Path

MINIMAL_LESSON = """\
slug: {slug}
title: {title}
level: beginner
number: {number}
sections:
  - kind: simple
    title: ELI5 Explanation
    body: Something broke; people fix it together.
  - kind: questions
    title: Questions
    groups:
      - level: beginner
        title: Beginner
        questions:
          - key: first-question
            text: What is an incident?
          - key: second-question
            text: Who leads?
"""


def write_curriculum(root: Path, lessons: dict[str, str]) -> Path:
    """Write lesson.yaml files (folder -> text) and a curriculum.yaml listing them."""
    root.mkdir(parents=True, exist_ok=True)
    for folder, text in lessons.items():
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "lesson.yaml").write_text(text, encoding="utf-8")
    listing = "".join(f"  - {folder}\n" for folder in lessons)
    (root / "curriculum.yaml").write_text(f"lessons:\n{listing}", encoding="utf-8")
    return root


def minimal(slug: str = "basics", title: str = "Basics", number: int = 1) -> str:
    return MINIMAL_LESSON.format(slug=slug, title=title, number=number)
