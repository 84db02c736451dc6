"""Service metrics as a function of the simulated cluster and where traffic goes.

Checkout in the primary region serves its share of demand with whatever pods are ready; the
healthy region takes the shifted share on top of its own traffic. Utilisation above 1 sheds
requests as errors and drives latency up, in either region, so shifting too much moves the
outage instead of ending it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cluster import ClusterState, behaviour_of, container_status
from .scenario import Scenario

SATURATED = 0.97
WINDOW_SECONDS = 180


@dataclass(frozen=True)
class Sample:
    t: int
    requests: int
    error_rate: float
    p50_ms: int
    p99_ms: int
    failed_checkouts: int
    healthy_region_error_rate: float
    ready_pods: float
    traffic_shift: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "t": self.t,
            "requests": self.requests,
            "error_rate": round(self.error_rate, 4),
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "failed_checkouts": self.failed_checkouts,
            "healthy_region_error_rate": round(self.healthy_region_error_rate, 4),
            "ready_pods": round(self.ready_pods, 2),
            "traffic_shift": round(self.traffic_shift, 2),
        }


def ready_pods(scenario: Scenario, cluster: ClusterState, t: int) -> int:
    key = scenario.metrics.deployment
    count = 0
    for pod in cluster.pods_of(key):
        if pod.alive(t) and container_status(pod, behaviour_of(cluster, pod), t).ready:
            count += 1
    return count


def traffic_share(
    scenario: Scenario, shifts: tuple[tuple[int, int], ...], t: int
) -> float:
    """The share of primary-region traffic served by the healthy region at `t` (0 to 1)."""
    share = 0.0
    ramp = max(1, scenario.traffic.shift_takes_seconds)
    for at, percent in shifts:
        if at > t:
            break
        target = percent / 100
        progress = min(1.0, (t - at) / ramp)
        share = share + (target - share) * progress
    return share


def _region(demand: float, capacity: float, normal: float, base_error: float):
    """Return (error rate, latency factor) for one region at this demand."""
    if demand <= 0:
        return 0.0, 1.0
    if capacity <= 0:
        return 1.0, 1 / (1 - SATURATED) * (1 - normal)
    load = demand / capacity
    error = base_error + (1 - base_error) * max(0.0, 1 - 1 / load)
    factor = (1 - normal) / (1 - min(load, SATURATED))
    return error, max(1.0, factor)


def sample(
    scenario: Scenario,
    cluster: ClusterState,
    shifts: tuple[tuple[int, int], ...],
    t: int,
) -> Sample:
    m = scenario.metrics
    spec_replicas = _baseline_replicas(scenario)
    share = traffic_share(scenario, shifts, t)
    ready = ready_pods(scenario, cluster, t)

    demand = m.requests_per_minute
    normal = demand / (spec_replicas * m.pod_capacity_rpm)
    error_a, factor_a = _region(
        demand * (1 - share), ready * m.pod_capacity_rpm, normal, m.error_rate
    )
    normal_b = m.healthy_region_rpm / m.healthy_region_capacity_rpm
    error_b, factor_b = _region(
        m.healthy_region_rpm + demand * share,
        m.healthy_region_capacity_rpm,
        normal_b,
        m.error_rate,
    )

    error = (1 - share) * error_a + share * error_b
    p50 = (1 - share) * m.p50_ms * factor_a + share * m.p50_ms * factor_b
    tails = (
        [m.p99_ms * factor_a * (1.5 if error_a > 0.05 else 1)] if share < 0.99 else []
    )
    if share > 0.01:
        tails.append(m.p99_ms * factor_b * (1.5 if error_b > 0.05 else 1))
    return Sample(
        t=t,
        requests=demand,
        error_rate=error,
        p50_ms=round(p50),
        p99_ms=round(max(tails)),
        failed_checkouts=round(demand * error),
        healthy_region_error_rate=error_b,
        ready_pods=ready,
        traffic_shift=share,
    )


def _baseline_replicas(scenario: Scenario) -> int:
    namespace, name = scenario.metrics.deployment.split("/")
    dep = scenario.cluster.deployment(namespace, name)
    return dep.replicas if dep else 1


def _average(t: int, samples: list[Sample]) -> Sample:
    n = len(samples)
    error = sum(s.error_rate for s in samples) / n
    requests = samples[-1].requests
    return Sample(
        t=t,
        requests=requests,
        error_rate=error,
        p50_ms=round(sum(s.p50_ms for s in samples) / n),
        p99_ms=round(sum(s.p99_ms for s in samples) / n),
        failed_checkouts=round(requests * error),
        healthy_region_error_rate=sum(s.healthy_region_error_rate for s in samples) / n,
        ready_pods=sum(s.ready_pods for s in samples) / n,
        traffic_shift=samples[-1].traffic_shift,
    )


def series(
    scenario: Scenario,
    cluster: ClusterState,
    shifts: tuple[tuple[int, int], ...],
    start: int,
    end: int,
) -> list[Sample]:
    """One point per whole minute from `start` up to `end`, each a rate over a window.

    Like a dashboard's `rate(...[3m])`, each point averages the instantaneous samples of the
    window that ends at the close of its minute, which smooths single crash cycles.
    """
    step = scenario.metrics.sample_seconds
    first = start - start % 60
    window = WINDOW_SECONDS
    raw = {
        t: sample(scenario, cluster, shifts, t)
        for t in range(first + 60 - window, end + 1, step)
    }
    points = []
    for minute_start in range(first, end - 59, 60):
        close = minute_start + 60
        window_samples = [
            raw[t] for t in range(close - window, close, step) if t in raw
        ]
        points.append(_average(minute_start, window_samples))
    return points


def impacted(scenario: Scenario, s: Sample) -> bool:
    """Customers are hurt when errors or tail latency cross the scenario's impact line."""
    m = scenario.metrics
    return s.error_rate > m.impact_error_rate or s.p99_ms > m.impact_p99_ms
