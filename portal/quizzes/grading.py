"""Grading of each question kind: small pure functions from (answer key, response) to a mark.

A mark is a fraction of the question's points between 0 and 1. Responses come from the
browser and may be empty, duplicated or malformed: every function accepts them and gives 0
for what cannot be right, never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

EPSILON = 1e-9


@dataclass(frozen=True)
class Mark:
    fraction: float
    feedback: str = ""

    @property
    def is_correct(self) -> bool:
        return self.fraction >= 1 - EPSILON

    @property
    def is_partial(self) -> bool:
        return EPSILON < self.fraction < 1 - EPSILON


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def grade_single(options: Sequence[Mapping[str, Any]], response: Any) -> Mark:
    """One option picked; its fraction is the mark (weights allow partly right options)."""
    for option in options:
        if option["key"] == response:
            return Mark(_clamp(option["fraction"]), option.get("feedback", ""))
    return Mark(0.0)


def grade_multiple(options: Sequence[Mapping[str, Any]], response: Any) -> Mark:
    """Any number of options picked: the sum of their fractions, kept between 0 and 1.

    Right options carry positive fractions that add up to 1 and wrong ones negative
    fractions, so every wrong pick costs and picking everything earns nothing.
    """
    picked = set(response) if isinstance(response, list | tuple | set) else set()
    total = sum(option["fraction"] for option in options if option["key"] in picked)
    feedback = " ".join(
        option["feedback"]
        for option in options
        if option["key"] in picked and option.get("feedback")
    )
    return Mark(_clamp(total), feedback)


def grade_true_false(
    answer: bool, response: Any, feedback_true: str = "", feedback_false: str = ""
) -> Mark:
    """Full marks for the right truth value, with the feedback of the value picked."""
    if not isinstance(response, bool):
        return Mark(0.0)
    feedback = feedback_true if response else feedback_false
    return Mark(1.0 if response is answer else 0.0, feedback)


def grade_ordering(correct_order: Sequence[str], response: Any) -> Mark:
    """Credit for each neighbouring pair the learner placed in the right relative order.

    A list of n items has n - 1 neighbouring pairs; a pair (a, b) of the response counts when
    b directly follows a in the right order. The full order earns 1, the reverse 0. A
    response that is not a permutation of the items earns 0.
    """
    if len(correct_order) < 2:
        return Mark(1.0 if list(response or []) == list(correct_order) else 0.0)
    if not isinstance(response, list | tuple) or sorted(response) != sorted(
        correct_order
    ):
        return Mark(0.0)
    successor = dict(zip(correct_order, correct_order[1:], strict=False))
    right = sum(
        1
        for first, second in zip(response, response[1:], strict=False)
        if successor.get(first) == second
    )
    return Mark(right / (len(correct_order) - 1))


def grade_matching(pairs: Mapping[str, str], response: Any) -> Mark:
    """Each left-hand item matched to its right-hand answer earns an equal share."""
    if not pairs or not isinstance(response, Mapping):
        return Mark(0.0)
    right = sum(1 for left, answer in pairs.items() if response.get(left) == answer)
    return Mark(right / len(pairs))


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def parse_number(response: Any) -> float | None:
    """Read a number typed with a decimal point; a comma is refused as ambiguous (1,000)."""
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        return float(response) if math.isfinite(response) else None
    if not isinstance(response, str):
        return None
    text = response.strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def grade_numeric(answers: Sequence[Mapping[str, Any]], response: Any) -> Mark:
    """The best fraction among the answers whose interval holds the number (bounds count)."""
    value = parse_number(response)
    if value is None:
        return Mark(0.0)
    matches = []
    for answer in answers:
        if "min" in answer:
            low, high = answer["min"], answer["max"]
        else:
            tolerance = abs(answer.get("tolerance", 0.0))
            low, high = answer["value"] - tolerance, answer["value"] + tolerance
        if low - EPSILON <= value <= high + EPSILON:
            matches.append(answer)
    return _best_match(matches)


def _best_match(matches: Sequence[Mapping[str, Any]]) -> Mark:
    """The mark of the best-scoring matched answer, with its feedback.

    A matched answer worth nothing still counts: its feedback explains a common mistake.
    """
    if not matches:
        return Mark(0.0)
    best = max(matches, key=lambda answer: answer["fraction"])
    return Mark(_clamp(best["fraction"]), best.get("feedback", ""))


def normalise_text(text: str) -> str:
    """Compare short answers without regard to case, spacing or closing punctuation."""
    return " ".join(text.casefold().split()).rstrip(".!?;")


def grade_short_text(answers: Sequence[Mapping[str, Any]], response: Any) -> Mark:
    """The best fraction among accepted answers; `*` in an accepted answer matches anything."""
    if not isinstance(response, str) or not response.strip():
        return Mark(0.0)
    given = normalise_text(response)
    matches = [
        answer
        for answer in answers
        if re.fullmatch(
            ".*".join(
                re.escape(part) for part in normalise_text(answer["text"]).split("*")
            ),
            given,
        )
    ]
    return _best_match(matches)
