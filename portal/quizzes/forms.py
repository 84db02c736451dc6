"""Reading a learner's response to one question from a submitted form.

Each question's fields are named after its key, so one form can hold a whole page of
questions. Values are kept only when they name a choice the question offers; anything
else reads as no answer.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

MAX_SHORT_TEXT = 500
MAX_OPEN_TEXT = 10_000


def field_name(question_key: str, part: str | int | None = None) -> str:
    return question_key if part is None else f"{question_key}.{part}"


def read_response(
    kind: str, key: str, data: dict[str, Any], order: list[str], post: QueryDict
) -> Any:
    """Return the response to store for one question, or None when nothing is given."""
    if kind == "single":
        value = post.get(field_name(key))
        return value if value in order else None
    if kind == "multiple":
        picked = set(post.getlist(field_name(key)))
        return [option for option in order if option in picked] or None
    if kind == "truefalse":
        return {"true": True, "false": False}.get(post.get(field_name(key), ""))
    if kind == "ordering":
        return _ordering(key, data, post)
    if kind == "matching":
        return _matching(key, data, order, post)
    limit = MAX_OPEN_TEXT if kind == "open" else MAX_SHORT_TEXT
    # PostgreSQL stores no null character in text or JSON; no keyboard types one either.
    text = post.get(field_name(key), "").replace("\x00", "").strip()[:limit]
    return text or None


def _ordering(key: str, data: dict[str, Any], post: QueryDict) -> dict[str, int] | None:
    count = len(data["items"])
    positions: dict[str, int] = {}
    for item in data["items"]:
        raw = post.get(field_name(key, item["key"]), "")
        if raw.isdigit() and 1 <= int(raw) <= count:
            positions[item["key"]] = int(raw)
    return positions or None


def _matching(
    key: str, data: dict[str, Any], order: list[str], post: QueryDict
) -> dict[str, str] | None:
    matches: dict[str, str] = {}
    for index, pair in enumerate(data["pairs"]):
        value = post.get(field_name(key, index), "")
        if value in order:
            matches[pair["left"]] = value
    return matches or None
