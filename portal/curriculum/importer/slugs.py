"""Stable keys made from text: the lesson slug and the question keys."""

from __future__ import annotations

import re
import unicodedata

QUESTION_KEY_LENGTH = 60


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "On-call & Escalation" -> "on-call-escalation"."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def shorten(slug: str, limit: int = QUESTION_KEY_LENGTH) -> str:
    """Cut a slug to at most `limit` characters, at a word boundary when there is one."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")
    return slug[:cut] if cut > 0 else slug[:limit]


def unique_key(text: str, taken: set[str]) -> str:
    """Return a short slug of the text that is not in `taken`, and add it there."""
    base = shorten(slugify(text)) or "question"
    key, counter = base, 2
    while key in taken:
        suffix = f"-{counter}"
        key = shorten(base, QUESTION_KEY_LENGTH - len(suffix)) + suffix
        counter += 1
    taken.add(key)
    return key
