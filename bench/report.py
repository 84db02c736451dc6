"""The bench's results: one row per number, with its target and verdict."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Row:
    section: str
    name: str
    value: int | float | str
    unit: str = ""
    target: str = ""
    # True or False when a target applies, None for numbers shown for context.
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: ""}[self.passed]

    @property
    def shown(self) -> str:
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, int):
            return f"{self.value:,} {self.unit}".strip()
        if math.isnan(self.value):
            return "n/a"
        text = f"{self.value:,.0f}" if abs(self.value) >= 100 else f"{self.value:.2f}"
        return f"{text} {self.unit}".strip()


def at_most(value: float, limit: float) -> bool:
    return not math.isnan(value) and value <= limit


def at_least(value: float, limit: float) -> bool:
    return not math.isnan(value) and value >= limit


def table(rows: list[Row]) -> str:
    headers = ("section", "measure", "value", "target", "")
    cells = [(r.section, r.name, r.shown, r.target, r.verdict) for r in rows]
    widths = [max(len(str(c[i])) for c in [headers, *cells]) for i in range(5)]
    lines = []
    for number, cell in enumerate([headers, *cells]):
        lines.append(
            "  ".join(
                str(text).rjust(width) if i == 2 else str(text).ljust(width)
                for i, (text, width) in enumerate(zip(cell, widths, strict=True))
            ).rstrip()
        )
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    failed = [r for r in rows if r.passed is False]
    checked = [r for r in rows if r.passed is not None]
    lines.append("")
    lines.append(f"{len(checked) - len(failed)} of {len(checked)} targets met")
    return "\n".join(lines)


def write(rows: list[Row], directory: Path, started: datetime, extra: dict) -> Path:
    """Write the table as .txt and the rows as .json; return the text file's path."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / started.strftime("%Y%m%d-%H%M%S")
    text = stem.with_suffix(".txt")
    text.write_text(table(rows) + "\n", encoding="utf-8")
    payload = {
        "started": started.isoformat(),
        **extra,
        "rows": [{**asdict(r), "verdict": r.verdict} for r in rows],
    }
    stem.with_suffix(".json").write_text(
        json.dumps(payload, indent=2, default=str), encoding="utf-8"
    )
    return text
