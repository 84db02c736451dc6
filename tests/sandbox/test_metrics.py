"""Metrics computed in one pass agree with the container states they summarise."""

from __future__ import annotations

import pytest

from portal.sandbox.engine import metrics
from portal.sandbox.engine.cluster import (
    container_ready,
    container_status,
    ready_spans,
)
from portal.sandbox.engine.replay import RunState

from .helpers import checkout, play

ROLLBACK = "kubectl rollout undo deployment/checkout -n shop"
# Healthy, crash-looping, pending (no room on any node) and image-pull-failing pods.
RUNS = {
    "crash loop": ["wait 20m"],
    "rollback": [ROLLBACK, "wait 3m", "kubectl get pods -n shop"],
    "restart then scale up": [
        "kubectl rollout restart deployment/checkout -n shop",
        "kubectl scale deployment/checkout -n shop --replicas=8",
        "wait 10m",
    ],
    "bad image": [
        "kubectl set image deployment/checkout "
        "checkout=registry.example.com/shop/checkout:v9 -n shop",
        "wait 5m",
    ],
    "shift and scale down": [
        "shift-traffic 40",
        "kubectl scale deployment/checkout -n shop --replicas=1",
        "wait 8m",
        "shift-traffic 0",
        "wait 2m",
    ],
}


def _states() -> list[RunState]:
    return [play(lines, seed=3) for lines in RUNS.values()]


@pytest.mark.parametrize("state", _states(), ids=list(RUNS))
def test_readiness_agrees_with_the_container_status(state: RunState) -> None:
    cluster = state.cluster
    behaviours = {(rs.deployment, rs.hash): rs.behaviour for rs in cluster.replica_sets}

    for pod in cluster.pods:
        behaviour = behaviours[pod.deployment, pod.rs_hash]
        spans = ready_spans(pod, behaviour, state.clock)
        for t in range(-1800, state.clock + 1, 7):
            status = container_status(pod, behaviour, t)
            in_span = any(
                begin <= t and (end is None or t < end) for begin, end in spans
            )

            assert container_ready(pod, behaviour, t) == status.ready, (pod.name, t)
            assert in_span == (pod.alive(t) and status.ready), (pod.name, t)


@pytest.mark.parametrize("state", _states(), ids=list(RUNS))
def test_a_series_averages_the_samples_of_each_window(state: RunState) -> None:
    scenario = checkout()
    step = scenario.metrics.sample_seconds
    start = -600

    points = metrics.series(scenario, state.cluster, state.traffic, start, state.clock)

    expected = []
    for minute in range(start, state.clock - 59, 60):
        window = [
            metrics.sample(scenario, state.cluster, state.traffic, t)
            for t in range(minute + 60 - metrics.WINDOW_SECONDS, minute + 60, step)
        ]
        n = len(window)
        error = sum(s.error_rate for s in window) / n
        expected.append(
            metrics.Sample(
                t=minute,
                requests=window[-1].requests,
                error_rate=error,
                p50_ms=round(sum(s.p50_ms for s in window) / n),
                p99_ms=round(sum(s.p99_ms for s in window) / n),
                failed_checkouts=round(window[-1].requests * error),
                healthy_region_error_rate=sum(
                    s.healthy_region_error_rate for s in window
                )
                / n,
                ready_pods=sum(s.ready_pods for s in window) / n,
                traffic_shift=window[-1].traffic_shift,
            )
        )
    assert points == expected


def test_the_runs_cover_every_kind_of_pod() -> None:
    kinds = set()
    for state in _states():
        behaviours = {rs.hash: rs.behaviour for rs in state.cluster.replica_sets}
        for pod in state.cluster.pods:
            kinds.add("pending" if pod.node is None else behaviours[pod.rs_hash])

    assert kinds >= {"healthy", "oom", "pull_error", "pending"}
