"""Actions for generated runs and for the sandbox curve, stamped by the real engine."""

from __future__ import annotations

from itertools import cycle, islice
from typing import Any

from portal.sandbox.engine.actions import Action
from portal.sandbox.engine.replay import apply, new_run, next_action
from portal.sandbox.engine.scenario import Scenario as Play
from portal.sandbox.engine.scoring import as_dict, score

# A plausible opening of a run: acknowledge, look around, declare, then keep looking.
OPENING = [
    "ack",
    "kubectl get pods -n shop",
    "declare",
    "severity SEV2",
    "kubectl describe deployment checkout -n shop",
    'status customer "Checkout is failing for some customers."',
    "kubectl get events -n shop",
    "page priya",
]
# Commands that read the cluster and move the clock, so a long run never resolves.
LOOKS = [
    "kubectl get pods -n shop",
    "kubectl get deployments -n shop",
    "wait 30s",
    "kubectl get events -n shop",
    "kubectl rollout history deployment/checkout -n shop",
]


def lines(count: int) -> list[str]:
    """The first `count` action lines of a long, never-ending run."""
    return list(islice([*OPENING, *islice(cycle(LOOKS), count)], count))


def stamped(play: Play, texts: list[str], seed: int = 0) -> tuple[list[Action], Any]:
    """The actions with the simulated times the engine gives them, and their score."""
    state = new_run(play, seed)
    actions = []
    for text in texts:
        action = next_action(state, text)
        state = apply(play, state, action)
        actions.append(action)
    return actions, as_dict(play, score(play, state))
