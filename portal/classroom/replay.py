"""An instructor's step-by-step replay of a learner's scenario run.

Step k is the state after the run's first k actions, computed by the engine from the
scenario, the seed and those actions alone, exactly as the learner's own page was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.sandbox.engine.actions import Action
from portal.sandbox.engine.replay import Step, replay
from portal.sandbox.engine.scenario import load_scenario
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
    timeline: list[dict[str, str]]
    actions: list[tuple[int, str, str]]


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
        timeline=view["timeline"],
        actions=[
            (index + 1, scenario.clock.hhmmss(at), text)
            for index, (at, text) in enumerate(texts)
        ],
    )
