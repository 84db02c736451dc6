"""Answer sheets: a full set of plausible responses to a quiz, graded by the real grader."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from portal.quizzes.attempts import grade_response
from portal.quizzes.models import QuestionVersion


@dataclass(frozen=True)
class Mark:
    response: Any
    fraction: float | None
    points: float | None
    feedback: str


def respond(kind: str, data: dict[str, Any], rng: random.Random) -> Any:
    """A response of the question's kind, right or wrong at random."""
    if kind == "single":
        return rng.choice(data["options"])["key"]
    if kind == "multiple":
        keys = [option["key"] for option in data["options"]]
        return sorted(rng.sample(keys, rng.randint(1, len(keys))))
    if kind == "truefalse":
        return rng.random() < 0.5
    if kind == "ordering":
        keys = [item["key"] for item in data["items"]]
        positions = list(range(1, len(keys) + 1))
        rng.shuffle(positions)
        return dict(zip(keys, positions, strict=True))
    if kind == "matching":
        rights = [pair["right"] for pair in data["pairs"]]
        return {pair["left"]: rng.choice(rights) for pair in data["pairs"]}
    if kind == "numeric":
        answer = data["answers"][0]
        value = answer.get("value", answer.get("min", 0)) or 0
        return str(value + rng.choice([0, 0, 1, 5]))
    if kind == "short":
        return rng.choice([*data.get("accepted", [{"text": "x"}])[:1], {"text": "?"}])[
            "text"
        ]
    return "An open answer written during the bench."


def sheet(versions: list[QuestionVersion], rng: random.Random) -> list[Mark]:
    """One response to every question, each graded like a submission grades it."""
    marks = []
    for version in versions:
        question = version.question
        response = respond(question.kind, version.data, rng)
        mark = grade_response(question.kind, version.data, response)
        if mark is None:
            marks.append(Mark(response, None, None, ""))
        else:
            points = round(mark.fraction * question.points, 4)
            marks.append(Mark(response, mark.fraction, points, mark.feedback))
    return marks
