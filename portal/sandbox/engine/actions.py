"""The learner's action vocabulary, parsed from one line of text.

A run stores each action as its text and its simulated time, so parsing must be total and
deterministic: the same line always means the same thing.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from .clock import parse_duration
from .scenario import ROLES

ROLE_ALIASES = {
    "ic": "ic",
    "commander": "ic",
    "incident-commander": "ic",
    "scribe": "scribe",
    "comms": "comms",
    "communications": "comms",
    "sme": "sme",
}
MAX_WAIT = 4 * 3600

VOCABULARY = """\
kubectl ...                    a kubectl command against the simulated cluster
ack                            acknowledge the page (stops escalation)
escalate                       escalate the page to the next level now
page NAME                      page someone (they join the bridge a few minutes later)
declare                        declare an incident and open the bridge
severity SEV1|SEV2|SEV3|SEV4   set or change the severity
assign ROLE NAME               ROLE is ic, scribe, comms or sme; NAME must be on the bridge
status customer "text"         post a customer update on the status page
status internal "text"         post an internal update to the bridge
shift-traffic PERCENT          send PERCENT of checkout traffic to the healthy region (0 undoes)
investigate NAME DURATION      ask a subject-matter expert to investigate, time-boxed (15m)
mitigated                      mark the incident mitigated
resolve                        resolve the incident
wait DURATION                  let simulated time pass (30s, 5m, 1h)
# comment, blank line          ignored in scripts"""


class ActionError(ValueError):
    """A line that is not an action at all."""


@dataclass(frozen=True)
class Action:
    """One entry of a run: what the learner did and the simulated time they did it at."""

    at: int
    text: str


@dataclass(frozen=True)
class Parsed:
    kind: str
    args: tuple[str, ...] = ()
    seconds: int = 0
    number: int = 0


def _duration(word: str, what: str) -> int:
    if word.strip().isdigit():
        raise ActionError(
            f"{what}: give the duration a unit (s, m or h), e.g. {word.strip()}m for "
            f"{word.strip()} minutes, got {word!r}"
        )
    seconds = parse_duration(word)
    if seconds is None or seconds <= 0:
        raise ActionError(
            f"{what}: expected a duration such as 30s, 5m or 1h, got {word!r}"
        )
    return seconds


def parse_action(text: str) -> Parsed:
    """Parse one action line or raise ActionError saying what was expected."""
    line = text.strip()
    if not line:
        raise ActionError("empty action")
    if line.split()[0] == "kubectl":
        return Parsed("kubectl", (line,))
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise ActionError(f"cannot read the line: {error}") from None
    verb, args = words[0].lower(), words[1:]
    if verb in ("ack", "acknowledge", "escalate", "declare", "mitigated", "resolve"):
        if args:
            raise ActionError(f"{verb} takes no arguments")
        return Parsed("ack" if verb == "acknowledge" else verb)
    if verb == "page":
        if len(args) != 1:
            raise ActionError(
                'page: expected one name, e.g. page priya or page "Priya Natarajan"'
            )
        return Parsed("page", (args[0],))
    if verb == "severity":
        if len(args) != 1 or not re.fullmatch(r"SEV[1-4]", args[0].upper()):
            raise ActionError("severity: expected SEV1, SEV2, SEV3 or SEV4")
        return Parsed("severity", (args[0].upper(),))
    if verb == "assign":
        if len(args) != 2 or args[0].lower() not in ROLE_ALIASES:
            raise ActionError(
                f"assign: expected a role ({', '.join(ROLES)}) and a name"
            )
        return Parsed("assign", (ROLE_ALIASES[args[0].lower()], args[1]))
    if verb == "status":
        if (
            len(args) != 2
            or args[0] not in ("customer", "internal")
            or not args[1].strip()
        ):
            raise ActionError(
                'status: expected customer or internal and a quoted "text"'
            )
        return Parsed("status", (args[0], args[1]))
    if verb == "shift-traffic":
        number = args[0].rstrip("%") if len(args) == 1 else ""
        if not number.isdigit() or int(number) > 100:
            raise ActionError("shift-traffic: expected a percentage from 0 to 100")
        return Parsed("shift", number=int(number))
    if verb == "investigate":
        if len(args) != 2:
            raise ActionError(
                "investigate: expected a name and a time box, e.g. investigate dana 15m"
            )
        return Parsed(
            "investigate", (args[0],), seconds=_duration(args[1], "investigate")
        )
    if verb == "wait":
        if len(args) != 1:
            raise ActionError("wait: expected a duration such as 5m")
        seconds = _duration(args[0], "wait")
        if seconds > MAX_WAIT:
            raise ActionError("wait: at most 4h at a time")
        return Parsed("wait", seconds=seconds)
    raise ActionError(f"unknown action {verb!r}; expected kubectl or one of: ack, escalate, "
                      "page, declare, severity, assign, status, shift-traffic, investigate, "
                      "mitigated, resolve, wait")  # fmt: skip
