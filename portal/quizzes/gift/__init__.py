"""A reader for Moodle's GIFT quiz format, free of Django.

`parse_gift(source)` returns the questions and `$CATEGORY` markers in source
order with the problems of blocks it skipped; `to_json_list(questions)` gives
the shape an import dry run prints.
"""

from portal.quizzes.gift.model import (
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
from portal.quizzes.gift.parse import (
    GiftParseError,
    GiftResult,
    parse_gift,
    parse_gift_strict,
    parse_question,
)
from portal.quizzes.gift.to_json import question_to_json, to_json_list

__all__ = [
    "Category",
    "Choice",
    "Description",
    "Essay",
    "GiftParseError",
    "GiftResult",
    "MatchPair",
    "Matching",
    "MultipleResponse",
    "NumericAnswer",
    "Numerical",
    "Problem",
    "Question",
    "ShortAnswer",
    "SingleChoice",
    "TextFormat",
    "TrueFalse",
    "parse_gift",
    "parse_gift_strict",
    "parse_question",
    "question_to_json",
    "to_json_list",
]
