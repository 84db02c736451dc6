"""Simulated time: seconds relative to the scenario's start, shown the way people read it.

Every time inside the engine is an integer number of seconds since the moment the learner is
paged (02:00 on the scenario's date); events before it, such as the 01:52 deploy, are negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


@dataclass(frozen=True)
class Clock:
    """Turns engine seconds into wall-clock text for one scenario."""

    origin: datetime

    def at(self, t: int) -> datetime:
        return self.origin + timedelta(seconds=t)

    def _day(self, t: int) -> str:
        """`Day 2 ` once the run has gone past midnight, so a time never repeats."""
        days = (self.at(t).date() - self.origin.date()).days
        return f"Day {days + 1} " if days > 0 else ""

    def hhmmss(self, t: int) -> str:
        return self._day(t) + self.at(t).strftime("%H:%M:%S")

    def hhmm(self, t: int) -> str:
        return self._day(t) + self.at(t).strftime("%H:%M")

    def rfc1123(self, t: int) -> str:
        """Format a time like `kubectl describe` does: Thu, 14 Mar 2024 01:52:14 +0000."""
        return self.at(t).strftime("%a, %d %b %Y %H:%M:%S +0000")

    def iso(self, t: int) -> str:
        return self.at(t).strftime("%Y-%m-%dT%H:%M:%SZ")

    def iso_millis(self, t: float) -> str:
        moment = self.origin + timedelta(seconds=t)
        return (
            moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
        )

    def offset(self, moment: datetime) -> int:
        return int((moment - self.origin).total_seconds())


def make_clock(date: str, start: str) -> Clock:
    day = datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    hours, minutes = (int(part) for part in start.split(":")[:2])
    return Clock(day + timedelta(hours=hours, minutes=minutes))


def human_duration(seconds: float) -> str:
    """Format an age the way kubectl prints one: 45s, 2m30s, 8m, 3h10m, 5d4h."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    years, days = divmod(hours // 24, 365)
    return f"{years}y{days}d" if days and years < 8 else f"{years}y"


def parse_duration(text: str) -> int | None:
    """Read `90s`, `5m`, `1h30m` or a bare number of minutes; None when it is not one."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text) * 60
    match = _DURATION.fullmatch(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def short_duration(seconds: int) -> str:
    """Format a span for people: 4m, 1h05m, 45s."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{rest:02d}s" if rest else f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
