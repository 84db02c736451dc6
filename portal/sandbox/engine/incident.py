"""The incident's people and paperwork over simulated time: pages, escalation, the bridge,
investigations and the status page. Each is computed from the run's recorded facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .scenario import Scenario

if TYPE_CHECKING:
    from .replay import RunState

PAGED_AT = 0  # the alert pages the first level when the run starts
NEVER = 10**9


@dataclass(frozen=True)
class Notification:
    at: int
    person: str
    level: int  # 1-based escalation level, 0 for a page sent by hand
    reason: str  # "alert", "escalation", "manual escalation" or "page"


@dataclass(frozen=True)
class Finding:
    at: int
    person: str
    text: str
    complete: bool


def notifications(
    scenario: Scenario, state: RunState, until: int
) -> list[Notification]:
    """Pages sent up to `until`: the alert, escalations on timeout or by hand, direct pages.

    A level escalates when the page is not acknowledged within its timeout; after the last
    level the policy starts again from the first, `repeats` times. An acknowledgement stops
    the timeouts but a learner may still escalate by hand.
    """
    levels = scenario.escalation.levels
    total = len(levels) * (scenario.escalation.repeats + 1)
    sent = [Notification(PAGED_AT, p, 1, "alert") for p in levels[0].targets]
    manual = sorted(state.escalations)
    acked = state.acked_at if state.acked_at is not None else NEVER
    position, level_start, used = 0, PAGED_AT, 0
    while True:
        auto = level_start + levels[position % len(levels)].timeout_minutes * 60
        if auto >= acked:
            auto = NEVER
        by_hand = manual[used] if used < len(manual) else NEVER
        at = min(auto, by_hand)
        if at > until or at >= NEVER:
            break
        reason = "manual escalation" if by_hand <= auto else "escalation"
        used += by_hand <= auto
        position += 1
        if position >= total:
            break
        level_start = at
        level = levels[position % len(levels)]
        sent += [
            Notification(at, p, position % len(levels) + 1, reason)
            for p in level.targets
        ]
    sent += [
        Notification(at, person, 0, "page") for at, person in state.pages if at <= until
    ]
    return sorted(sent, key=lambda n: (n.at, n.level, n.person))


def current_level(scenario: Scenario, state: RunState, t: int) -> int:
    sent = [n.level for n in notifications(scenario, state, t) if n.level]
    return sent[-1] if sent else 1


def joined_at(
    scenario: Scenario, state: RunState, person_id: str, until: int
) -> int | None:
    """When someone is on the bridge: the first page to them plus their time to join."""
    if person_id == scenario.you:
        return PAGED_AT
    person = next(p for p in scenario.people if p.id == person_id)
    pages = [
        n.at for n in notifications(scenario, state, until) if n.person == person_id
    ]
    if not pages:
        return None
    return min(pages) + person.join_minutes * 60


def on_bridge(scenario: Scenario, state: RunState, t: int) -> list[str]:
    present = []
    for person in scenario.people:
        joined = joined_at(scenario, state, person.id, t)
        if joined is not None and joined <= t:
            present.append(person.id)
    return present


def findings(scenario: Scenario, state: RunState, until: int) -> list[Finding]:
    """What subject-matter experts report: within their time box, or what they have so far."""
    result = []
    for at, person_id, box in state.investigations:
        spec = next((i for i in scenario.investigations if i.person == person_id), None)
        if spec is None:
            person = scenario.person(person_id)
            area = (
                person.expertise if person and person.expertise != "-" else "their area"
            )
            found = Finding(at + box, person_id, f"Nothing unusual in {area}.", True)
        elif spec.needs_minutes * 60 <= box:
            found = Finding(at + spec.needs_minutes * 60, person_id, spec.finding, True)
        else:
            found = Finding(at + box, person_id, spec.partial, False)
        if found.at <= until:
            result.append(found)
    return sorted(result, key=lambda f: f.at)


def role_holders(state: RunState, t: int) -> dict[str, str]:
    holders: dict[str, str] = {}
    for at, role, person in state.roles:
        if at <= t:
            holders[role] = person
    return holders


def severity_at(state: RunState, t: int) -> str | None:
    level = None
    for at, value in state.severities:
        if at <= t:
            level = value
    return level


@dataclass(frozen=True)
class StatusPage:
    state: str  # Operational | Investigating | Monitoring | Resolved
    updates: tuple[tuple[int, str], ...]
    next_due: int | None
    overdue: bool


def status_page(scenario: Scenario, state: RunState, t: int) -> StatusPage:
    """The public status page; the next customer update is due a cadence after the last."""
    updates = tuple(
        (at, text) for at, kind, text in state.statuses if kind == "customer"
    )
    cadence = scenario.status_cadence_minutes * 60
    if state.resolved_at is not None and state.resolved_at <= t:
        return StatusPage("Resolved", updates, None, False)
    anchor = updates[-1][0] if updates else state.declared_at
    due = None if anchor is None else anchor + cadence
    if not updates:
        label = "Operational"
    elif state.mitigated_at is not None:
        label = "Monitoring"
    else:
        label = "Investigating"
    return StatusPage(label, updates, due, due is not None and t > due)
