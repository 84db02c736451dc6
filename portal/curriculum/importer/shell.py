"""Split a command line into words and note where copying left a gap.

A placeholder such as `<pod>` that a browser took for an HTML tag vanishes together with its
brackets, but the spaces around it stay. So a run of n spaces between two words means n - 1
words were lost there, and n spaces at the end of the line mean n words were lost at the end.
`Edits` records the placeholders put back into those gaps and renders the repaired command.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

OPERATORS = frozenset({"|", "||", "&&", ";", "&"})


def tokenize(raw: str) -> tuple[list[str], list[int]]:
    """Return the words of a command line and, for each slot, the words lost there.

    Slot i is the place just before words[i]; slot len(words) is the end of the line.
    Quoted text is one word, so spaces inside quotes are never taken for a gap.
    """
    words: list[str] = []
    gaps: list[int] = []
    position, length = 0, len(raw)
    while True:
        start = position
        while position < length and raw[position].isspace():
            position += 1
        spaces = position - start
        if position >= length:
            gaps.append(spaces if words else 0)
            return words, gaps
        gaps.append(max(spaces - 1, 0) if words else 0)
        position = _word_end(raw, position)
        words.append(raw[start + spaces : position])


def _word_end(raw: str, position: int) -> int:
    quote = ""
    while position < len(raw):
        char = raw[position]
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                position += 1
        elif char in "'\"":
            quote = char
        elif char == "\\":
            position += 1
        elif char.isspace():
            break
        position += 1
    return min(position, len(raw))


def is_flag(word: str) -> bool:
    """Tell an option (-n, --namespace=x) from a value, `--` and a negative number."""
    return (
        word.startswith("-")
        and word != "--"
        and len(word) > 1
        and not (word[1].isdigit())
    )


@dataclass
class Edits:
    """Placeholders inserted into a tokenized command, with the reason for each."""

    words: list[str]
    gaps: list[int]
    inserted: dict[int, list[str]] = field(default_factory=dict)
    replaced: dict[int, str] = field(default_factory=dict)
    notes: list[tuple[int, bool, str]] = field(default_factory=list)

    def insert(self, slot: int, word: str, reason: str, *, guess: bool = False) -> None:
        """Put a word into a slot, using up one lost word of the gap there if any."""
        self.inserted.setdefault(slot, []).append(word)
        if self.gaps[slot] > 0:
            self.gaps[slot] -= 1
        self.notes.append((slot, guess, f"{word} {reason}"))

    def replace(
        self, index: int, word: str, reason: str, *, guess: bool = False
    ) -> None:
        self.replaced[index] = word
        self.notes.append((index, guess, f"{word} {reason}"))

    def first_gap(self, first_slot: int, last_slot: int) -> int | None:
        """Return the first slot in the inclusive range where a word was lost."""
        for slot in range(first_slot, last_slot + 1):
            if self.gaps[slot] > 0:
                return slot
        return None

    def is_end(self, slot: int) -> bool:
        return slot == len(self.words)

    @property
    def fixes(self) -> list[str]:
        """What was put back where the grammar says it belongs, left to right."""
        return [text for _, guess, text in sorted(self.notes) if not guess]

    @property
    def guesses(self) -> list[str]:
        """Where `<value>` went in because nothing better could be inferred."""
        return [text for _, guess, text in sorted(self.notes) if guess]

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.replaced)

    def render(self) -> str:
        out: list[str] = []
        for index, word in enumerate(self.words):
            out.extend(self.inserted.get(index, []))
            out.append(self.replaced.get(index, word))
        out.extend(self.inserted.get(len(self.words), []))
        return " ".join(out)


def segments(words: list[str]) -> Iterator[tuple[int, int]]:
    """Yield (first, end) word ranges of the commands joined by |, &&, || and ;."""
    first = 0
    for index, word in enumerate(words):
        if word in OPERATORS:
            if index > first:
                yield first, index
            first = index + 1
    if first < len(words):
        yield first, len(words)
