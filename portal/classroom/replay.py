"""An instructor's step-by-step replay of a learner's scenario run.

Step k is the state after the run's first k actions, computed by the engine from the
scenario, the seed and those actions alone, exactly as the learner's own page was.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from portal.sandbox.engine.actions import Action
from portal.sandbox.engine.replay import Step, replay
from portal.sandbox.engine.scenario import Scenario, load_scenario
from portal.sandbox.engine.view import snapshot


@dataclass
class ReplayedStep:
    number: int
    total: int
    step: Step | None
    at: str
    clock: str
    incident: dict[str, Any]
    status_page: dict[str, Any]
    pager: dict[str, Any]
    metrics: dict[str, Any]
    # The metrics for people: (label, value as shown), in a fixed order.
    metric_rows: list[tuple[str, str]]
    timeline: list[dict[str, str]]
    actions: list[tuple[int, str, str]]


def _number(value: float, digits: int, scale: int = 1) -> str:
    """Scale exactly, then round half away from zero once; trailing zeros are dropped."""
    quantum = Decimal(1).scaleb(-digits)
    exact = Decimal(repr(float(value))) * scale
    text = str(exact.quantize(quantum, rounding=ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def metric_rows(scenario: Scenario, metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """Label a metrics sample for people; rates become percentages with their unit.

    Keys the labels do not know are shown as they are, after the known ones.
    """
    primary = scenario.traffic.primary_region
    healthy = scenario.traffic.healthy_region
    known: list[tuple[str, str, str]] = [
        # key, label, how: "count", "ms", "percent" (a 0-1 rate) or "decimal"
        ("requests", "Requests per minute", "count"),
        ("error_rate", f"Error rate in {primary} (%)", "percent"),
        ("healthy_region_error_rate", f"Error rate in {healthy} (%)", "percent"),
        ("p50_ms", "Median latency (ms)", "count"),
        ("p99_ms", "99th percentile latency (ms)", "count"),
        ("failed_checkouts", "Failed checkouts", "count"),
        ("ready_pods", "Ready pods", "decimal"),
        ("traffic_shift", f"Traffic shifted to {healthy} (%)", "percent"),
    ]
    rows = []
    for key, label, how in known:
        if key not in metrics or metrics[key] is None:
            continue
        value = metrics[key]
        if how == "percent":
            shown = _number(value, 2, scale=100)
        elif how == "decimal":
            shown = _number(value, 1)
        else:
            shown = _number(value, 0)
        rows.append((label, shown))
    labelled = {key for key, _, _ in known} | {"t"}
    rows += [(key, str(value)) for key, value in metrics.items() if key not in labelled]
    return rows


def run_steps(
    data: dict[str, Any], seed: int, texts: list[tuple[int, str]], step: int
) -> ReplayedStep:
    """Replay the first `step` actions of a run, given as (simulated time, text)."""
    scenario = load_scenario(data)
    actions = [Action(at=at, text=text) for at, text in texts[:step]]
    state = replay(scenario, seed, actions)
    view = snapshot(scenario, state)
    last = state.steps[-1] if state.steps else None
    points = view["metrics"]
    return ReplayedStep(
        number=step,
        total=len(texts),
        step=last,
        at=scenario.clock.hhmmss(last.at) if last else view["clock"],
        clock=view["clock"],
        incident=view["incident"],
        status_page=view["status_page"],
        pager=view["pager"],
        metrics=points[-1] if points else {},
        metric_rows=metric_rows(scenario, points[-1] if points else {}),
        timeline=view["timeline"],
        actions=[
            (index + 1, scenario.clock.hhmmss(at), text)
            for index, (at, text) in enumerate(texts)
        ],
    )
