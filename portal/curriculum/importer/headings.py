"""Recognise the heading lines that divide a lesson in the seed's shape into sections.

A heading is a line of its own whose words, ignoring case, punctuation, emoji and a
trailing colon, are one of the known names or a common variant of it ("Hands on Commands",
"Real World Use Case"). Lines that end like a sentence or start with a bullet are never
headings, so a question such as "Summary?" stays a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUESTION_LEVELS = ("beginner", "intermediate", "scenario")


@dataclass(frozen=True)
class Heading:
    """A known heading: the section kind, the question level for groups, its usual name."""

    kind: str
    name: str
    level: str = ""


# Each heading with the word sequences accepted for it (after normalising).
_HEADINGS: tuple[tuple[Heading, tuple[str, ...]], ...] = (
    (
        Heading("simple", "ELI5 Explanation"),
        (
            "eli5 explanation",
            "eli5",
            "explain like i m 5",
            "explain like i m five",
            "simple explanation",
        ),
    ),
    (
        Heading("technical", "Technical Explanation"),
        (
            "technical explanation",
            "technical",
            "technical details",
            "technical deep dive",
        ),
    ),
    (
        Heading("visual", "Visual"),
        ("visual", "visual flow", "visualization", "visualisation", "diagram"),
    ),
    (
        Heading("commands", "Hands-on Commands"),
        (
            "hands on commands",
            "handson commands",
            "hands on",
            "commands",
            "hands on lab",
            "hands on practice",
        ),
    ),
    (
        Heading("scenario", "Debugging Scenario"),
        (
            "debugging scenario",
            "debug scenario",
            "troubleshooting scenario",
            "scenario",
        ),
    ),
    (
        Heading("questions", "Questions"),
        ("questions", "interview questions", "practice questions", "review questions"),
    ),
    (
        Heading("questions", "Beginner", "beginner"),
        (
            "beginner",
            "beginner questions",
            "beginner level",
            "beginner level questions",
        ),
    ),
    (
        Heading("questions", "Intermediate", "intermediate"),
        (
            "intermediate",
            "intermediate questions",
            "intermediate level",
            "intermediate level questions",
        ),
    ),
    (
        Heading("questions", "Scenario-based", "scenario"),
        (
            "scenario based",
            "scenariobased",
            "scenario based questions",
            "scenario questions",
        ),
    ),
    (
        Heading("questions", "Advanced", "advanced"),
        ("advanced", "advanced questions", "advanced level questions"),
    ),
    (
        Heading("use_case", "Real-world Use Case"),
        (
            "real world use case",
            "realworld use case",
            "real world use cases",
            "real life use case",
            "real world example",
            "use case",
        ),
    ),
    (
        Heading("summary", "Summary"),
        ("summary", "recap", "key takeaways", "conclusion"),
    ),
)

_BY_WORDS = {words: heading for heading, variants in _HEADINGS for words in variants}
_BULLET_START = re.compile(r"^\s*(?:[•·▪◦●‣*+\-–]|\d+[.)])\s")

# The sections every lesson in the seed's shape has, in reading order.
EXPECTED: tuple[Heading, ...] = tuple(
    heading for heading, _ in _HEADINGS if heading.name not in ("Questions", "Advanced")
)


def normalise(text: str) -> str:
    """Reduce a line to lowercase words: "Hands-on Commands:" -> "hands on commands"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def match_heading(line: str) -> Heading | None:
    """Return the heading this line is, or None for any other line."""
    stripped = line.strip()
    if not stripped or stripped.endswith((".", "?", "!", ",")):
        return None
    if _BULLET_START.match(line):
        return None
    return _BY_WORDS.get(normalise(stripped))
