"""Service metrics as a function of the simulated cluster and where traffic goes.

Checkout in the primary region serves its share of demand with whatever pods are ready; the
healthy region takes the shifted share on top of its own traffic. Utilisation above 1 sheds
requests as errors and drives latency up, in either region, so shifting too much moves the
outage instead of ending it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .cluster import ClusterState, container_ready, ready_spans
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


class _Instant(NamedTuple):
    """The metrics at one instant: a Sample without its time."""

    requests: int
    error_rate: float
    p50_ms: int
    p99_ms: int
    healthy_region_error_rate: float
    ready_pods: float
    traffic_shift: float


def sample(
    scenario: Scenario,
    cluster: ClusterState,
    shifts: tuple[tuple[int, int], ...],
    t: int,
) -> Sample:
    now = _Sampler(scenario, cluster, shifts).at(t)
    return Sample(
        t=t,
        requests=now.requests,
        error_rate=now.error_rate,
        p50_ms=now.p50_ms,
        p99_ms=now.p99_ms,
        failed_checkouts=round(now.requests * now.error_rate),
        healthy_region_error_rate=now.healthy_region_error_rate,
        ready_pods=now.ready_pods,
        traffic_shift=now.traffic_shift,
    )


class _Sampler:
    """Instants of one cluster state. A series takes hundreds of them on every request of
    the play page, so what they share is worked out once, and since the metrics depend
    only on the ready pods and the traffic share, each pair is computed once."""

    def __init__(
        self,
        scenario: Scenario,
        cluster: ClusterState,
        shifts: tuple[tuple[int, int], ...],
        since: int | None = None,
        until: int | None = None,
    ) -> None:
        self.scenario = scenario
        self.shifts = shifts
        self.spec_replicas = _baseline_replicas(scenario)
        key = scenario.metrics.deployment
        behaviours = {rs.hash: rs.behaviour for rs in cluster.replica_sets_of(key)}
        # Pods that are gone before `since` or created after `until` count for nothing.
        self.pods = [
            (pod, behaviours[pod.rs_hash])
            for pod in cluster.pods_of(key)
            if (until is None or pod.created <= until)
            and (since is None or pod.deleted is None or pod.deleted > since)
        ]
        self.known: dict[tuple[int, float], _Instant] = {}

    def at(self, t: int) -> _Instant:
        ready = 0
        for pod, behaviour in self.pods:
            if pod.alive(t) and container_ready(pod, behaviour, t):
                ready += 1
        return self._known(t, ready)

    def every(self, times: range) -> list[_Instant]:
        """The instants at `times`, counting ready pods in one pass over their spans."""
        if not times:
            return []
        count = len(times)
        changes = [0] * (count + 1)
        for pod, behaviour in self.pods:
            for begin, end in ready_spans(pod, behaviour, times[-1]):
                first = _index_from(times, begin)
                stop = count if end is None else _index_from(times, end)
                if first < stop:
                    changes[first] += 1
                    changes[stop] -= 1
        instants, ready = [], 0
        for t, change in zip(times, changes, strict=False):
            ready += change
            instants.append(self._known(t, ready))
        return instants

    def _known(self, t: int, ready: int) -> _Instant:
        share = traffic_share(self.scenario, self.shifts, t) if self.shifts else 0.0
        found = self.known.get((ready, share))
        if found is None:
            found = self.known[ready, share] = self._instant(ready, share)
        return found

    def _instant(self, ready: int, share: float) -> _Instant:
        m = self.scenario.metrics
        demand = m.requests_per_minute
        normal = demand / (self.spec_replicas * m.pod_capacity_rpm)
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
            [m.p99_ms * factor_a * (1.5 if error_a > 0.05 else 1)]
            if share < 0.99
            else []
        )
        if share > 0.01:
            tails.append(m.p99_ms * factor_b * (1.5 if error_b > 0.05 else 1))
        return _Instant(
            requests=demand,
            error_rate=error,
            p50_ms=round(p50),
            p99_ms=round(max(tails)),
            healthy_region_error_rate=error_b,
            ready_pods=ready,
            traffic_shift=share,
        )


def _index_from(times: range, t: int) -> int:
    """The index of the first of `times` at or after `t`; len(times) when none is."""
    steps_to_t = -((times.start - t) // times.step)  # rounded up
    return min(len(times), max(0, steps_to_t))


def _baseline_replicas(scenario: Scenario) -> int:
    namespace, name = scenario.metrics.deployment.split("/")
    dep = scenario.cluster.deployment(namespace, name)
    return dep.replicas if dep else 1


def _average(t: int, instants: list[_Instant]) -> Sample:
    n = len(instants)
    _, errors, p50s, p99s, healthy_errors, ready, _ = zip(*instants, strict=True)
    error = sum(errors) / n
    last = instants[-1]
    return Sample(
        t=t,
        requests=last.requests,
        error_rate=error,
        p50_ms=round(sum(p50s) / n),
        p99_ms=round(sum(p99s) / n),
        failed_checkouts=round(last.requests * error),
        healthy_region_error_rate=sum(healthy_errors) / n,
        ready_pods=sum(ready) / n,
        traffic_shift=last.traffic_shift,
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
    since = first + 60 - window
    sampler = _Sampler(scenario, cluster, shifts, since, end)
    times = range(since, end + 1, step)
    raw = dict(zip(times, sampler.every(times), strict=True))
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
