"""Questions read from Moodle's GIFT format, independent of Django models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

TextFormat = Literal["moodle", "html", "markdown", "plain"]
TEXT_FORMATS: tuple[TextFormat, ...] = ("moodle", "html", "markdown", "plain")


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One answer of a single choice, multiple response or short answer question."""

    text: str
    fraction: float
    feedback: str = ""
    text_format: TextFormat = "moodle"
    feedback_format: TextFormat = "moodle"


@dataclass(frozen=True, kw_only=True)
class MatchPair:
    """One row of a matching question; an empty `left` is an extra distractor."""

    left: str
    right: str
    left_format: TextFormat = "moodle"


@dataclass(frozen=True, kw_only=True)
class NumericAnswer:
    """A numeric answer: `value` ± `tolerance`, or the closed range `minimum..maximum`.

    With all four left as None the answer is Moodle's catch-all `*`, which
    matches any response that no other answer matched.
    """

    fraction: float
    feedback: str = ""
    feedback_format: TextFormat = "moodle"
    value: float | None = None
    tolerance: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def is_range(self) -> bool:
        return self.minimum is not None

    @property
    def is_catch_all(self) -> bool:
        return self.value is None and self.minimum is None


@dataclass(frozen=True, kw_only=True)
class Question:
    kind: ClassVar[str] = ""

    line: int
    title: str | None = None
    text: str = ""
    text_format: TextFormat = "moodle"
    # Text after the answer block of a missing-word question; the blank sits
    # between `text` and `text_after`.
    text_after: str = ""
    general_feedback: str = ""
    category: str | None = None

    @property
    def has_blank(self) -> bool:
        return self.text_after != ""


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    kind: ClassVar[str] = "single"

    options: tuple[Choice, ...]


@dataclass(frozen=True, kw_only=True)
class MultipleResponse(Question):
    kind: ClassVar[str] = "multiple"

    options: tuple[Choice, ...]


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    kind: ClassVar[str] = "truefalse"

    answer: bool
    feedback_true: str = ""
    feedback_false: str = ""


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    kind: ClassVar[str] = "shortanswer"

    options: tuple[Choice, ...]


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    kind: ClassVar[str] = "matching"

    pairs: tuple[MatchPair, ...]


@dataclass(frozen=True, kw_only=True)
class Numerical(Question):
    kind: ClassVar[str] = "numerical"

    answers: tuple[NumericAnswer, ...]


@dataclass(frozen=True, kw_only=True)
class Essay(Question):
    kind: ClassVar[str] = "essay"


@dataclass(frozen=True, kw_only=True)
class Description(Question):
    kind: ClassVar[str] = "description"


@dataclass(frozen=True, kw_only=True)
class Category:
    """A `$CATEGORY:` line; it applies to every question after it."""

    kind: ClassVar[str] = "category"

    line: int
    path: str


@dataclass(frozen=True)
class Problem:
    """A block that was skipped, with the line it was found on."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"
