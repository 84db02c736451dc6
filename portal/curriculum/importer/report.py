"""What the importer tells its caller: the repairs it made and the input it refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Repair:
    """One change made to the source text, or a guess the author should check."""

    line: int
    message: str
    warning: bool = False

    def describe(self, source: str) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{source}:{self.line}: {prefix}{self.message}"


class LessonRefused(ValueError):
    """The source cannot be read as a lesson; names the line and what was expected."""

    def __init__(self, line: int, reason: str, source: str = "") -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.source = source

    def __str__(self) -> str:
        return f"{self.source or '<text>'}:{self.line}: {self.reason}"
