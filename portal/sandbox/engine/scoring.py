"""Score a run from its own timeline against the scenario's rubric.

Every time metric carries the two timestamps it was measured between and the definition it
uses, because teams mean different things by "MTTR": here time to restore (customer impact
start to end) and time to resolve (page to resolved) are both shown, under their own names.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from . import incident, metrics
from .replay import ClusterChange, RunState
from .scenario import Mitigation, RubricItem, Scenario

HISTORY = 30 * 60  # how far before the page to look for the start of customer impact
LOOKAHEAD = 10 * 60  # how far past the end the metrics must stay below the impact line
CLUSTER_CHANGES = ("rollback", "restart", "scale", "set_image")


@dataclass(frozen=True)
class TimeMetric:
    name: str
    label: str
    definition: str
    start_event: str
    start: int | None
    end_event: str
    end: int | None

    @property
    def seconds(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


@dataclass(frozen=True)
class Impact:
    start: int | None
    end: int | None  # None while customers are still affected


@dataclass(frozen=True)
class ItemScore:
    id: str
    title: str
    points: float
    max_points: int
    note: str


@dataclass(frozen=True)
class Score:
    total: float
    items: tuple[ItemScore, ...]
    penalties: tuple[ItemScore, ...]
    times: tuple[TimeMetric, ...]
    impact: Impact
    evidence: tuple[tuple[str, int | None], ...]
    cadence_share: float
    longest_gap: int | None


def impact(scenario: Scenario, state: RunState) -> Impact:
    """Find when customers started being hurt and whether (and when) that ended.

    Impact ends at the close of the last minute whose metrics crossed the impact line. The
    metrics are a function of the cluster, so they are followed for LOOKAHEAD past the
    resolution (or the end of the run) with nothing more done: a crash loop that only
    looks healthy between two crashes is still impact, and a fix made before resolving
    counts at once, without the learner having to wait after it.
    """
    until = state.resolved_at if state.resolved_at is not None else state.clock
    points = metrics.series(
        scenario, state.cluster, state.traffic, -HISTORY, until + LOOKAHEAD
    )
    hurt = [p.t for p in points if metrics.impacted(scenario, p)]
    if not hurt:
        return Impact(None, None)
    start, end = hurt[0], hurt[-1] + 60
    if end <= until:
        return Impact(start, end)
    return Impact(start, None)


def evidence_times(scenario: Scenario, state: RunState) -> dict[str, int | None]:
    """When each piece of evidence was first seen, by kubectl or in a finding."""
    seen = list(state.seen)
    for found in incident.findings(scenario, state, state.clock):
        seen.append(
            (
                found.at,
                f"finding:{found.person}:{'full' if found.complete else 'partial'}",
            )
        )
    result: dict[str, int | None] = {}
    for item in scenario.evidence:
        times = [
            at
            for at, name in seen
            if any(fnmatch.fnmatch(name, p) for p in item.seen_by)
        ]
        result[item.id] = min(times) if times else None
    return result


def _linear(seconds: int | None, item: RubricItem) -> float:
    if seconds is None:
        return 0.0
    full, zero = item.full_within_minutes * 60, item.zero_after_minutes * 60
    if seconds <= full:
        return 1.0
    if seconds >= zero:
        return 0.0
    return (zero - seconds) / (zero - full)


def _first(pairs, role: str) -> int | None:
    return next((at for at, r, _ in pairs if r == role), None)


def time_metrics(
    scenario: Scenario, state: RunState, hurt: Impact
) -> tuple[TimeMetric, ...]:
    page = incident.PAGED_AT
    return (
        TimeMetric("time_to_acknowledge", "Time to acknowledge (MTTA)",
                   "From the first page to its acknowledgement.",
                   "page sent", page, "page acknowledged", state.acked_at),
        TimeMetric("time_to_declare", "Time to declare",
                   "From the first page to declaring the incident and opening the bridge.",
                   "page sent", page, "incident declared", state.declared_at),
        TimeMetric("time_to_commander", "Time to incident commander",
                   "From the first page to someone being named incident commander.",
                   "page sent", page, "commander assigned", _first(state.roles, "ic")),
        TimeMetric("time_to_mitigate", "Time to mitigate",
                   "From the first page to the responders marking the incident mitigated.",
                   "page sent", page, "marked mitigated", state.mitigated_at),
        TimeMetric("time_to_restore", "Time to restore (MTTR as mean time to restore)",
                   "From the first minute customers were affected (error rate above "
                   f"{scenario.metrics.impact_error_rate:.0%} or p99 above "
                   f"{scenario.metrics.impact_p99_ms}ms) to the end of the last affected "
                   "minute, after which the metrics stayed below those lines (followed "
                   f"{LOOKAHEAD // 60} minutes past the resolution or the end of the run "
                   "with nothing more done); measured from the metrics, not from what "
                   "anyone declared.",
                   "customer impact began", hurt.start, "customer impact ended", hurt.end),
        TimeMetric("time_to_resolve", "Time to resolve (MTTR as mean time to resolve)",
                   "From the first page to the incident being marked resolved, including "
                   "the monitoring after recovery.",
                   "page sent", page, "incident resolved", state.resolved_at),
    )  # fmt: skip


def cadence(scenario: Scenario, state: RunState) -> tuple[float, int | None, int]:
    """Return (share of windows with a customer update, longest gap, window count).

    The same rule as the status page: windows of the scenario's cadence run from the
    declaration to the resolution (or the end of the run). Without a declaration there
    are no windows and the share is 0; the longest gap is None without any update.
    """
    if state.declared_at is None:
        return 0.0, None, 0
    start = state.declared_at
    end = state.resolved_at if state.resolved_at is not None else state.clock
    window = scenario.status_cadence_minutes * 60
    updates = [
        at
        for at, kind, _ in state.statuses
        if kind == "customer" and start <= at <= end
    ]
    count = max(1, -(-(end - start) // window))
    covered = {min(count - 1, (at - start) // window) for at in updates}
    if not updates:
        return 0.0, None, count
    marks = [start, *updates, end]
    gap = max(b - a for a, b in zip(marks, marks[1:], strict=False))
    return len(covered) / count, gap, count


def _mitigation_matches(scenario: Scenario, state: RunState):
    """Pair each cluster change or traffic shift with the scenario's mitigation entry."""
    pairs = []
    for change in state.changes:
        if change.kind == "shift" and change.share == 0:
            continue
        candidates = [m for m in scenario.mitigations if m.kind == change.kind]
        if change.kind == "shift":
            chosen = [
                m for m in candidates if m.min_share <= change.share <= m.max_share
            ]
        else:
            chosen = [m for m in candidates if m.target == change.target]
            chosen = chosen or [m for m in candidates if m.target == "*"]
        pairs.append((change, chosen[0] if chosen else None))
    return pairs


def mitigations_taken(
    scenario: Scenario, state: RunState
) -> list[tuple[ClusterChange, Mitigation | None]]:
    """Each cluster change or traffic shift of the run with the scenario's entry for it."""
    return _mitigation_matches(scenario, state)


def score(scenario: Scenario, state: RunState) -> Score:
    hurt = impact(scenario, state)
    times = {t.name: t for t in time_metrics(scenario, state, hurt)}
    seen = evidence_times(scenario, state)
    share, gap, windows = cadence(scenario, state)
    items: list[ItemScore] = []
    for item in scenario.rubric:
        fraction, note = _rubric(
            scenario, state, item, times, seen, share, gap, windows, hurt
        )
        items.append(ItemScore(item.id, item.title, round(item.points * fraction, 1),
                               item.points, note))  # fmt: skip
    penalties = []
    for change, mitigation in _mitigation_matches(scenario, state):
        if mitigation and mitigation.penalty:
            penalties.append(ItemScore(f"penalty:{mitigation.id}", mitigation.effect,
                                       -mitigation.penalty, 0,
                                       f"at {scenario.clock.hhmmss(change.at)}"))  # fmt: skip
    total = sum(i.points for i in items) + sum(p.points for p in penalties)
    return Score(
        total=round(max(0.0, min(100.0, total)), 1),
        items=tuple(items),
        penalties=tuple(penalties),
        times=tuple(times.values()),
        impact=hurt,
        evidence=tuple(seen.items()),
        cadence_share=share,
        longest_gap=gap,
    )


def _rubric(scenario, state, item, times, seen, share, gap, windows, hurt):
    clock = scenario.clock
    if item.id == "acknowledge":
        seconds = times["time_to_acknowledge"].seconds
        return _linear(seconds, item), _took(
            seconds, "acknowledged", "the page was never acknowledged"
        )
    if item.id == "declare":
        seconds = times["time_to_declare"].seconds
        return _linear(seconds, item), _took(
            seconds, "declared", "the incident was never declared"
        )
    if item.id == "commander":
        seconds = times["time_to_commander"].seconds
        return _linear(seconds, item), _took(seconds, "commander named",
                                             "no incident commander was named")  # fmt: skip
    if item.id == "severity":
        return _severity(scenario, state, item)
    if item.id == "roles":
        filled = {role for _, role, _ in state.roles} & {"scribe", "comms", "sme"}
        missing = sorted({"scribe", "comms", "sme"} - filled)
        return len(filled) / 3, "missing: " + ", ".join(
            missing
        ) if missing else "all filled"
    if item.id == "status_cadence":
        return share, _cadence_note(scenario, state, share, gap, windows)
    if item.id == "evidence":
        return _evidence(scenario, state, seen)
    if item.id == "mitigation":
        return _mitigation(scenario, state, item)
    if item.id == "restore":
        seconds = times["time_to_restore"].seconds
        if seconds is None:
            return 0.0, "customers were still affected when the run ended"
        return _linear(seconds, item), f"restored {seconds // 60}m after impact began"
    if item.id == "resolve":
        if state.resolved_at is None:
            return 0.0, "not resolved"
        if hurt.end is None or hurt.end > state.resolved_at:
            return 0.0, "resolved while customers were still affected"
        if state.mitigated_at is None:
            return 0.5, "resolved after recovery, but never marked mitigated"
        return 1.0, f"resolved at {clock.hhmmss(state.resolved_at)} after recovery"
    return 0.0, "unknown rubric item"


def _took(seconds: int | None, what: str, never: str) -> str:
    if seconds is None:
        return never
    return f"{what} after {seconds // 60}m{seconds % 60:02d}s"


def _cadence_note(
    scenario: Scenario, state: RunState, share: float, gap: int | None, windows: int
) -> str:
    minutes = scenario.status_cadence_minutes
    if state.declared_at is None:
        return (
            "the incident was never declared; customer updates are due every "
            f"{minutes} minutes from the declaration"
        )
    rule = (
        f"{windows} window{'s' if windows != 1 else ''} of {minutes} minutes from the "
        "declaration at "
        f"{scenario.clock.hhmmss(state.declared_at)} to the "
        f"{'resolution' if state.resolved_at is not None else 'end of the run'}"
    )
    if gap is None:
        return f"no customer update was posted in the {rule}"
    return f"{share:.0%} of the {rule} had a customer update; longest gap {gap // 60}m"


def _severity(
    scenario: Scenario, state: RunState, item: RubricItem
) -> tuple[float, str]:
    if not state.severities:
        return 0.0, "no severity set"
    first_at, _ = state.severities[0]
    final = state.severities[-1][1]
    expected = scenario.severities.expected
    if final == expected:
        level = 1.0
    elif final in scenario.severities.acceptable:
        level = 0.7
    elif abs(int(final[-1]) - int(expected[-1])) == 1:
        level = 0.3
    else:
        level = 0.0
    timing = max(0.5, _linear(first_at, item))
    return (
        level * timing,
        f"{final} (expected {expected}), first set at {scenario.clock.hhmmss(first_at)}",
    )


def _evidence(scenario: Scenario, state: RunState, seen: dict[str, int | None]):
    keys = [e.id for e in scenario.evidence if e.key]
    acted = next((c.at for c in state.changes if c.kind in CLUSTER_CHANGES), None)
    limit = acted if acted is not None else state.clock + 1
    before = [k for k in keys if seen.get(k) is not None and seen[k] < limit]  # type: ignore[operator]
    when = "before the first cluster change" if acted is not None else "during the run"
    fraction = len(before) / len(keys) if keys else 1.0
    return fraction, f"{len(before)} of {len(keys)} key facts seen {when}"


def _mitigation(scenario: Scenario, state: RunState, item: RubricItem):
    best, label = 0, "no mitigation"
    for change, mitigation in _mitigation_matches(scenario, state):
        if mitigation is None or mitigation.points <= best:
            continue
        if change.kind in ("rollback", "set_image") and change.behaviour != "healthy":
            continue
        if state.resolved_at is not None and change.at > state.resolved_at:
            continue
        best, label = mitigation.points, f"{mitigation.id} ({mitigation.risk} risk)"
    return min(1.0, best / item.points) if item.points else 0.0, label


def as_dict(scenario: Scenario, result: Score) -> dict[str, object]:
    """The score as plain data for JSON and templates."""
    clock = scenario.clock

    def stamp(t: int | None) -> str | None:
        return clock.hhmmss(t) if t is not None else None

    return {
        "total": result.total,
        "out_of": 100,
        "items": [
            {"id": i.id, "title": i.title, "points": i.points, "max": i.max_points,
             "note": i.note} for i in result.items
        ],
        "penalties": [
            {"id": p.id, "what": p.title, "points": p.points, "note": p.note}
            for p in result.penalties
        ],
        "times": [
            {"name": t.name, "label": t.label, "definition": t.definition,
             "from": {"event": t.start_event, "at": stamp(t.start)},
             "to": {"event": t.end_event, "at": stamp(t.end)}, "seconds": t.seconds}
            for t in result.times
        ],
        "evidence": {key: stamp(at) for key, at in result.evidence},
        "status_cadence": {"share": round(result.cadence_share, 3),
                           "longest_gap_seconds": result.longest_gap},
    }  # fmt: skip
