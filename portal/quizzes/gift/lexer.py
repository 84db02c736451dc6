"""Split GIFT source into blocks and protect its escaped characters."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each escape becomes one private-use character while the block is taken apart,
# so an escaped `{` or `~` can never be mistaken for syntax. The substitution
# keeps real newlines where they are, which keeps line numbers right.
_ESCAPES = {
    "\\": "\\",
    "~": "~",
    "=": "=",
    "#": "#",
    "{": "{",
    "}": "}",
    ":": ":",
    "n": "\n",
}
_PLACEHOLDER_BASE = 0xE000
_PLACEHOLDERS = {
    char: chr(_PLACEHOLDER_BASE + index) for index, char in enumerate(_ESCAPES)
}
_RESTORE = str.maketrans(
    {placeholder: _ESCAPES[char] for char, placeholder in _PLACEHOLDERS.items()}
)
# One left-to-right pass, so `\\n` is a backslash followed by the letter n.
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")

# PHP's trim(), which Moodle applies everywhere; str.strip() would also eat
# no-break spaces that authors put in on purpose.
_TRIM_CHARS = " \t\n\r\0\x0b"


@dataclass(frozen=True)
class Block:
    """Lines of the source between blank lines, comment lines blanked out."""

    line: int
    text: str

    def line_at(self, index: int) -> int:
        """Return the source line of a character index into `text`."""
        return self.line + self.text.count("\n", 0, index)


def trim(text: str) -> str:
    return text.strip(_TRIM_CHARS)


def protect(text: str) -> str:
    """Replace each GIFT escape such as `\\{` with a placeholder character."""
    return _ESCAPE_RE.sub(lambda match: _PLACEHOLDERS[match.group(1)], text)


def restore(text: str) -> str:
    """Turn placeholders back into the characters their escapes stand for."""
    return text.translate(_RESTORE)


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("//")


def split_blocks(source: str) -> list[Block]:
    """Split source on blank lines, dropping blocks that hold only comments."""
    source = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    current: list[str] = []
    first_line = 0

    for number, line in enumerate(source.split("\n"), start=1):
        if trim(line) == "":
            _append_block(blocks, first_line, current)
            current = []
            continue
        if not current:
            first_line = number
        current.append("" if is_comment(line) else line)

    _append_block(blocks, first_line, current)
    return blocks


def block_from_lines(first_line: int, lines: list[str]) -> Block | None:
    """Make a block of lines, or None when they hold nothing but comments.

    Leading empty (comment) lines are dropped so the block starts on its
    first line of content.
    """
    skipped = 0
    while skipped < len(lines) and trim(lines[skipped]) == "":
        skipped += 1
    if skipped == len(lines):
        return None
    return Block(first_line + skipped, "\n".join(lines[skipped:]))


def _append_block(blocks: list[Block], first_line: int, lines: list[str]) -> None:
    block = block_from_lines(first_line, lines)
    if block is not None:
        blocks.append(block)
