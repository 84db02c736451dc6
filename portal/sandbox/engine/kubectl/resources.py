"""What kubectl commands see: resource names, pods as kubectl shows them, and tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.sandbox.engine.clock import human_duration
from portal.sandbox.engine.cluster import (
    ClusterState,
    ContainerStatus,
    Pod,
    ReplicaSet,
    behaviour_of,
    container_status,
    pod_phase,
)
from portal.sandbox.engine.scenario import Deployment, Scenario

from .parser import Command, KubectlError

ALIASES = {
    "pods": ("po", "pod", "pods"),
    "deployments": ("deploy", "deployment", "deployments"),
    "replicasets": ("rs", "replicaset", "replicasets"),
    "events": ("ev", "event", "events"),
    "services": ("svc", "service", "services"),
    "nodes": ("no", "node", "nodes"),
    "namespaces": ("ns", "namespace", "namespaces"),
}
GROUPS = {"deployments": "apps", "replicasets": "apps"}
KINDS = {
    "pods": "pod",
    "deployments": "deployment.apps",
    "replicasets": "replicaset.apps",
    "events": "event",
    "services": "service",
    "nodes": "node",
    "namespaces": "namespace",
}
CLUSTER_SCOPED = ("nodes", "namespaces")


@dataclass(frozen=True)
class Context:
    """Everything a renderer needs: the scenario, the cluster and the time asked about."""

    scenario: Scenario
    cluster: ClusterState
    t: int
    salt: str

    def spec(self, key: str) -> Deployment:
        namespace, name = key.split("/")
        dep = self.scenario.cluster.deployment(namespace, name)
        assert dep is not None
        return dep

    def age(self, since: int) -> str:
        return human_duration(self.t - since)


ALL_CATEGORY = ("pods", "services", "deployments", "replicasets")


def resolve(word: str) -> str:
    """Turn `po`, `deployment.apps` or `Pods` into a canonical resource name."""
    lowered = word.lower()
    for resource, aliases in ALIASES.items():
        group = GROUPS.get(resource)
        if lowered in aliases or (
            group and lowered in {f"{a}.{group}" for a in aliases}
        ):
            return resource
    raise KubectlError(f'error: the server doesn\'t have a resource type "{word}"')


def not_found(resource: str, name: str) -> KubectlError:
    group = GROUPS.get(resource)
    shown = f"{resource}.{group}" if group else resource
    return KubectlError(f'Error from server (NotFound): {shown} "{name}" not found')


def targets(cmd: Command, verb: str) -> list[tuple[str, str | None]]:
    """Read `TYPE`, `TYPE NAME...`, `TYPE/NAME...` or `TYPE1,TYPE2` from the arguments."""
    args = list(cmd.args)
    if not args:
        raise KubectlError(
            f'You must specify the type of resource to {verb}. Use "kubectl '
            'api-resources" for a complete list of supported resources.\n\n'
            "error: Required resource not specified.\n"
            'Use "kubectl explain <resource>" for a detailed description of that '
            "resource (e.g. kubectl explain pods).\n"
            f"See 'kubectl {verb} -h' for help and examples"
        )
    if all("/" in a for a in args):
        result: list[tuple[str, str | None]] = []
        for arg in args:
            kind, _, name = arg.partition("/")
            result.append((resolve(kind), name))
        return result
    if any("/" in a for a in args):
        raise KubectlError(
            "error: there is no need to specify a resource type as a separate argument "
            "when passing arguments in resource/name form (e.g. 'kubectl get "
            "resource/<resource_name>' instead of 'kubectl get resource "
            "resource/<resource_name>'"
        )
    kinds = []
    for word in (k for k in args[0].split(",") if k):
        # `get all` lists kubectl's "all" category: pods, services, deployments, replicasets.
        kinds += list(ALL_CATEGORY) if word.lower() == "all" else [resolve(word)]
    kinds = list(dict.fromkeys(kinds))
    if len(args) == 1:
        return [(kind, None) for kind in kinds]
    if len(kinds) > 1:
        raise KubectlError(
            "error: you must specify only one resource type when naming resources"
        )
    return [(kinds[0], name) for name in args[1:]]


def one_target(cmd: Command, verb: str, allowed: tuple[str, ...]) -> tuple[str, str]:
    """Read exactly one named resource for commands such as rollout and scale."""
    if not cmd.args:
        raise KubectlError("error: required resource not specified")
    found = targets(cmd, verb)
    resource, name = found[0]
    if name is None:
        raise KubectlError(
            "error: resource(s) were provided, but no name was specified"
        )
    if resource not in allowed:
        kind = {"pods": "Pod", "services": "Service", "nodes": "Node"}.get(
            resource, resource.capitalize().rstrip("s")
        )
        noun = {
            "rollout undo": "rollbacker",
            "rollout history": "history viewer",
            "rollout status": "status viewer",
            "rollout restart": "restarter",
            "scale": "scaler",
            "set image": "image updater",
        }[verb]
        raise KubectlError(f'error: no {noun} has been implemented for "{kind}"')
    return resource, name


def table(headers: list[str], rows: list[list[str]], no_headers: bool = False) -> str:
    """Lay out columns the way kubectl's tab writer does: three spaces between columns."""
    lines = rows if no_headers else [headers, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]
    out = []
    for line in lines:
        cells = [cell.ljust(widths[i] + 3) for i, cell in enumerate(line[:-1])]
        out.append(("".join(cells) + line[-1]).rstrip())
    return "\n".join(out)


@dataclass(frozen=True)
class PodInfo:
    pod: Pod
    spec: Deployment
    rs: ReplicaSet
    status: ContainerStatus
    phase: str

    @property
    def display(self) -> str:
        """The STATUS column: the waiting or terminated reason wins over the phase."""
        if self.pod.node is None:
            return "Pending"
        if self.status.state in ("waiting", "terminated") and self.status.reason:
            return self.status.reason
        return self.phase

    @property
    def ready(self) -> str:
        return f"{1 if self.status.ready else 0}/1"

    def restarts(self, t: int) -> str:
        count = self.status.restarts
        last = self.status.last
        if count and last and last.end is not None:
            return f"{count} ({human_duration(t - last.end)} ago)"
        return str(count)

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [*self.spec.labels, ("pod-template-hash", self.rs.hash)]


def pod_info(ctx: Context, pod: Pod) -> PodInfo:
    behaviour = behaviour_of(ctx.cluster, pod)
    status = container_status(pod, behaviour, ctx.t)
    rs = ctx.cluster.replica_set(pod.deployment, pod.rs_hash)
    return PodInfo(pod, ctx.spec(pod.deployment), rs, status, pod_phase(pod, status))


def pods(ctx: Context, namespace: str | None) -> list[PodInfo]:
    alive = [
        p
        for p in ctx.cluster.pods
        if p.alive(ctx.t) and (namespace is None or p.namespace == namespace)
    ]
    alive.sort(key=lambda p: (p.namespace, p.name))
    return [pod_info(ctx, p) for p in alive]


def find_pod(ctx: Context, namespace: str, name: str) -> PodInfo:
    for info in pods(ctx, namespace):
        if info.pod.name == name:
            return info
    raise not_found("pods", name)


def deployments(ctx: Context, namespace: str | None) -> list[Deployment]:
    found = [
        d
        for d in ctx.scenario.cluster.deployments
        if (namespace is None or d.namespace == namespace) and d.created <= ctx.t
    ]
    return sorted(found, key=lambda d: (d.namespace, d.name))


def find_deployment(ctx: Context, namespace: str, name: str) -> Deployment:
    for dep in deployments(ctx, namespace):
        if dep.name == name:
            return dep
    raise not_found("deployments", name)


@dataclass(frozen=True)
class DeploymentStatus:
    desired: int
    updated: int
    total: int
    ready: int

    @property
    def available(self) -> int:
        return self.ready

    @property
    def unavailable(self) -> int:
        return max(0, max(self.desired, self.total) - self.ready)


def deployment_status(ctx: Context, dep: Deployment) -> DeploymentStatus:
    state = ctx.cluster.deployment(dep.key)
    infos = [pod_info(ctx, p) for p in ctx.cluster.pods_of(dep.key) if p.alive(ctx.t)]
    return DeploymentStatus(
        desired=state.replicas,
        updated=sum(1 for i in infos if i.rs.hash == state.current),
        total=len(infos),
        ready=sum(1 for i in infos if i.status.ready),
    )


def rs_counts(ctx: Context, rs: ReplicaSet) -> tuple[int, int]:
    """Return (pods alive, pods ready) of one replica set."""
    alive = [
        pod_info(ctx, p)
        for p in ctx.cluster.pods_of(rs.deployment)
        if p.rs_hash == rs.hash and p.alive(ctx.t)
    ]
    return len(alive), sum(1 for i in alive if i.status.ready)


def selector_text(labels: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    return ",".join(f"{k}={v}" for k, v in labels) or "<none>"


_SET_TERM = re.compile(r"\s*([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^()]*)\)\s*")


def _selector_terms(selector: str) -> list[str]:
    """Split a selector at the commas that are not inside a set: `a in (x,y),b=c`."""
    terms, depth, current = [], 0, ""
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    terms.append(current)
    return terms


def matches_labels(selector: str | None, labels: list[tuple[str, str]]) -> bool:
    """Apply a label selector: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)` and
    `a notin (x,y)`."""
    if not selector:
        return True
    have = dict(labels)
    for term in _selector_terms(selector):
        term = term.strip()
        match = _SET_TERM.fullmatch(term)
        if match:
            key, op = match.group(1), match.group(2)
            values = {v.strip() for v in match.group(3).split(",") if v.strip()}
            if op == "in" and have.get(key) not in values:
                return False
            if op == "notin" and have.get(key) in values:
                return False
        elif "!=" in term:
            key, value = term.split("!=", 1)
            if have.get(key.strip()) == value.strip():
                return False
        elif "=" in term:
            key, value = term.replace("==", "=").split("=", 1)
            if have.get(key.strip()) != value.strip():
                return False
        elif term.startswith("!"):
            if term[1:] in have:
                return False
        elif term not in have:
            return False
    return True


def check_selector(selector: str | None) -> None:
    if selector is None:
        return
    for term in _selector_terms(selector):
        if _SET_TERM.fullmatch(term):
            continue
        if "(" in term or ")" in term:
            raise KubectlError(
                f"error: unable to parse requirement: found '{term.strip()}', "
                "expected: in, notin, =, ==, !=, gt, lt"
            )
        key = term.replace("!=", "=").replace("==", "=").split("=")[0].strip("! ")
        if not key or " " in key:
            raise KubectlError(
                f'error: unable to parse requirement: invalid label key "{key}"'
            )
