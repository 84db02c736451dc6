"""`kubectl describe pod|deployment`, with the sections and alignment of the real one."""

from __future__ import annotations

from portal.sandbox.engine.cluster import Run
from portal.sandbox.engine.scenario import Deployment

from .events import describe_events, object_events
from .parser import Command, KubectlError
from .resources import (
    Context,
    PodInfo,
    deployment_status,
    deployments,
    matches_labels,
    not_found,
    pods,
    targets,
)


def _field(label: str, value: str, width: int) -> str:
    return f"{label}:".ljust(width) + value


def describe(ctx: Context, cmd: Command) -> tuple[str, set[str]]:
    wanted = targets(cmd, "describe")
    blocks: list[str] = []
    seen: set[str] = set()
    scope = None if cmd.all_namespaces else cmd.namespace
    for kind, name in wanted:
        if kind == "pods":
            found = [
                i
                for i in pods(ctx, scope)
                if matches_labels(cmd.flag("selector"), i.labels)
            ]
            chosen = _pick(found, name, lambda i: i.pod.name, kind)
            for info in chosen:
                blocks.append(describe_pod(ctx, info))
                seen.add(f"status:{info.pod.deployment}:{info.display}")
                if info.status.restarts:
                    seen.add(f"restarts:{info.pod.deployment}")
                if info.status.last_reason:
                    seen.add(
                        f"last-state:{info.pod.deployment}:{info.status.last_reason}"
                    )
        elif kind == "deployments":
            deps = [
                d
                for d in deployments(ctx, scope)
                if matches_labels(cmd.flag("selector"), list(d.labels))
            ]
            for dep in _pick(deps, name, lambda d: d.name, kind):
                blocks.append(describe_deployment(ctx, dep))
                seen.add(f"describe-deploy:{dep.key}")
        else:
            raise KubectlError(
                f'error: "kubectl describe {kind}" is not emulated in this sandbox; '
                "try kubectl get " + kind
            )
    if not blocks:
        where = "" if scope is None else f" in {scope} namespace"
        return f"No resources found{where}.", seen
    return "\n\n\n".join(blocks), seen


def _pick(items, name, key, kind):
    """Match exactly, or by prefix as `kubectl describe` does when nothing matches exactly."""
    if name is None:
        return items
    exact = [i for i in items if key(i) == name]
    if exact:
        return exact
    prefixed = [i for i in items if key(i).startswith(name)]
    if prefixed:
        return prefixed
    raise not_found(kind, name)


def _terminated(ctx: Context, run: Run, indent: str) -> list[str]:
    clock = ctx.scenario.clock
    end = run.end if run.end is not None else ctx.t
    return [
        _field(indent + "  Reason", "OOMKilled", 20),
        _field(indent + "  Exit Code", "137", 20),
        _field(indent + "  Started", clock.rfc1123(run.start), 20),
        _field(indent + "  Finished", clock.rfc1123(end), 20),
    ]


def describe_pod(ctx: Context, info: PodInfo) -> str:
    pod, spec, status = info.pod, info.spec, info.status
    clock = ctx.scenario.clock
    node_ip = next(
        (n.internal_ip for n in ctx.scenario.cluster.nodes if n.name == pod.node), ""
    )
    labels = [f"{k}={v}" for k, v in info.labels]
    lines = [
        _field("Name", pod.name, 18),
        _field("Namespace", pod.namespace, 18),
        _field("Priority", "0", 18),
        _field("Service Account", "default", 18),
        _field("Node", f"{pod.node}/{node_ip}" if pod.node else "<none>", 18),
    ]
    if pod.node:
        lines.append(_field("Start Time", clock.rfc1123(pod.created), 18))
    lines.append(_field("Labels", labels[0], 18))
    lines += [" " * 18 + label for label in labels[1:]]
    lines += [
        _field("Annotations", "<none>", 18),
        _field("Status", info.phase, 18),
        _field("IP", pod.ip, 18).rstrip(),
        "IPs:" if pod.ip else "IPs:              <none>",
    ]
    if pod.ip:
        lines.append(_field("  IP", pod.ip, 16))
    lines.append(_field("Controlled By", f"ReplicaSet/{info.rs.name(spec.name)}", 16))
    lines += ["Containers:", f"  {spec.container.name}:"]
    c = spec.container
    if pod.node:
        digest = pod.uid.replace("-", "")
        lines += [
            _field("    Container ID", f"containerd://{digest}{digest[:32]}", 20)
            if status.runs
            else "",
            _field("    Image", info.rs.image, 20),
            _field("    Image ID", f"{info.rs.image.split(':')[0]}@sha256:{info.rs.hash}"
                   "0f3a9c1e7d2b4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b", 20)
            if status.runs
            else "",
        ]  # fmt: skip
    else:
        lines.append(_field("    Image", info.rs.image, 20))
    lines = [line for line in lines if line]
    lines += [
        _field("    Port", f"{c.port}/TCP", 20),
        _field("    Host Port", "0/TCP", 20),
    ]
    if pod.node:
        lines += _state_lines(ctx, info)
    lines += [
        _field("    Ready", "True" if status.ready else "False", 20),
        _field("    Restart Count", str(status.restarts), 20),
        "    Limits:",
        _field("      memory", f"{c.memory_limit_mi}Mi", 15),
        "    Requests:",
        _field("      cpu", f"{c.cpu_request_m}m", 18),
        _field("      memory", f"{c.memory_request_mi}Mi", 18),
        _field("    Environment", "<none>", 18),
        "    Mounts:",
        f"      /var/run/secrets/kubernetes.io/serviceaccount from {_volume(info)} (ro)",
        "Conditions:",
    ]
    ready = "True" if status.ready else "False"
    started = "True" if status.runs else "False"
    scheduled = "True" if pod.node else "False"
    conditions = [("PodReadyToStartContainers", started), ("Initialized", scheduled),
                  ("Ready", ready), ("ContainersReady", ready), ("PodScheduled", scheduled)]  # fmt: skip
    if not pod.node:
        conditions = [("PodScheduled", "False")]
    lines.append("  " + "Type".ljust(28) + "Status")
    lines += ["  " + name.ljust(28) + value for name, value in conditions]
    lines += [
        "Volumes:",
        f"  {_volume(info)}:",
        _field("    Type", "Projected (a volume that contains injected data from "
               "multiple sources)", 29),
        _field("    TokenExpirationSeconds", "3607", 29),
        _field("    ConfigMapName", "kube-root-ca.crt", 29),
        _field("    ConfigMapOptional", "<nil>", 29),
        _field("    DownwardAPI", "true", 29),
        _field("QoS Class", "Burstable", 29),
        _field("Node-Selectors", "<none>", 29),
        _field("Tolerations", "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
               29),
        " " * 29 + "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
    ]  # fmt: skip
    events = describe_events(ctx, object_events(ctx, pod.namespace, f"pod/{pod.name}"))
    if events == "Events:  <none>":
        events = _field("Events", "<none>", 29)
    return "\n".join(lines + [events])


def _volume(info: PodInfo) -> str:
    return f"kube-api-access-{info.pod.uid[-5:]}"


def _state_lines(ctx: Context, info: PodInfo) -> list[str]:
    status = info.status
    clock = ctx.scenario.clock
    lines = []
    if status.state == "running" and status.started is not None:
        lines += [
            _field("    State", "Running", 20),
            _field("      Started", clock.rfc1123(status.started), 20),
        ]
    elif status.state == "terminated" and status.runs:
        lines.append(_field("    State", "Terminated", 20))
        lines += _terminated(ctx, status.runs[-1], "    ")
    else:
        lines += [
            _field("    State", "Waiting", 20),
            _field("      Reason", status.reason, 20),
        ]
    if status.last is not None and status.last.end is not None:
        lines.append(_field("    Last State", "Terminated", 20))
        lines += _terminated(ctx, status.last, "    ")
    return lines


def describe_deployment(ctx: Context, dep: Deployment) -> str:
    clock = ctx.scenario.clock
    state = ctx.cluster.deployment(dep.key)
    rs = ctx.cluster.replica_set(dep.key, state.current)
    status = deployment_status(ctx, dep)
    labels = ",".join(f"{k}={v}" for k, v in dep.labels)
    c = dep.container
    complete = status.updated == status.desired == status.total
    lines = [
        _field("Name", dep.name, 24),
        _field("Namespace", dep.namespace, 24),
        _field("CreationTimestamp", clock.rfc1123(dep.created), 24),
        _field("Labels", labels, 24),
        _field("Annotations", f"deployment.kubernetes.io/revision: {rs.revision}", 24),
        " " * 24 + f"kubernetes.io/change-cause: {rs.change_cause}",
        _field("Selector", labels, 24),
        _field(
            "Replicas",
            f"{status.desired} desired | {status.updated} updated | {status.total} total"
            f" | {status.available} available | {status.unavailable} unavailable",
            24,
        ),
        _field("StrategyType", "RollingUpdate", 24),
        _field("MinReadySeconds", "0", 24),
        _field("RollingUpdateStrategy", "25% max unavailable, 25% max surge", 24),
        "Pod Template:",
        _field("  Labels", labels, 11),
    ]
    if rs.restarted_at is not None:
        lines.append(
            _field("  Annotations", "kubectl.kubernetes.io/restartedAt: "
                   + clock.iso(rs.restarted_at), 15)
        )  # fmt: skip
    lines += [
        "  Containers:",
        f"   {c.name}:",
        _field("    Image", rs.image, 16),
        _field("    Port", f"{c.port}/TCP", 16),
        _field("    Host Port", "0/TCP", 16),
        "    Limits:",
        _field("      memory", f"{c.memory_limit_mi}Mi", 15),
        "    Requests:",
        _field("      cpu", f"{c.cpu_request_m}m", 18),
        _field("      memory", f"{c.memory_request_mi}Mi", 18),
        _field("    Environment", "<none>", 18),
        _field("    Mounts", "<none>", 18),
        _field("  Volumes", "<none>", 19),
        _field("  Node-Selectors", "<none>", 19),
        _field("  Tolerations", "<none>", 19),
        "Conditions:",
        "  Type           Status  Reason",
        "  ----           ------  ------",
    ]
    minimum = status.available >= status.desired
    lines.append(
        "  Available      True    MinimumReplicasAvailable"
        if minimum
        else "  Available      False   MinimumReplicasUnavailable"
    )
    lines.append(
        "  Progressing    True    NewReplicaSetAvailable"
        if complete
        else "  Progressing    True    ReplicaSetUpdated"
    )
    old = []
    for other in sorted(ctx.cluster.replica_sets_of(dep.key), key=lambda r: r.revision):
        if other.hash == rs.hash:
            continue
        alive = sum(
            1
            for p in ctx.cluster.pods_of(dep.key)
            if p.rs_hash == other.hash and p.alive(ctx.t)
        )
        if alive:
            old.append(f"{other.name(dep.name)} ({alive}/{alive} replicas created)")
    new_alive = status.updated
    lines.append(_field("OldReplicaSets", ", ".join(old) or "<none>", 17))
    lines.append(
        _field("NewReplicaSet", f"{rs.name(dep.name)} ({new_alive}/{state.replicas} "
               "replicas created)", 17)
    )  # fmt: skip
    events = describe_events(
        ctx, object_events(ctx, dep.namespace, f"deployment/{dep.name}")
    )
    if events == "Events:  <none>":
        events = _field("Events", "<none>", 24)
    return "\n".join(lines + [events])
