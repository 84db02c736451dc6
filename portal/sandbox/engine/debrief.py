"""The debrief: each decision beside its alternatives, and a postmortem draft in Markdown."""

from __future__ import annotations

from typing import Any

from . import metrics
from .clock import short_duration
from .replay import RunState
from .scenario import Decision, Scenario
from .scoring import HISTORY, Score, score

WELL, BADLY = 0.8, 0.5


def _first_mitigation(scenario: Scenario, state: RunState) -> str:
    for change in state.changes:
        faulty = change.target == scenario.fault.deployment
        if change.kind == "shift" and change.share > 0:
            return "shift"
        if change.kind in ("rollback", "set_image"):
            if not faulty:
                return "wrong-rollback"
            if change.behaviour == "healthy":
                return "rollback"
        if change.kind in ("restart", "scale") and faulty:
            return change.kind
    return "none"


def _traffic(state: RunState) -> str:
    top = max((share for _, share in state.traffic), default=0)
    if top == 0:
        return "none"
    if top < 20:
        return "small"
    return "moderate" if top <= 60 else "too-much"


def choices(scenario: Scenario, state: RunState) -> dict[str, str]:
    """Which option of each scenario decision the run took."""
    final = state.severities[-1][1] if state.severities else "none"
    return {
        "first-mitigation": _first_mitigation(scenario, state),
        "severity": final,
        "traffic": _traffic(state),
    }


def _decision(decision: Decision, chosen: str) -> dict[str, Any]:
    picked = next((o for o in decision.options if o.id == chosen), None)
    return {
        "id": decision.id,
        "question": decision.question,
        "chosen": None
        if picked is None
        else {"id": picked.id, "label": picked.label, "outcome": picked.outcome},
        "alternatives": [
            {"id": o.id, "label": o.label, "outcome": o.outcome}
            for o in decision.options
            if o.id != chosen
        ],
    }


def debrief(scenario: Scenario, state: RunState) -> dict[str, Any]:
    taken = choices(scenario, state)
    result = score(scenario, state)
    return {
        "decisions": [
            _decision(d, taken.get(d.id, "none")) for d in scenario.debrief.decisions
        ],
        "postmortem_markdown": postmortem(scenario, state, result),
    }


def postmortem(scenario: Scenario, state: RunState, result: Score) -> str:
    """Draft a blameless postmortem from the run; the learner edits it before sharing."""
    clock = scenario.clock
    day = clock.at(0).strftime("%Y-%m-%d")
    points = metrics.series(
        scenario, state.cluster, state.traffic, -HISTORY, state.clock
    )
    peak_error = max((p.error_rate for p in points), default=0.0)
    peak_p99 = max((p.p99_ms for p in points), default=0)
    failed = sum(p.failed_checkouts for p in points if metrics.impacted(scenario, p))
    hurt = result.impact
    if hurt.start is None:
        window = "no customer impact was measured"
    elif hurt.end is None:
        window = f"from {clock.hhmm(hurt.start)} UTC, still ongoing when the run ended"
    else:
        window = (
            f"from {clock.hhmm(hurt.start)} to {clock.hhmm(hurt.end)} UTC "
            f"({short_duration(hurt.end - hurt.start)})"
        )
    severity = state.severities[-1][1] if state.severities else "not set"
    lines = [
        f"# Postmortem: {scenario.title} ({day})",
        "",
        "_Draft generated from the simulated run. It is blameless: it describes what the "
        "systems and the process did, not who is at fault. Edit before sharing._",
        "",
        "## Overview",
        "",
        scenario.debrief.overview.strip(),
        "",
        "## Impact",
        "",
        f"- Customers affected {window}.",
        f"- Peak checkout error rate {peak_error:.0%}, peak p99 latency {peak_p99} ms.",
        f"- About {failed:,} failed checkouts while customers were affected.",
        f"- Severity: {severity}.",
        "",
        "## Timeline (UTC)",
        "",
        "| Time | Event |",
        "|---|---|",
    ]
    for entry in _timeline(scenario, state):
        lines.append(f"| {entry[0]} | {entry[1].replace('|', '/')} |")
    lines += [
        "",
        "## Response times",
        "",
        "| Measure | From | To | Duration |",
        "|---|---|---|---|",
    ]
    for t in result.times:
        start = clock.hhmmss(t.start) if t.start is not None else "-"
        end = clock.hhmmss(t.end) if t.end is not None else "-"
        took = short_duration(t.seconds) if t.seconds is not None else "not reached"
        lines.append(
            f"| {t.label} | {t.start_event} {start} | {t.end_event} {end} | {took} |"
        )
    lines += ["", "Definitions:", ""]
    lines += [f"- **{t.label}**: {t.definition}" for t in result.times]
    well = [i for i in result.items if i.max_points and i.points / i.max_points >= WELL]
    badly = [
        i for i in result.items if i.max_points and i.points / i.max_points < BADLY
    ]
    lines += ["", "## What went well", ""]
    lines += [f"- {i.title}: {i.note}." for i in well] or ["- _To fill in._"]
    lines += ["", "## What went badly", ""]
    lines += [f"- {i.title}: {i.note}." for i in badly]
    lines += [f"- {p.title} ({p.note})" for p in result.penalties]
    for _, pid in state.pitfalls:
        pitfall = scenario.pitfall(pid)
        if pitfall:
            lines.append(f"- Pitfall: {pitfall.title}")
    if lines[-1] == "":
        lines.append("- _To fill in._")
    lines += ["", "## Root cause", "", scenario.debrief.root_cause.strip(), ""]
    lines += [
        "## Contributing factors",
        "",
        "_To fill in with the team. Starting points:_",
        "",
    ]
    lines += [f"- {factor}" for factor in scenario.debrief.contributing_factors]
    lines += ["", "## Action items", "", "| Action | Owner | Due |", "|---|---|---|"]
    lines += [
        f"| {item} | _owner_ | _date_ |" for item in scenario.debrief.action_items
    ]
    return "\n".join(lines) + "\n"


def _timeline(scenario: Scenario, state: RunState) -> list[tuple[str, str]]:
    from .view import timeline

    clock = scenario.clock
    entries = [(clock.hhmmss(rev.created), f"{dep.name} revision {rev.number} rolled out: "
                f"{rev.change_cause}")
               for dep in scenario.cluster.deployments for rev in dep.revisions
               if -HISTORY <= rev.created <= 0]  # fmt: skip
    entries += [
        (e["at"], e["text"])
        for e in timeline(scenario, state)
        if e["kind"] != "kubectl"
    ]
    entries += [(clock.hhmmss(c.at), f"{c.kind} {c.target}: {c.detail}".strip(": "))
                for c in state.changes if c.kind != "shift"]  # fmt: skip
    return sorted(entries)
