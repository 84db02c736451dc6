"""A scenario as validated, immutable data.

`load_scenario` takes what `yaml.safe_load` produced and either returns a `Scenario` or raises
one `ScenarioError` listing every problem with the key path where it was found. Text fields
must be written as text: YAML 1.1 reads an unquoted `01:52` as the number 112 and `no` as
false, and neither may ever pass for a time or a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from .clock import Clock, make_clock, parse_duration

KeyPath = tuple[str | int, ...]
T = TypeVar("T")

BEHAVIOURS = ("healthy", "oom")
RUBRIC_IDS = (
    "acknowledge",
    "declare",
    "severity",
    "commander",
    "roles",
    "status_cadence",
    "evidence",
    "mitigation",
    "restore",
    "resolve",
)
MITIGATION_KINDS = ("rollback", "restart", "scale", "set_image", "shift")
ROLES = ("ic", "scribe", "comms", "sme")
COST_KINDS: tuple[str, ...] = (
    "look",
    "change",
    "ack",
    "page",
    "escalate",
    "declare",
    "severity",
)
COST_KINDS += ("assign", "status", "shift", "investigate", "mitigated", "resolve")

_MEMORY = re.compile(r"(\d+)(Mi|Gi|Ki)")
_CPU = re.compile(r"(\d+)(m?)")
_TIME_OF_DAY = re.compile(r"\d{2}:\d{2}(:\d{2})?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def format_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top)"


class ScenarioError(Exception):
    """Every problem found in a scenario, each as (key path, message)."""

    def __init__(self, problems: list[tuple[KeyPath, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{format_path(p)}: {m}" for p, m in problems))


@dataclass(frozen=True)
class Namespace:
    name: str
    created: int


@dataclass(frozen=True)
class Node:
    name: str
    internal_ip: str
    created: int
    cpu_m: int
    memory_mi: int
    system_cpu_m: int
    system_memory_mi: int
    roles: str
    os_image: str
    kernel: str
    runtime: str


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    port: int
    cpu_request_m: int
    memory_request_mi: int
    memory_limit_mi: int


@dataclass(frozen=True)
class LogSpec:
    startup: tuple[str, ...]
    periodic: tuple[str, ...]
    every_seconds: int


@dataclass(frozen=True)
class Revision:
    number: int
    hash: str
    image: str
    change_cause: str
    created: int
    behaviour: str


@dataclass(frozen=True)
class Deployment:
    name: str
    namespace: str
    created: int
    replicas: int
    placement: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    container: ContainerSpec
    rollout_step_seconds: int
    cpu_m: int
    memory_mi: int
    logs: LogSpec
    revisions: tuple[Revision, ...]

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class Service:
    name: str
    namespace: str
    type: str
    cluster_ip: str
    external_ip: str
    ports: tuple[str, ...]
    selector: tuple[tuple[str, str], ...]
    created: int


@dataclass(frozen=True)
class Cluster:
    name: str
    version: str
    namespaces: tuple[Namespace, ...]
    nodes: tuple[Node, ...]
    deployments: tuple[Deployment, ...]
    services: tuple[Service, ...]

    def deployment(self, namespace: str, name: str) -> Deployment | None:
        for deployment in self.deployments:
            if deployment.namespace == namespace and deployment.name == name:
                return deployment
        return None


@dataclass(frozen=True)
class OomFault:
    """How a container of an `oom` revision lives: it grows until the memory limit kills it."""

    deployment: str
    summary: str
    first_run_seconds: tuple[int, int]
    rerun_seconds: tuple[int, int]
    memory_start_mi: int
    logs: LogSpec


@dataclass(frozen=True)
class Traffic:
    primary_region: str
    healthy_region: str
    shift_takes_seconds: int


@dataclass(frozen=True)
class Metrics:
    deployment: str
    requests_per_minute: int
    pod_capacity_rpm: int
    healthy_region_rpm: int
    healthy_region_capacity_rpm: int
    p50_ms: int
    p99_ms: int
    error_rate: float
    impact_error_rate: float
    impact_p99_ms: int
    sample_seconds: int


@dataclass(frozen=True)
class AlertRule:
    name: str
    metric: str
    above: float
    for_minutes: int
    severity: str
    summary: str


@dataclass(frozen=True)
class EscalationLevel:
    targets: tuple[str, ...]
    timeout_minutes: int


@dataclass(frozen=True)
class EscalationPolicy:
    name: str
    levels: tuple[EscalationLevel, ...]
    repeats: int


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    title: str
    join_minutes: int
    expertise: str


@dataclass(frozen=True)
class Investigation:
    person: str
    needs_minutes: int
    finding: str
    partial: str


@dataclass(frozen=True)
class SeverityLevel:
    level: str
    criteria: str


@dataclass(frozen=True)
class Severities:
    levels: tuple[SeverityLevel, ...]
    expected: str
    acceptable: tuple[str, ...]


@dataclass(frozen=True)
class Mitigation:
    id: str
    kind: str
    target: str
    min_share: int
    max_share: int
    risk: str
    points: int
    penalty: int
    effect: str


@dataclass(frozen=True)
class Evidence:
    id: str
    title: str
    seen_by: tuple[str, ...]
    key: bool


@dataclass(frozen=True)
class RubricItem:
    id: str
    title: str
    points: int
    full_within_minutes: int
    zero_after_minutes: int


@dataclass(frozen=True)
class Pitfall:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class DecisionOption:
    id: str
    label: str
    outcome: str


@dataclass(frozen=True)
class Decision:
    id: str
    question: str
    options: tuple[DecisionOption, ...]


@dataclass(frozen=True)
class Debrief:
    overview: str
    root_cause: str
    contributing_factors: tuple[str, ...]
    action_items: tuple[str, ...]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    summary: str
    clock: Clock
    you: str
    cluster: Cluster
    fault: OomFault
    traffic: Traffic
    metrics: Metrics
    alerts: tuple[AlertRule, ...]
    escalation: EscalationPolicy
    people: tuple[Person, ...]
    investigations: tuple[Investigation, ...]
    severities: Severities
    status_cadence_minutes: int
    mitigations: tuple[Mitigation, ...]
    evidence: tuple[Evidence, ...]
    rubric: tuple[RubricItem, ...]
    pitfalls: tuple[Pitfall, ...]
    debrief: Debrief
    costs: tuple[tuple[str, int], ...]

    def person(self, key: str) -> Person | None:
        """Find someone by id, first name or full name, ignoring case."""
        wanted = key.strip().lower()
        for person in self.people:
            names = {person.id, person.name.lower(), person.name.split()[0].lower()}
            if wanted in names:
                return person
        return None

    def cost(self, kind: str) -> int:
        return dict(self.costs)[kind]

    def pitfall(self, pitfall_id: str) -> Pitfall | None:
        return next((p for p in self.pitfalls if p.id == pitfall_id), None)


class _Reader:
    """Reads plain data, noting each problem with its key path instead of stopping."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.problems: list[tuple[KeyPath, str]] = []
        self.clock = clock

    def fail(self, path: KeyPath, message: str) -> None:
        self.problems.append((path, message))

    def _raw(self, data: Any, key: str, path: KeyPath, required: bool) -> Any:
        if not isinstance(data, dict):
            return None
        if key not in data or data[key] is None:
            if required:
                self.fail((*path, key), "required")
            return None
        return data[key]

    def mapping(self, data: Any, key: str, path: KeyPath) -> dict[str, Any]:
        value = self._raw(data, key, path, True)
        if value is not None and not isinstance(value, dict):
            self.fail((*path, key), "expected a mapping")
        return value if isinstance(value, dict) else {}

    def text(
        self, data: Any, key: str, path: KeyPath, default: str | None = None
    ) -> str:
        value = self._raw(data, key, path, default is None)
        if value is None:
            return default or ""
        if not isinstance(value, str):
            kind = "boolean" if isinstance(value, bool) else type(value).__name__
            self.fail((*path, key), f"expected text, got {kind} (quote it)")
            return ""
        if not value.strip():
            self.fail((*path, key), "expected text, got an empty value")
        return value

    def integer(
        self, data: Any, key: str, path: KeyPath, default: int | None = None
    ) -> int:
        value = self._raw(data, key, path, default is None)
        if value is None:
            return default or 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail((*path, key), "expected a whole number, 0 or more")
            return 0
        return value

    def number(self, data: Any, key: str, path: KeyPath) -> float:
        value = self._raw(data, key, path, True)
        if value is None:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail((*path, key), "expected a number")
            return 0.0
        return float(value)

    def choice(
        self, data: Any, key: str, path: KeyPath, options: tuple[str, ...]
    ) -> str:
        value = self.text(data, key, path)
        if value and value not in options:
            self.fail((*path, key), f"expected one of {', '.join(options)}")
        return value

    def items(
        self,
        data: Any,
        key: str,
        path: KeyPath,
        read: Callable[[Any, KeyPath], T],
        required: bool = True,
        mappings: bool = True,
    ) -> tuple[T, ...]:
        value = self._raw(data, key, path, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail((*path, key), "expected a list")
            return ()
        result = []
        for index, item in enumerate(value):
            item_path = (*path, key, index)
            if mappings and not isinstance(item, dict):
                self.fail(item_path, "expected a mapping")
                continue
            result.append(read(item, item_path))
        return tuple(result)

    def texts(
        self, data: Any, key: str, path: KeyPath, required: bool = True
    ) -> tuple[str, ...]:
        return self.items(
            data, key, path, lambda v, p: _read_text(self, v, p), required, False
        )

    def memory(self, data: Any, key: str, path: KeyPath) -> int:
        value = self.text(data, key, path)
        match = _MEMORY.fullmatch(value)
        if value and not match:
            self.fail((*path, key), "expected a memory size such as 512Mi or 2Gi")
        if not match:
            return 0
        scale = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}[match.group(2)]
        return int(int(match.group(1)) * scale)

    def cpu(self, data: Any, key: str, path: KeyPath) -> int:
        value = self.text(data, key, path)
        match = _CPU.fullmatch(value)
        if value and not match:
            self.fail((*path, key), "expected CPU such as 250m or 2")
        if not match:
            return 0
        return int(match.group(1)) * (1 if match.group(2) else 1000)

    def time(self, data: Any, key: str, path: KeyPath) -> int:
        """Read "HH:MM[:SS]" on the scenario's day or "YYYY-MM-DDTHH:MM:SSZ"."""
        value = self.text(data, key, path)
        if not value or self.clock is None:
            return 0
        if _TIME_OF_DAY.fullmatch(value):
            parts = [int(p) for p in value.split(":")] + [0]
            day = self.clock.origin.replace(hour=0, minute=0, second=0)
            seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
            return self.clock.offset(day) + seconds
        if _ISO.fullmatch(value):
            moment = datetime.strptime(
                value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z"
            )
            return self.clock.offset(moment)
        self.fail(
            (*path, key), 'expected a time such as "01:52" or "2024-03-11T16:42:00Z"'
        )
        return 0

    def name(self, data: Any, key: str, path: KeyPath) -> str:
        value = self.text(data, key, path)
        if value and not _NAME.fullmatch(value):
            self.fail((*path, key), "expected a Kubernetes name (a-z, 0-9 and -)")
        return value

    def labels(self, data: Any, key: str, path: KeyPath) -> tuple[tuple[str, str], ...]:
        value = self.mapping(data, key, path)
        pairs = []
        for label, text in value.items():
            if not isinstance(text, str):
                self.fail((*path, key, str(label)), "expected text (quote it)")
            pairs.append((str(label), str(text)))
        return tuple(pairs)

    def range_(self, data: Any, key: str, path: KeyPath) -> tuple[int, int]:
        value = self._raw(data, key, path, True)
        ok = isinstance(value, list) and len(value) == 2
        ok = ok and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        if value is not None and not (ok and value[0] <= value[1]):
            self.fail((*path, key), "expected [low, high] whole numbers")
            return (0, 0)
        return (value[0], value[1]) if ok else (0, 0)


def _read_text(reader: _Reader, value: Any, path: KeyPath) -> str:
    if not isinstance(value, str) or not value.strip():
        reader.fail(path, "expected text")
        return ""
    return value


def _logs(r: _Reader, data: Any, path: KeyPath) -> LogSpec:
    return LogSpec(
        startup=r.texts(data, "startup", path),
        periodic=r.texts(data, "periodic", path),
        every_seconds=max(1, r.integer(data, "every_seconds", path)),
    )


def _node(r: _Reader, d: Any, p: KeyPath) -> Node:
    return Node(
        name=r.name(d, "name", p),
        internal_ip=r.text(d, "internal_ip", p),
        created=r.time(d, "created", p),
        cpu_m=r.cpu(d, "allocatable_cpu", p),
        memory_mi=r.memory(d, "allocatable_memory", p),
        system_cpu_m=r.cpu(d, "system_cpu", p),
        system_memory_mi=r.memory(d, "system_memory", p),
        roles=r.text(d, "roles", p, default="<none>"),
        os_image=r.text(d, "os_image", p),
        kernel=r.text(d, "kernel", p),
        runtime=r.text(d, "runtime", p),
    )


def _revision(r: _Reader, d: Any, p: KeyPath) -> Revision:
    return Revision(
        number=r.integer(d, "revision", p),
        hash=r.name(d, "hash", p),
        image=r.text(d, "image", p),
        change_cause=r.text(d, "change_cause", p),
        created=r.time(d, "created", p),
        behaviour=r.choice(d, "behaviour", p, BEHAVIOURS),
    )


def _deployment(r: _Reader, d: Any, p: KeyPath) -> Deployment:
    container = r.mapping(d, "container", p)
    cp = (*p, "container")
    usage = r.mapping(d, "usage", p)
    revisions = r.items(d, "revisions", p, lambda v, q: _revision(r, v, q))
    numbers = [rev.number for rev in revisions]
    if numbers != sorted(set(numbers)):
        r.fail((*p, "revisions"), "expected revisions in increasing order")
    if not revisions:
        r.fail((*p, "revisions"), "expected at least one revision")
    deployment = Deployment(
        name=r.name(d, "name", p),
        namespace=r.name(d, "namespace", p),
        created=r.time(d, "created", p),
        replicas=r.integer(d, "replicas", p),
        placement=r.texts(d, "placement", p),
        labels=r.labels(d, "labels", p),
        container=ContainerSpec(
            name=r.name(container, "name", cp),
            port=r.integer(container, "port", cp),
            cpu_request_m=r.cpu(container, "cpu_request", cp),
            memory_request_mi=r.memory(container, "memory_request", cp),
            memory_limit_mi=r.memory(container, "memory_limit", cp),
        ),
        rollout_step_seconds=r.integer(d, "rollout_step_seconds", p),
        cpu_m=r.cpu(usage, "cpu", (*p, "usage")),
        memory_mi=r.memory(usage, "memory", (*p, "usage")),
        logs=_logs(r, r.mapping(d, "logs", p), (*p, "logs")),
        revisions=revisions,
    )
    if len(deployment.placement) < deployment.replicas:
        r.fail((*p, "placement"), "expected a node for each replica")
    return deployment


def _service(r: _Reader, d: Any, p: KeyPath) -> Service:
    return Service(
        name=r.name(d, "name", p),
        namespace=r.name(d, "namespace", p),
        type=r.choice(d, "type", p, ("ClusterIP", "LoadBalancer", "NodePort")),
        cluster_ip=r.text(d, "cluster_ip", p),
        external_ip=r.text(d, "external_ip", p, default="<none>"),
        ports=r.texts(d, "ports", p),
        selector=r.labels(d, "selector", p) if "selector" in d else (),
        created=r.time(d, "created", p),
    )


def _cluster(r: _Reader, d: dict[str, Any], p: KeyPath) -> Cluster:
    cluster = Cluster(
        name=r.text(d, "name", p),
        version=r.text(d, "kubernetes_version", p),
        namespaces=r.items(
            d,
            "namespaces",
            p,
            lambda v, q: Namespace(r.name(v, "name", q), r.time(v, "created", q)),
        ),
        nodes=r.items(d, "nodes", p, lambda v, q: _node(r, v, q)),
        deployments=r.items(d, "deployments", p, lambda v, q: _deployment(r, v, q)),
        services=r.items(d, "services", p, lambda v, q: _service(r, v, q)),
    )
    namespaces = {n.name for n in cluster.namespaces}
    nodes = {n.name for n in cluster.nodes}
    for i, dep in enumerate(cluster.deployments):
        if dep.namespace and dep.namespace not in namespaces:
            r.fail((*p, "deployments", i, "namespace"), "unknown namespace")
        for j, node in enumerate(dep.placement):
            if node not in nodes:
                r.fail((*p, "deployments", i, "placement", j), "unknown node")
    return cluster


def _people_refs(r: _Reader, ids: set[str], refs: list[tuple[KeyPath, str]]) -> None:
    for path, ref in refs:
        if ref and ref not in ids:
            r.fail(path, f"unknown person {ref!r}")


def load_scenario(data: Any) -> Scenario:
    """Validate plain scenario data into a `Scenario` or raise `ScenarioError`."""
    if not isinstance(data, dict):
        raise ScenarioError([((), "expected a mapping at the top of the file")])
    r = _Reader()
    date, start = r.text(data, "date", ()), r.text(data, "start", ())
    try:
        r.clock = make_clock(date, start)
    except ValueError:
        r.fail(
            ("date",),
            'expected a date such as "2024-03-14" and a start such as "02:00"',
        )

    cluster = _cluster(r, r.mapping(data, "cluster", ()), ("cluster",))
    f, fp = r.mapping(data, "fault", ()), ("fault",)
    fault = OomFault(
        deployment=r.text(f, "deployment", fp),
        summary=r.text(f, "summary", fp),
        first_run_seconds=r.range_(f, "first_run_seconds", fp),
        rerun_seconds=r.range_(f, "rerun_seconds", fp),
        memory_start_mi=r.memory(f, "memory_start", fp),
        logs=_logs(r, r.mapping(f, "logs", fp), (*fp, "logs")),
    )
    keys = {dep.key for dep in cluster.deployments}
    if fault.deployment and fault.deployment not in keys:
        r.fail((*fp, "deployment"), "expected namespace/name of a deployment")

    t, tp = r.mapping(data, "traffic", ()), ("traffic",)
    traffic = Traffic(
        primary_region=r.text(t, "primary_region", tp),
        healthy_region=r.text(t, "healthy_region", tp),
        shift_takes_seconds=r.integer(t, "shift_takes_seconds", tp),
    )
    m, mp = r.mapping(data, "metrics", ()), ("metrics",)
    impact = r.mapping(m, "impact", mp)
    metrics = Metrics(
        deployment=r.text(m, "deployment", mp),
        requests_per_minute=r.integer(m, "requests_per_minute", mp),
        pod_capacity_rpm=max(1, r.integer(m, "pod_capacity_rpm", mp)),
        healthy_region_rpm=r.integer(m, "healthy_region_rpm", mp),
        healthy_region_capacity_rpm=max(
            1, r.integer(m, "healthy_region_capacity_rpm", mp)
        ),
        p50_ms=r.integer(m, "p50_ms", mp),
        p99_ms=r.integer(m, "p99_ms", mp),
        error_rate=r.number(m, "error_rate", mp),
        impact_error_rate=r.number(impact, "error_rate_above", (*mp, "impact")),
        impact_p99_ms=r.integer(impact, "p99_ms_above", (*mp, "impact")),
        sample_seconds=max(1, r.integer(m, "sample_seconds", mp)),
    )
    if metrics.deployment and metrics.deployment not in keys:
        r.fail((*mp, "deployment"), "expected namespace/name of a deployment")

    alerts = r.items(
        data,
        "alerts",
        (),
        lambda d, p: AlertRule(
            name=r.text(d, "name", p),
            metric=r.choice(d, "metric", p, ("error_rate", "p99_ms", "p50_ms")),
            above=r.number(d, "above", p),
            for_minutes=r.integer(d, "for_minutes", p),
            severity=r.text(d, "severity", p),
            summary=r.text(d, "summary", p),
        ),
    )
    people = r.items(
        data,
        "people",
        (),
        lambda d, p: Person(
            id=r.name(d, "id", p),
            name=r.text(d, "name", p),
            title=r.text(d, "title", p),
            join_minutes=r.integer(d, "join_minutes", p),
            expertise=r.text(d, "expertise", p, default="-"),
        ),
    )
    ids = {person.id for person in people}
    you = r.text(data, "you", ())
    refs: list[tuple[KeyPath, str]] = [(("you",), you)]

    e, ep = r.mapping(data, "escalation_policy", ()), ("escalation_policy",)
    levels = r.items(
        e,
        "levels",
        ep,
        lambda d, p: EscalationLevel(
            targets=r.texts(d, "targets", p),
            timeout_minutes=max(1, r.integer(d, "timeout_minutes", p)),
        ),
    )
    for i, level in enumerate(levels):
        refs += [
            ((*ep, "levels", i, "targets", j), x) for j, x in enumerate(level.targets)
        ]
    escalation = EscalationPolicy(
        r.text(e, "name", ep), levels, r.integer(e, "repeats", ep)
    )

    investigations = r.items(
        data,
        "investigations",
        (),
        lambda d, p: Investigation(
            person=r.text(d, "person", p),
            needs_minutes=r.integer(d, "needs_minutes", p),
            finding=r.text(d, "finding", p),
            partial=r.text(d, "partial", p),
        ),
    )
    refs += [
        (("investigations", i, "person"), x.person)
        for i, x in enumerate(investigations)
    ]
    _people_refs(r, ids, refs)

    s, sp = r.mapping(data, "severities", ()), ("severities",)
    severities = Severities(
        levels=r.items(
            s,
            "levels",
            sp,
            lambda d, p: SeverityLevel(r.text(d, "level", p), r.text(d, "criteria", p)),
        ),
        expected=r.text(s, "expected", sp),
        acceptable=r.texts(s, "acceptable", sp),
    )
    mitigations = r.items(
        data,
        "mitigations",
        (),
        lambda d, p: Mitigation(
            id=r.text(d, "id", p),
            kind=r.choice(d, "kind", p, MITIGATION_KINDS),
            target=r.text(d, "target", p),
            min_share=r.integer(d, "min_share", p, default=0),
            max_share=r.integer(d, "max_share", p, default=100),
            risk=r.choice(d, "risk", p, ("low", "medium", "high")),
            points=r.integer(d, "points", p, default=0),
            penalty=r.integer(d, "penalty", p, default=0),
            effect=r.text(d, "effect", p),
        ),
    )
    evidence = r.items(
        data,
        "evidence",
        (),
        lambda d, p: Evidence(
            id=r.text(d, "id", p),
            title=r.text(d, "title", p),
            seen_by=r.texts(d, "seen_by", p),
            key=d.get("key") is True,
        ),
    )
    sc, scp = r.mapping(data, "scoring", ()), ("scoring",)
    rubric = r.items(
        sc,
        "rubric",
        scp,
        lambda d, p: RubricItem(
            id=r.choice(d, "id", p, RUBRIC_IDS),
            title=r.text(d, "title", p),
            points=r.integer(d, "points", p),
            full_within_minutes=r.integer(d, "full_within_minutes", p, default=0),
            zero_after_minutes=r.integer(d, "zero_after_minutes", p, default=0),
        ),
    )
    if rubric and sum(item.points for item in rubric) != 100:
        r.fail((*scp, "rubric"), "expected points that add up to 100")
    pitfalls = r.items(
        data,
        "pitfalls",
        (),
        lambda d, p: Pitfall(
            r.text(d, "id", p), r.text(d, "title", p), r.text(d, "text", p)
        ),
    )
    db, dbp = r.mapping(data, "debrief", ()), ("debrief",)
    debrief = Debrief(
        overview=r.text(db, "overview", dbp),
        root_cause=r.text(db, "root_cause", dbp),
        contributing_factors=r.texts(db, "contributing_factors", dbp),
        action_items=r.texts(db, "action_items", dbp),
        decisions=r.items(
            db,
            "decisions",
            dbp,
            lambda d, p: Decision(
                id=r.text(d, "id", p),
                question=r.text(d, "question", p),
                options=r.items(
                    d,
                    "options",
                    p,
                    lambda o, q: DecisionOption(
                        r.text(o, "id", q),
                        r.text(o, "label", q),
                        r.text(o, "outcome", q),
                    ),
                ),
            ),
        ),
    )
    c, cp = r.mapping(data, "costs", ()), ("costs",)
    costs = []
    for kind in COST_KINDS:
        value = c.get(kind, "")
        seconds = parse_duration(value) if isinstance(value, str) else None
        if seconds is None:
            r.fail((*cp, kind), 'expected a duration such as "30s" or "2m"')
        costs.append((kind, seconds or 0))

    scenario = Scenario(
        slug=r.name(data, "slug", ()),
        title=r.text(data, "title", ()),
        summary=r.text(data, "summary", ()),
        clock=r.clock or make_clock("2000-01-01", "00:00"),
        you=you,
        cluster=cluster,
        fault=fault,
        traffic=traffic,
        metrics=metrics,
        alerts=alerts,
        escalation=escalation,
        people=people,
        investigations=investigations,
        severities=severities,
        status_cadence_minutes=r.integer(data, "status_cadence_minutes", ()),
        mitigations=mitigations,
        evidence=evidence,
        rubric=rubric,
        pitfalls=pitfalls,
        debrief=debrief,
        costs=tuple(costs),
    )
    if r.problems:
        raise ScenarioError(r.problems)
    return scenario
