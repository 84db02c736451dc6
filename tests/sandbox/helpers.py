"""Shared helpers for the sandbox tests: the scenario, and playing a script."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from portal.sandbox.engine.replay import RunState, apply, new_run, next_action
from portal.sandbox.engine.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_FILE = (
    ROOT
    / "lessons/04-incident-management-on-call-and-escalation/scenarios"
    / "checkout-incident.yaml"
)
SCRIPTS = Path(__file__).parent / "scripts"
GOLDEN = Path(__file__).parent / "golden"


def scenario_data() -> dict:
    return yaml.safe_load(SCENARIO_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def checkout() -> Scenario:
    return load_scenario(scenario_data())


def play(lines: list[str], seed: int = 0) -> RunState:
    scenario = checkout()
    state = new_run(scenario, seed)
    for line in lines:
        state = apply(scenario, state, next_action(state, line))
    return state


def script(name: str) -> list[str]:
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def transcript(state: RunState) -> str:
    clock = checkout().clock
    return "".join(
        f"[{clock.hhmmss(step.at)}] $ {step.text}\n{step.output}\n\n"
        for step in state.steps
    )
