"""The simulated cluster: what exists, and how every container lives over time.

`ClusterState` holds only facts that actions change: replica sets with their revision numbers,
pods with their creation and deletion times (a rollout in progress schedules both into the
future) and the controllers' events. Everything else, such as whether a container is running,
crash-looping or waiting on back-off and how many times it restarted, is a pure function of
those facts and the time asked about, so looking never changes anything.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from .scenario import Deployment, Revision, Scenario

ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
START_DELAY = 2  # seconds from pod creation to its first container start
READY_AFTER = 10  # seconds a container must run before its readiness probe passes
SHOW_TERMINATED = 3  # seconds a killed container shows its terminated reason
MAX_BACKOFF = 300
EVENT_TTL = 3600  # the API server forgets events after an hour


def unit(*parts: object) -> float:
    """A deterministic number in [0, 1) for the given parts."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def token(length: int, *parts: object) -> str:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:length])


@dataclass(frozen=True)
class ReplicaSet:
    deployment: str
    hash: str
    revision: int
    image: str
    behaviour: str  # healthy | oom | pull_error
    change_cause: str
    created: int
    restarted_at: int | None = None

    def name(self, deployment_name: str) -> str:
        return f"{deployment_name}-{self.hash}"


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    deployment: str
    rs_hash: str
    slot: int
    node: str | None
    ip: str
    created: int
    deleted: int | None
    uid: str
    first_run: int = 0
    rerun: int = 0

    def alive(self, t: int) -> bool:
        return self.created <= t and (self.deleted is None or self.deleted > t)


@dataclass(frozen=True)
class Event:
    at: int
    namespace: str
    object: str
    type: str
    reason: str
    message: str
    source: str


@dataclass(frozen=True)
class DeploymentState:
    key: str
    replicas: int
    current: str  # hash of the replica set the deployment is rolling towards
    step: int


@dataclass(frozen=True)
class ClusterState:
    deployments: tuple[DeploymentState, ...]
    replica_sets: tuple[ReplicaSet, ...]
    pods: tuple[Pod, ...]
    events: tuple[Event, ...]
    counter: int = 0

    def deployment(self, key: str) -> DeploymentState:
        return next(d for d in self.deployments if d.key == key)

    def replica_set(self, key: str, rs_hash: str) -> ReplicaSet:
        return next(
            rs
            for rs in self.replica_sets
            if rs.deployment == key and rs.hash == rs_hash
        )

    def replica_sets_of(self, key: str) -> list[ReplicaSet]:
        return [rs for rs in self.replica_sets if rs.deployment == key]

    def pods_of(self, key: str) -> list[Pod]:
        return [pod for pod in self.pods if pod.deployment == key]


@dataclass(frozen=True)
class Run:
    start: int
    end: int | None  # None while it keeps running


@dataclass(frozen=True)
class ContainerStatus:
    state: str  # running | waiting | terminated
    reason: str
    ready: bool
    restarts: int
    started: int | None
    last: Run | None
    last_reason: str
    runs: tuple[Run, ...]


def container_runs(pod: Pod, behaviour: str, t: int) -> tuple[Run, ...]:
    """Every container instance of the pod that started at or before `t`."""
    if pod.node is None or behaviour == "pull_error":
        return ()
    start = pod.created + START_DELAY
    if start > t:
        return ()
    if behaviour != "oom":
        return (Run(start, None),)
    # The crash schedule depends only on the pod, so it is computed once per hour of
    # simulated time and sliced; recomputing it for every sample made metrics over a long
    # run quadratic.
    horizon = (t // SCHEDULE_BLOCK + 1) * SCHEDULE_BLOCK
    runs = _oom_schedule(pod.uid, start, pod.first_run, pod.rerun, horizon)
    return runs[: bisect_right(runs, t, key=lambda run: run.start)]


SCHEDULE_BLOCK = 3600


@lru_cache(maxsize=2048)
def _oom_schedule(
    uid: str, start: int, first_run: int, rerun: int, horizon: int
) -> tuple[Run, ...]:
    """The container instances of a crash-looping pod that start up to `horizon`."""
    runs = []
    length = first_run
    crashes = 0
    while start <= horizon:
        end = start + length
        runs.append(Run(start, end))
        crashes += 1
        start = end + min(10 * 2 ** (crashes - 1), MAX_BACKOFF)
        length = rerun + int(unit(uid, crashes) * 91) - 45
    return tuple(runs)


def container_status(pod: Pod, behaviour: str, t: int) -> ContainerStatus:
    if pod.node is None:
        return ContainerStatus("waiting", "Pending", False, 0, None, None, "", ())
    if behaviour == "pull_error":
        reason = "ErrImagePull" if t < pod.created + 15 else "ImagePullBackOff"
        return ContainerStatus("waiting", reason, False, 0, None, None, "", ())
    runs = container_runs(pod, behaviour, t)
    if not runs:
        return ContainerStatus(
            "waiting", "ContainerCreating", False, 0, None, None, "", ()
        )
    current = runs[-1]
    restarts = len(runs) - 1
    previous = runs[-2] if len(runs) > 1 else None
    oom = "OOMKilled" if behaviour == "oom" else ""
    if current.end is None or current.end > t:
        ready = t >= current.start + READY_AFTER
        last_reason = oom if previous else ""
        return ContainerStatus(
            "running", "", ready, restarts, current.start, previous, last_reason, runs
        )
    if t < current.end + SHOW_TERMINATED:
        return ContainerStatus(
            "terminated", oom, False, restarts, current.start, previous, oom, runs
        )
    return ContainerStatus(
        "waiting", "CrashLoopBackOff", False, restarts, None, current, oom, runs
    )


def container_ready(pod: Pod, behaviour: str, t: int) -> bool:
    """`container_status(pod, behaviour, t).ready` without building the status: metrics
    ask it for every pod at every sample."""
    if pod.node is None or behaviour == "pull_error":
        return False
    if behaviour != "oom":
        # One container that starts once and keeps running (see container_runs).
        return t >= pod.created + START_DELAY + READY_AFTER
    runs = container_runs(pod, behaviour, t)
    if not runs:
        return False
    current = runs[-1]
    running = current.end is None or current.end > t
    return running and t >= current.start + READY_AFTER


def ready_spans(pod: Pod, behaviour: str, until: int) -> list[tuple[int, int | None]]:
    """The spans [start, end) up to `until` in which the pod is alive and its container
    ready (end None: still ready), so that readiness at many instants costs one pass."""
    if pod.node is None or behaviour == "pull_error":
        return []
    start = pod.created + START_DELAY
    if behaviour != "oom":
        spans: list[tuple[int, int | None]] = [(start + READY_AFTER, None)]
    else:
        horizon = (until // SCHEDULE_BLOCK + 1) * SCHEDULE_BLOCK
        runs = _oom_schedule(pod.uid, start, pod.first_run, pod.rerun, horizon)
        spans = [
            (run.start + READY_AFTER, run.end)
            for run in runs
            if run.start <= until
            and (run.end is None or run.start + READY_AFTER < run.end)
        ]
    if pod.deleted is None:
        return spans
    return [
        (begin, pod.deleted if end is None else min(end, pod.deleted))
        for begin, end in spans
        if begin < pod.deleted
    ]


def pod_phase(pod: Pod, status: ContainerStatus) -> str:
    if pod.node is None or status.reason in ("ContainerCreating", "ErrImagePull"):
        return "Pending"
    if status.reason == "ImagePullBackOff":
        return "Pending"
    return "Running"


def behaviour_of(state: ClusterState, pod: Pod) -> str:
    return state.replica_set(pod.deployment, pod.rs_hash).behaviour


def _ip(node_index: int, *parts: object) -> str:
    return f"10.244.{node_index + 1}.{2 + int(unit('ip', *parts) * 250)}"


def _new_pod(
    scenario: Scenario,
    state: ClusterState,
    dep: Deployment,
    rs: ReplicaSet,
    slot: int,
    node: str | None,
    created: int,
    salt: str,
) -> tuple[Pod, ClusterState]:
    counter = state.counter + 1
    name = f"{dep.name}-{rs.hash}-{token(5, salt, dep.key, rs.hash, slot, counter)}"
    nodes = [n.name for n in scenario.cluster.nodes]
    ip = _ip(nodes.index(node), salt, name) if node else ""
    fault = scenario.fault
    low, high = fault.first_run_seconds
    first = low + int(unit(salt, name, "first") * (high - low + 1))
    low, high = fault.rerun_seconds
    rerun = low + int(unit(salt, name, "rerun") * (high - low + 1))
    uid = hashlib.sha256(f"{salt}:{name}".encode()).hexdigest()
    uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"
    pod = Pod(name, dep.namespace, dep.key, rs.hash, slot, node, ip, created, None, uid)
    if rs.behaviour == "oom":
        pod = replace(pod, first_run=first, rerun=rerun)
    return pod, replace(state, counter=counter)


def _scaling_event(
    dep: Deployment, at: int, rs: ReplicaSet, old: int, new: int
) -> Event:
    verb = "up" if new > old else "down"
    return Event(
        at,
        dep.namespace,
        f"deployment/{dep.name}",
        "Normal",
        "ScalingReplicaSet",
        f"Scaled {verb} replica set {rs.name(dep.name)} to {new} from {old}",
        "deployment-controller",
    )


def _settle(
    state: ClusterState, key: str, t0: int
) -> tuple[ClusterState, dict[int, Pod]]:
    """Cancel what an unfinished rollout scheduled after `t0`; return each slot's pod."""
    kept: list[Pod] = []
    by_slot: dict[int, list[Pod]] = {}
    for pod in state.pods:
        if pod.deployment != key:
            kept.append(pod)
        elif pod.created <= t0:
            if pod.deleted is None or pod.deleted > t0:
                by_slot.setdefault(pod.slot, []).append(pod)
            else:
                kept.append(pod)
    occupants: dict[int, Pod] = {}
    for slot, pods in by_slot.items():
        pods.sort(key=lambda p: p.created)
        occupants[slot] = replace(pods[-1], deleted=None)
        kept.extend(replace(p, deleted=t0 + 1) for p in pods[:-1])
    events = tuple(
        e for e in state.events if not (e.object == _object(key) and e.at > t0)
    )
    return replace(state, pods=tuple(kept), events=events), occupants


def _object(key: str) -> str:
    return f"deployment/{key.split('/')[1]}"


def roll_to(
    scenario: Scenario,
    state: ClusterState,
    dep: Deployment,
    target: ReplicaSet,
    t0: int,
    salt: str,
) -> ClusterState:
    """Roll the deployment to `target` one pod at a time (max surge 1, max unavailable 0)."""
    state, occupants = _settle(state, dep.key, t0)
    current = state.deployment(dep.key)
    old = state.replica_set(dep.key, current.current)
    step = current.step
    pods = list(state.pods)
    events = list(state.events)
    new_count = 0
    old_count = len(occupants)
    scheduled = 0
    for slot in sorted(occupants):
        occupant = occupants[slot]
        if occupant.node is None:
            created, ready = t0 + 1, t0 + 1
        else:
            if target.behaviour == "pull_error" and scheduled >= 1:
                pods.append(occupant)
                continue
            created = t0 + 1 + scheduled * step
            ready = created + step
            scheduled += 1
        pod, state = _new_pod(
            scenario, state, dep, target, slot, occupant.node, created, salt
        )
        pods.append(pod)
        new_count += 1
        events.append(_scaling_event(dep, created, target, new_count - 1, new_count))
        if target.behaviour == "pull_error" and occupant.node is not None:
            pods.append(occupant)
            continue
        pods.append(replace(occupant, deleted=ready))
        old_count -= 1
        events.append(_scaling_event(dep, ready, old, old_count + 1, old_count))
    deployments = tuple(
        replace(d, current=target.hash) if d.key == dep.key else d
        for d in state.deployments
    )
    return replace(
        state, pods=tuple(pods), events=tuple(events), deployments=deployments
    )


def free_memory(scenario: Scenario, state: ClusterState, node: str, t: int) -> int:
    used = 0
    for pod in state.pods:
        if pod.node == node and pod.alive(t):
            used += _spec(scenario, pod.deployment).container.memory_request_mi
    spec = next(n for n in scenario.cluster.nodes if n.name == node)
    return spec.memory_mi - used


def _spec(scenario: Scenario, key: str) -> Deployment:
    namespace, name = key.split("/")
    dep = scenario.cluster.deployment(namespace, name)
    assert dep is not None
    return dep


def scale(
    scenario: Scenario,
    state: ClusterState,
    dep: Deployment,
    replicas: int,
    t0: int,
    salt: str,
) -> ClusterState:
    """Change the replica count; new pods go to a node with room or stay Pending."""
    current = state.deployment(dep.key)
    rs = state.replica_set(dep.key, current.current)
    pods = list(state.pods)
    events = list(state.events)
    live_slots = {p.slot for p in pods if p.deployment == dep.key and p.alive(t0)}
    for slot in range(current.replicas, replicas):
        if slot in live_slots:
            continue
        node = None
        for spec in scenario.cluster.nodes:
            room = free_memory(
                scenario, replace(state, pods=tuple(pods)), spec.name, t0 + 1
            )
            if room >= dep.container.memory_request_mi:
                node = spec.name
                break
        pod, state = _new_pod(scenario, state, dep, rs, slot, node, t0 + 1, salt)
        pods.append(pod)
    if replicas < current.replicas:
        pods = [
            p
            for p in pods
            if not (p.deployment == dep.key and p.slot >= replicas and p.created > t0)
        ]
        pods = [
            replace(p, deleted=t0 + 1)
            if p.deployment == dep.key and p.slot >= replicas and p.alive(t0)
            else p
            for p in pods
        ]
    if replicas != current.replicas:
        events.append(_scaling_event(dep, t0 + 1, rs, current.replicas, replicas))
    deployments = tuple(
        replace(d, replicas=replicas) if d.key == dep.key else d
        for d in state.deployments
    )
    return replace(
        state, pods=tuple(pods), events=tuple(events), deployments=deployments
    )


def next_revision(state: ClusterState, key: str) -> int:
    return max(rs.revision for rs in state.replica_sets_of(key)) + 1


def with_replica_set(state: ClusterState, rs: ReplicaSet) -> ClusterState:
    others = tuple(
        r
        for r in state.replica_sets
        if not (r.deployment == rs.deployment and r.hash == rs.hash)
    )
    return replace(state, replica_sets=(*others, rs))


def _from_revision(dep: Deployment, rev: Revision) -> ReplicaSet:
    return ReplicaSet(
        dep.key,
        rev.hash,
        rev.number,
        rev.image,
        rev.behaviour,
        rev.change_cause,
        rev.created,
    )


def initial_state(scenario: Scenario) -> ClusterState:
    """Build the cluster as the scenario's history left it, replaying any recent rollout.

    A revision created less than an hour before the start is rolled out by the same code a
    learner's rollback uses, so its events and the replaced pods look like the real thing.
    """
    salt = "scenario"
    state = ClusterState((), (), (), ())
    for dep in scenario.cluster.deployments:
        sets = [_from_revision(dep, rev) for rev in dep.revisions]
        latest = sets[-1]
        recent = len(sets) > 1 and latest.created > -EVENT_TTL
        live = sets[-2] if recent else latest
        state = replace(
            state,
            replica_sets=state.replica_sets + tuple(sets),
            deployments=(
                *state.deployments,
                DeploymentState(
                    dep.key, dep.replicas, live.hash, dep.rollout_step_seconds
                ),
            ),
        )
        pods = list(state.pods)
        for slot in range(dep.replicas):
            created = live.created + slot * dep.rollout_step_seconds
            pod, state = _new_pod(
                scenario, state, dep, live, slot, dep.placement[slot], created, salt
            )
            pods.append(pod)
        state = replace(state, pods=tuple(pods))
        if recent:
            state = roll_to(scenario, state, dep, latest, latest.created, salt)
    return state
