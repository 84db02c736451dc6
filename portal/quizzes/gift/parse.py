"""Parse Moodle's GIFT quiz format into question dataclasses.

The rules follow what Moodle's own importer does (qformat_gift), so a file that
imports into Moodle means the same here. Where Moodle would silently import
something broken (a non-numeric numerical answer, weights that cannot add up,
a second answer block run into the first), the block is skipped and reported
as a problem with its line number instead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TypedDict

from portal.quizzes.gift.lexer import (
    Block,
    block_from_lines,
    protect,
    restore,
    split_blocks,
    trim,
)
from portal.quizzes.gift.model import (
    TEXT_FORMATS,
    Category,
    Choice,
    Description,
    Essay,
    Matching,
    MatchPair,
    MultipleResponse,
    Numerical,
    NumericAnswer,
    Problem,
    Question,
    ShortAnswer,
    SingleChoice,
    TextFormat,
    TrueFalse,
)

logger = logging.getLogger(__name__)

CATEGORY_PREFIX = "$CATEGORY:"
TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")

_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d+)?)%")
# The numbers PHP's is_numeric() accepts, less hexadecimal and surrounding space.
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FULL_MARKS_TOLERANCE = 1e-6


class GiftParseError(ValueError):
    """A block that cannot be imported; `line` is 1-based in the source."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message

    @property
    def problem(self) -> Problem:
        return Problem(self.line, self.message)


@dataclass(frozen=True)
class GiftResult:
    """Questions and category markers in source order, and the skipped blocks."""

    items: tuple[Question | Category, ...]
    problems: tuple[Problem, ...]

    @property
    def questions(self) -> list[Question]:
        return [item for item in self.items if isinstance(item, Question)]


def parse_gift(source: str) -> GiftResult:
    """Parse a whole GIFT file, skipping and reporting blocks it cannot import.

    Each question carries the path of the last `$CATEGORY:` line before it.
    """
    items: list[Question | Category] = []
    problems: list[Problem] = []
    category: str | None = None

    for block in split_blocks(source):
        try:
            marker, rest = split_category(block)
            if marker is not None:
                category = marker.path
                items.append(marker)
            if rest is not None:
                items.append(replace(parse_question(rest), category=category))
        except GiftParseError as error:
            logger.debug("Skipped GIFT block: %s", error)
            problems.append(error.problem)

    return GiftResult(tuple(items), tuple(problems))


def parse_gift_strict(source: str) -> list[Question]:
    """Parse a whole GIFT file, raising GiftParseError for its first problem."""
    result = parse_gift(source)
    if result.problems:
        first = result.problems[0]
        raise GiftParseError(first.line, first.message)
    return result.questions


def split_category(block: Block) -> tuple[Category | None, Block | None]:
    """Take a leading `$CATEGORY:` line off a block; return it and the rest.

    Moodle expects the category alone in its block; a question written on the
    lines right under it is read as a question of its own rather than as part
    of the category's name.
    """
    first, _, rest = block.text.partition("\n")
    if not first.lstrip().startswith(CATEGORY_PREFIX):
        return None, block

    path = trim(restore(protect(first.lstrip()[len(CATEGORY_PREFIX) :])))
    if not path:
        raise GiftParseError(block.line, f"{CATEGORY_PREFIX} has no category path")
    remainder = block_from_lines(block.line + 1, rest.split("\n")) if rest else None
    return Category(line=block.line, path=path), remainder


def parse_question(block: Block) -> Question:
    """Parse one block that holds a single question."""
    text = protect(block.text)
    title, body = _read_title(block, text)

    opening = text.find("{", body)
    closing = text.find("}", body)
    if opening == -1 and closing == -1:
        text_format, stem = _with_format(text[body:], "moodle")
        if not stem:
            raise GiftParseError(block.line, "the question has no text")
        return Description(
            line=block.line, title=title, text=stem, text_format=text_format
        )

    _check_braces(block, text, opening, closing)
    text_format, stem = _with_format(text[body:opening], "moodle")
    text_after = trim(restore(text[closing + 1 :]))
    if not stem and not text_after:
        raise GiftParseError(block.line, "the question has no text")

    answers = text[opening + 1 : closing]
    general_feedback = ""
    separator = answers.rfind("####")
    if separator != -1:
        general_feedback = _with_format(answers[separator + 4 :], text_format)[1]
        answers = answers[:separator]

    common = _Common(
        block=block,
        base=opening + 1,
        text_format=text_format,
        fields={
            "line": block.line,
            "title": title,
            "text": stem,
            "text_format": text_format,
            "text_after": text_after,
            "general_feedback": general_feedback,
        },
    )
    return _parse_answers(answers, common)


def _read_title(block: Block, text: str) -> tuple[str | None, int]:
    """Return the `::title::` of a protected block and where its text starts."""
    start = _skip_space(text, 0)
    if not text.startswith("::", start):
        return None, start
    end = text.find("::", start + 2)
    if end == -1:
        raise GiftParseError(
            block.line_at(start), "the title opened with '::' is never closed"
        )
    return trim(restore(text[start + 2 : end])) or None, _skip_space(text, end + 2)


class _Fields(TypedDict):
    line: int
    title: str | None
    text: str
    text_format: TextFormat
    text_after: str
    general_feedback: str


@dataclass(frozen=True)
class _Common:
    """What every kind of question needs from its block."""

    block: Block
    # Index in the block's text where the answers start, for line numbers.
    base: int
    text_format: TextFormat
    fields: _Fields

    def line_at(self, index: int) -> int:
        return self.block.line_at(self.base + index)


def _parse_answers(answers: str, common: _Common) -> Question:
    # The order of these tests is Moodle's: a `~` anywhere makes a multiple
    # choice question, so `->` inside one of its answers is plain text.
    content = trim(answers)
    if content == "":
        return Essay(**common.fields)
    if content.startswith("#"):
        return _numerical(answers, common)
    if "~" in content:
        return _multiple_choice(answers, common)
    if "=" in content and "->" in content:
        return _matching(answers, common)
    if trim(content.split("#", 1)[0]) in TRUE_WORDS + FALSE_WORDS:
        return _true_false(content, common)
    return _short_answer(answers, common)


def _multiple_choice(answers: str, common: _Common) -> Question:
    options: list[Choice] = []
    for index, piece in _pieces(answers, "~="):
        line = common.line_at(index)
        if piece.startswith("="):
            weight, rest = _weight(piece[1:], line)
            fraction = 1.0 if weight is None else weight
        else:
            weight, rest = _weight(piece.removeprefix("~"), line)
            fraction = weight or 0.0
        options.append(_choice(rest, fraction, common.text_format, line))

    if len(options) < 2:
        raise GiftParseError(
            common.block.line, "a multiple choice question needs at least two answers"
        )
    if "=" in answers:
        _require_full_marks(options, common.block.line)
        return SingleChoice(**common.fields, options=tuple(options))

    # Moodle rounds the total to two decimals, so three answers of 33.33%
    # give full marks.
    total = sum(option.fraction for option in options if option.fraction > 0)
    if round(total, 2) != 1:
        raise GiftParseError(
            common.block.line,
            f"the positive weights add up to {total * 100:g}%, not 100%",
        )
    return MultipleResponse(**common.fields, options=tuple(options))


def _short_answer(answers: str, common: _Common) -> Question:
    options: list[Choice] = []
    for index, piece in _pieces(answers, "="):
        line = common.line_at(index)
        weight, rest = _weight(piece.removeprefix("="), line)
        fraction = 1.0 if weight is None else weight
        options.append(_choice(rest, fraction, common.text_format, line))

    _require_full_marks(options, common.block.line)
    return ShortAnswer(**common.fields, options=tuple(options))


def _true_false(content: str, common: _Common) -> Question:
    # Moodle reads the first feedback as the one for a wrong response and the
    # second as the one for a right response, whichever the answer is.
    parts = content.split("#", 2)
    answer = trim(parts[0]) in TRUE_WORDS
    wrong = _with_format(parts[1], common.text_format)[1] if len(parts) > 1 else ""
    right = _with_format(parts[2], common.text_format)[1] if len(parts) > 2 else ""

    return TrueFalse(
        **common.fields,
        answer=answer,
        feedback_true=right if answer else wrong,
        feedback_false=wrong if answer else right,
    )


def _matching(answers: str, common: _Common) -> Question:
    pairs: list[MatchPair] = []
    for index, piece in _pieces(answers, "="):
        line = common.line_at(index)
        pair = piece.removeprefix("=")
        left, arrow, right = pair.partition("->")
        if not arrow:
            raise GiftParseError(
                line, f"the matching pair {trim(restore(pair))!r} has no '->'"
            )
        left_format, left_text = _with_format(left, common.text_format)
        right_text = trim(restore(right))
        if not right_text:
            raise GiftParseError(
                line,
                f"the matching pair {trim(restore(pair))!r} has nothing after '->'",
            )
        pairs.append(
            MatchPair(left=left_text, right=right_text, left_format=left_format)
        )

    if sum(1 for pair in pairs if pair.left) < 2:
        raise GiftParseError(
            common.block.line, "a matching question needs at least two pairs"
        )
    return Matching(**common.fields, pairs=tuple(pairs))


def _numerical(answers: str, common: _Common) -> Question:
    start = answers.index("#") + 1
    rest = answers[start:]
    catch_all = None
    tilde = rest.find("~")
    if tilde != -1:
        # Moodle reads `~#feedback` as the feedback for any other response.
        before, _, feedback = rest[tilde + 1 :].partition("#")
        if trim(before):
            raise GiftParseError(
                common.line_at(start + tilde),
                "in a numerical question '~' may only introduce the feedback for "
                "any other answer, as in ~#feedback",
            )
        feedback_format, feedback_text = _with_format(feedback, common.text_format)
        catch_all = NumericAnswer(
            fraction=0.0, feedback=feedback_text, feedback_format=feedback_format
        )
        rest = rest[:tilde]

    parsed = [
        _numeric_answer(piece, common, common.line_at(start + index))
        for index, piece in _pieces(rest, "=")
    ]
    if not parsed:
        raise GiftParseError(common.block.line, "the numerical question has no answers")
    if catch_all is not None:
        parsed.append(catch_all)
    if not any(abs(a.fraction - 1) < _FULL_MARKS_TOLERANCE for a in parsed):
        raise GiftParseError(common.block.line, "no answer is worth 100%")
    return Numerical(**common.fields, answers=tuple(parsed))


def _numeric_answer(piece: str, common: _Common, line: int) -> NumericAnswer:
    weight, rest = _weight(piece.removeprefix("="), line)
    fraction = 1.0 if weight is None else weight
    number, _, feedback = rest.partition("#")
    feedback_format, feedback_text = _with_format(feedback, common.text_format)
    answer = NumericAnswer(
        fraction=fraction, feedback=feedback_text, feedback_format=feedback_format
    )
    number = trim(number)

    if number == "*":
        return answer
    dots = number.find("..")
    if dots > 0:
        minimum = _number(number[:dots], number, line)
        maximum = _number(number[dots + 2 :], number, line)
        if minimum > maximum:
            raise GiftParseError(
                line, f"the range {restore(number)!r} starts above its end"
            )
        return replace(answer, minimum=minimum, maximum=maximum)
    colon = number.find(":")
    if colon > 0:
        value = _number(number[:colon], number, line)
        tolerance = _number(number[colon + 1 :], number, line)
        if tolerance < 0:
            raise GiftParseError(
                line, f"the tolerance in {restore(number)!r} is negative"
            )
        return replace(answer, value=value, tolerance=tolerance)
    return replace(answer, value=_number(number, number, line), tolerance=0.0)


def _number(text: str, whole: str, line: int) -> float:
    candidate = trim(restore(text))
    if not _NUMBER_RE.fullmatch(candidate):
        raise GiftParseError(
            line, f"the numerical answer {trim(restore(whole))!r} is not a number"
        )
    return float(candidate)


def _choice(rest: str, fraction: float, default: TextFormat, line: int) -> Choice:
    answer, _, feedback = rest.partition("#")
    text_format, text = _with_format(answer, default)
    feedback_format, feedback_text = _with_format(feedback, default)
    if not text:
        raise GiftParseError(line, "an answer has no text")
    return Choice(
        text=text,
        fraction=fraction,
        feedback=feedback_text,
        text_format=text_format,
        feedback_format=feedback_format,
    )


def _require_full_marks(options: list[Choice], line: int) -> None:
    if not any(abs(o.fraction - 1) < _FULL_MARKS_TOLERANCE for o in options):
        raise GiftParseError(line, "no answer is worth 100%")


def _weight(text: str, line: int) -> tuple[float | None, str]:
    """Read a leading `%50%` weight; return it as a fraction and the rest."""
    match = _WEIGHT_RE.match(trim(text))
    if match is None:
        return None, text
    percent = float(match.group(1))
    if not -100 <= percent <= 100:
        raise GiftParseError(
            line, f"the weight {match.group(0)} is outside -100%..100%"
        )
    # Rounding keeps 33.33333% from printing as 0.33333329999999994.
    return round(percent / 100, 10), trim(text)[match.end() :]


def _with_format(text: str, default: TextFormat) -> tuple[TextFormat, str]:
    """Read a leading `[html]`-style marker; return the format and the clean text."""
    text = trim(text)
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end]
        for text_format in TEXT_FORMATS:
            if end != -1 and name == text_format:
                return text_format, trim(restore(text[end + 1 :]))
    return default, trim(restore(text))


def _pieces(text: str, markers: str) -> list[tuple[int, str]]:
    """Cut text before each marker character, keeping the marker on its piece.

    Text before the first marker is a piece too unless it is blank, as in
    Moodle, where `{One}` is a one-answer short answer question.
    """
    cuts = [index for index, char in enumerate(text) if char in markers]
    bounds = [0, *cuts, len(text)]
    pieces = []
    for start, end in pairwise(bounds):
        piece = text[start:end]
        if trim(piece):
            pieces.append((_skip_space(text, start), trim(piece)))
    return pieces


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r\0\x0b":
        index += 1
    return index


def _check_braces(block: Block, text: str, opening: int, closing: int) -> None:
    if closing == -1:
        raise GiftParseError(
            block.line_at(opening),
            "'{' is never closed by '}' (write \\{ for a literal brace)",
        )
    if opening == -1 or closing < opening:
        raise GiftParseError(
            block.line_at(closing),
            "'}' has no '{' before it (write \\} for a literal brace)",
        )
    nested = text.find("{", opening + 1, closing)
    if nested != -1:
        raise GiftParseError(
            block.line_at(nested),
            "a second '{' inside an answer block (write \\{ for a literal brace)",
        )
    after = text[closing + 1 :]
    stray = [index for index in (after.find("{"), after.find("}")) if index != -1]
    if stray:
        raise GiftParseError(
            block.line_at(closing + 1 + min(stray)),
            "a second answer block after the first; separate questions with a "
            "blank line, or write \\{ and \\} for literal braces",
        )
