"""`kubectl top`: what metrics-server reports, which is usage, not requests."""

from __future__ import annotations

from portal.sandbox.engine.cluster import unit
from portal.sandbox.engine.scenario import Node

from .parser import Command, KubectlError
from .resources import Context, PodInfo, matches_labels, pods, table


def pod_usage(ctx: Context, info: PodInfo) -> tuple[int, int] | None:
    """Return (millicores, MiB) of a running container, or None when it is not running."""
    status = info.status
    if status.state != "running" or status.started is None:
        return None
    spec = info.spec
    jitter = 0.9 + 0.2 * unit(info.pod.uid, ctx.t // 60)
    if info.rs.behaviour != "oom":
        return round(spec.cpu_m * jitter), round(spec.memory_mi * jitter)
    run = status.runs[-1]
    length = (run.end or ctx.t) - run.start
    elapsed = ctx.t - run.start
    start_mi = ctx.scenario.fault.memory_start_mi
    limit = spec.container.memory_limit_mi
    memory = start_mi + (limit - start_mi) * elapsed / max(1, length)
    return round(spec.cpu_m * 2.4 * jitter), min(limit - 1, round(memory))


def node_usage(ctx: Context, node: Node) -> tuple[int, int]:
    cpu, memory = node.system_cpu_m, node.system_memory_mi
    for info in pods(ctx, None):
        if info.pod.node == node.name:
            usage = pod_usage(ctx, info)
            if usage:
                cpu, memory = cpu + usage[0], memory + usage[1]
    return cpu, memory


def top(ctx: Context, cmd: Command) -> tuple[str, set[str]]:
    if not cmd.args:
        raise KubectlError("error: a resource is required: kubectl top pod|node")
    kind = cmd.args[0].lower()
    if kind in ("pod", "pods", "po"):
        return _pods(ctx, cmd)
    if kind in ("node", "nodes", "no"):
        return _nodes(ctx, cmd)
    raise KubectlError(
        f'error: unknown command "{cmd.args[0]}" for "kubectl top"\n'
        "Run 'kubectl top --help' for usage."
    )


def _pods(ctx: Context, cmd: Command) -> tuple[str, set[str]]:
    scope = None if cmd.all_namespaces else cmd.namespace
    names = cmd.args[1:]
    rows, seen = [], set()
    for info in pods(ctx, scope):
        if names and info.pod.name not in names:
            continue
        if not matches_labels(cmd.flag("selector"), info.labels):
            continue
        usage = pod_usage(ctx, info)
        if usage is None:
            continue
        row = [info.pod.name, f"{usage[0]}m", f"{usage[1]}Mi"]
        rows.append([info.pod.namespace, *row] if scope is None else row)
        seen.add(f"top:{info.pod.deployment}:{info.rs.behaviour}")
    for name in names:
        if not any(r[-3] == name for r in rows):
            raise KubectlError(
                f'error: podmetrics.metrics.k8s.io "{scope}/{name}" not found'
            )
    if not rows:
        where = "" if scope is None else f" in namespace: {scope}"
        raise KubectlError(f"error: metrics not available yet{where}")
    headers = ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    return table(["NAMESPACE", *headers] if scope is None else headers, rows), seen


def _nodes(ctx: Context, cmd: Command) -> tuple[str, set[str]]:
    rows = []
    for node in ctx.scenario.cluster.nodes:
        if cmd.args[1:] and node.name not in cmd.args[1:]:
            continue
        cpu, memory = node_usage(ctx, node)
        rows.append([node.name, f"{cpu}m", f"{round(100 * cpu / node.cpu_m)}%",
                     f"{memory}Mi", f"{round(100 * memory / node.memory_mi)}%"])  # fmt: skip
    if not rows:
        raise KubectlError(
            f'Error from server (NotFound): nodes "{cmd.args[1]}" not found'
        )
    headers = ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"]
    return table(headers, rows), {"top:nodes"}
