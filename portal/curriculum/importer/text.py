"""Decode a copied lesson file and undo the damage that is about characters, not meaning.

Handles a byte order mark, CRLF or CR line endings, a missing final newline, non-breaking
and zero-width spaces. Spacing inside a line is kept as it came, because the gaps in
commands are the only trace of the placeholders that were lost there.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.curriculum.importer.report import LessonRefused, Repair

_BOM = b"\xef\xbb\xbf"
_ODD_SPACES = {ord("\u00a0"): " ", ord("\u202f"): " ", ord("\u2007"): " "}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Line:
    number: int
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()


def read_lines(data: bytes) -> tuple[list[Line], list[Repair]]:
    """Decode UTF-8 bytes into numbered lines; refuse empty or undecodable input."""
    repairs: list[Repair] = []
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
        repairs.append(Repair(1, "removed the byte order mark (BOM)"))
    text = _decode(data)
    if not text.strip():
        raise LessonRefused(
            1, "the file is empty; expected a lesson in the seed's shape"
        )

    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        kind = "CRLF" if "\r\n" in text else "CR"
        repairs.append(Repair(first, f"converted {kind} line endings to LF"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        repairs.append(Repair(text.count("\n") + 1, "added the missing final newline"))
        text += "\n"

    lines: list[Line] = []
    for number, raw in enumerate(text[:-1].split("\n"), start=1):
        cleaned = raw.translate(_ODD_SPACES).translate(_INVISIBLE)
        if cleaned != raw:
            repairs.append(Repair(number, "replaced non-breaking or zero-width spaces"))
        lines.append(Line(number, cleaned))
    return lines, repairs


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise LessonRefused(
            line, f"byte 0x{byte:02x} is not UTF-8; expected text encoded as UTF-8"
        ) from None
