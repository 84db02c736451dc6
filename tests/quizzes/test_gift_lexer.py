from __future__ import annotations

import pytest

from portal.quizzes.gift.lexer import Block, protect, restore, split_blocks, trim


def test_it_splits_on_blank_lines_and_drops_comment_blocks() -> None:
    source = "// header\n\nOne\nstill one\n  \t\n// only a comment\n\n// lead\nTwo\n"

    blocks = split_blocks(source)

    assert blocks == [Block(3, "One\nstill one"), Block(9, "Two")]


def test_it_blanks_comment_lines_inside_a_block() -> None:
    blocks = split_blocks("Question\n   // note\n{T}")

    assert blocks == [Block(1, "Question\n\n{T}")]
    assert blocks[0].line_at(blocks[0].text.index("{")) == 3


def test_it_ignores_a_byte_order_mark() -> None:
    blocks = split_blocks("\ufeffQuestion {T}")

    assert blocks == [Block(1, "Question {T}")]


@pytest.mark.parametrize(
    "text",
    ["\\{", "\\}", "\\~", "\\=", "\\#", "\\:", "\\\\", "\\n"],
)
def test_protected_escapes_hide_their_syntax(text: str) -> None:
    protected = protect(text)

    assert len(protected) == 1
    assert protected not in "{}~=#:\\\n"


def test_protect_keeps_real_newlines_and_restore_reverses() -> None:
    text = "a\\{b\nc\\\\nd"

    protected = protect(text)

    assert protected.count("\n") == 1
    assert restore(protected) == "a{b\nc\\nd"


def test_trim_keeps_no_break_spaces() -> None:
    assert trim(" \t\u00a0text\u00a0 \n") == "\u00a0text\u00a0"
