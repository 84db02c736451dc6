"""A run is a pure function of (scenario, seed, actions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.sandbox.engine.actions import Action, ActionError
from portal.sandbox.engine.replay import apply, new_run, next_action, replay
from portal.sandbox.engine.scoring import score

from .helpers import checkout

LINES = [
    "ack",
    "escalate",
    "declare",
    "severity SEV2",
    "severity SEV4",
    "page priya",
    "page dana",
    "assign ic priya",
    "assign ic sam",
    "assign comms jordan",
    'status customer "Checkout is degraded. Next update in 15 minutes."',
    'status internal "Rolling back"',
    "shift-traffic 30",
    "shift-traffic 80",
    "shift-traffic 0",
    "investigate dana 10m",
    "mitigated",
    "resolve",
    "wait 1m",
    "wait 7m",
    "kubectl get pods -n shop",
    "kubectl get events -n shop",
    "kubectl describe deploy checkout -n shop",
    "kubectl logs -p checkout-7c9d8f6b5-wtbpb -n shop",
    "kubectl top pods -n shop",
    "kubectl rollout status deployment/checkout -n shop",
    "kubectl rollout undo deployment/checkout -n shop",
    "kubectl rollout restart deployment/checkout -n shop",
    "kubectl scale deployment/checkout -n shop --replicas=5",
    "kubectl scale deployment/checkout -n shop --replicas=2",
    "kubectl set image deployment/checkout checkout=registry.example.com/shop/checkout:v9 -n shop",
    "kubectl rollout undo deployment/cart -n shop",
]


def _stamp(lines: list[str], seed: int) -> list[Action]:
    """Turn lines into actions stamped with the time each one would start at; a run ends
    when the incident is resolved, so the lines after that are dropped."""
    scenario = checkout()
    state = new_run(scenario, seed)
    actions = []
    for line in lines:
        if state.resolved_at is not None:
            break
        action = next_action(state, line)
        actions.append(action)
        state = apply(scenario, state, action)
    return actions


@settings(max_examples=30, deadline=None)
@given(
    lines=st.lists(st.sampled_from(LINES), max_size=14),
    seed=st.integers(min_value=0, max_value=5),
    cut=st.integers(min_value=0, max_value=14),
)
def test_the_same_actions_give_the_same_state_and_score(lines, seed, cut) -> None:
    scenario = checkout()
    actions = _stamp(lines, seed)

    first = replay(scenario, seed, actions)
    second = replay(scenario, seed, actions)
    halfway = replay(scenario, seed, actions[: min(cut, len(actions))])
    for action in actions[min(cut, len(actions)) :]:
        halfway = apply(scenario, halfway, action)

    assert first == second == halfway
    assert score(scenario, first) == score(scenario, second) == score(scenario, halfway)


def test_the_seed_only_changes_pods_the_learner_creates() -> None:
    scenario = checkout()
    lines = ["kubectl rollout restart deployment/checkout -n shop", "wait 2m",
             "kubectl get pods -n shop -l app=checkout"]  # fmt: skip

    one = replay(scenario, 1, _stamp(lines, 1))
    two = replay(scenario, 2, _stamp(lines, 2))

    assert new_run(scenario, 1).cluster == new_run(scenario, 2).cluster
    assert one.steps[-1].output != two.steps[-1].output


def test_an_action_before_the_clock_is_refused() -> None:
    scenario = checkout()
    state = apply(scenario, new_run(scenario), Action(at=0, text="wait 5m"))

    with pytest.raises(ValueError, match="before the run's clock"):
        apply(scenario, state, Action(at=60, text="ack"))


def test_an_action_may_start_later_than_the_clock() -> None:
    scenario = checkout()

    state = apply(scenario, new_run(scenario), Action(at=600, text="ack"))

    assert state.acked_at == 600
    assert state.clock == 615


def test_text_that_is_not_an_action_is_refused() -> None:
    scenario = checkout()

    with pytest.raises(ActionError, match="unknown action"):
        apply(scenario, new_run(scenario), Action(at=0, text="reboot everything"))
