"""Events as the API server would hold them: derived from pod lives, aggregated, one hour."""

from __future__ import annotations

from dataclasses import dataclass

from portal.sandbox.engine.cluster import EVENT_TTL, SHOW_TERMINATED, container_runs

from .resources import Context, pod_info


@dataclass(frozen=True)
class EventRow:
    first: int
    last: int
    count: int
    namespace: str
    object: str
    type: str
    reason: str
    message: str
    source: str


def _repeat(first: int, every: int, t: int) -> tuple[int, int]:
    count = 1 + max(0, t - first) // every
    return count, first + (count - 1) * every


def _pod_events(ctx: Context, pod_name: str) -> list[EventRow]:
    pod = next(p for p in ctx.cluster.pods if p.name == pod_name)
    info = pod_info(ctx, pod)
    spec, t = info.spec, ctx.t
    container = spec.container.name
    ns, obj = pod.namespace, f"pod/{pod.name}"
    end = t if pod.deleted is None else min(t, pod.deleted)
    rows: list[EventRow] = []

    def add(
        first: int, last: int, count: int, kind: str, reason: str, msg: str, src: str
    ):
        rows.append(EventRow(first, last, count, ns, obj, kind, reason, msg, src))

    if pod.node is None:
        n = len(ctx.scenario.cluster.nodes)
        count, last = _repeat(pod.created, 300, end)
        add(pod.created, last, count, "Warning", "FailedScheduling",
            f"0/{n} nodes are available: {n} Insufficient memory. preemption: 0/{n} "
            f"nodes are available: {n} No preemption victims found for incoming pod.",
            "default-scheduler")  # fmt: skip
        return rows
    add(pod.created, pod.created, 1, "Normal", "Scheduled",
        f"Successfully assigned {ns}/{pod.name} to {pod.node}", "default-scheduler")  # fmt: skip
    image = info.rs.image
    if info.rs.behaviour == "pull_error":
        start = pod.created + 1
        count, last = _repeat(start, 60, end)
        add(
            start,
            last,
            count,
            "Normal",
            "Pulling",
            f'Pulling image "{image}"',
            "kubelet",
        )
        add(start + 1, last + 1, count, "Warning", "Failed",
            f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed '
            f'to pull and unpack image "{image}": failed to resolve reference "{image}": '
            f"{image}: not found", "kubelet")  # fmt: skip
        add(
            start + 1,
            last + 1,
            count,
            "Warning",
            "Failed",
            "Error: ErrImagePull",
            "kubelet",
        )
        if end >= start + 15:
            count, last = _repeat(start + 15, 30, end)
            add(start + 15, last, count, "Normal", "BackOff",
                f'Back-off pulling image "{image}"', "kubelet")  # fmt: skip
            add(start + 15, last, count, "Warning", "Failed", "Error: ImagePullBackOff",
                "kubelet")  # fmt: skip
        return rows
    runs = container_runs(pod, info.rs.behaviour, end)
    if runs:
        first, last, count = runs[0].start, runs[-1].start, len(runs)
        add(first, last, count, "Normal", "Pulled",
            f'Container image "{image}" already present on machine', "kubelet")  # fmt: skip
        add(first, last, count, "Normal", "Created", f"Created container {container}",
            "kubelet")  # fmt: skip
        add(first, last, count, "Normal", "Started", f"Started container {container}",
            "kubelet")  # fmt: skip
    crashes = [
        r.end + SHOW_TERMINATED
        for r in runs
        if r.end and r.end + SHOW_TERMINATED <= end
    ]
    if crashes:
        add(crashes[0], crashes[-1], len(crashes), "Warning", "BackOff",
            f"Back-off restarting failed container {container} in pod "
            f"{pod.name}_{ns}({pod.uid})", "kubelet")  # fmt: skip
    if pod.deleted is not None and pod.deleted <= t:
        add(pod.deleted, pod.deleted, 1, "Normal", "Killing",
            f"Stopping container {container}", "kubelet")  # fmt: skip
    return rows


def _replica_set_events(ctx: Context, namespace: str | None) -> list[EventRow]:
    rows = []
    for pod in ctx.cluster.pods:
        if namespace not in (None, pod.namespace) or pod.created > ctx.t:
            continue
        name = pod.deployment.split("/")[1]
        obj = f"replicaset/{name}-{pod.rs_hash}"
        rows.append(
            EventRow(
                pod.created,
                pod.created,
                1,
                pod.namespace,
                obj,
                "Normal",
                "SuccessfulCreate",
                f"Created pod: {pod.name}",
                "replicaset-controller",
            )  # fmt: skip
        )
        if pod.deleted is not None and pod.deleted <= ctx.t:
            rows.append(
                EventRow(
                    pod.deleted,
                    pod.deleted,
                    1,
                    pod.namespace,
                    obj,
                    "Normal",
                    "SuccessfulDelete",
                    f"Deleted pod: {pod.name}",
                    "replicaset-controller",
                )  # fmt: skip
            )
    return rows


def events(ctx: Context, namespace: str | None) -> list[EventRow]:
    """Every event in the namespace (or all) still kept at `ctx.t`, oldest last-seen first."""
    rows: list[EventRow] = []
    for pod in ctx.cluster.pods:
        if namespace in (None, pod.namespace) and pod.created <= ctx.t:
            rows.extend(_pod_events(ctx, pod.name))
    rows.extend(_replica_set_events(ctx, namespace))
    for event in ctx.cluster.events:
        if namespace in (None, event.namespace) and event.at <= ctx.t:
            rows.append(
                EventRow(
                    event.at,
                    event.at,
                    1,
                    event.namespace,
                    event.object,
                    event.type,
                    event.reason,
                    event.message,
                    event.source,
                )  # fmt: skip
            )
    kept = [r for r in rows if r.last > ctx.t - EVENT_TTL]
    return sorted(kept, key=lambda r: (r.last, r.object, r.reason))


def object_events(ctx: Context, namespace: str, obj: str) -> list[EventRow]:
    if obj.startswith("pod/"):
        rows = [r for r in _pod_events(ctx, obj[4:]) if r.last > ctx.t - EVENT_TTL]
    else:
        rows = [r for r in events(ctx, namespace) if r.object == obj]
    return sorted(rows, key=lambda r: (r.last, r.first))


def describe_events(ctx: Context, rows: list[EventRow]) -> str:
    """The Events block at the end of `kubectl describe`, two spaces between columns."""
    if not rows:
        return "Events:  <none>"
    lines = [
        ["Type", "Reason", "Age", "From", "Message"],
        ["----", "------", "----", "----", "-------"],
    ]
    for r in rows:
        age = ctx.age(r.last)
        if r.count > 1:
            age = f"{age} (x{r.count} over {ctx.age(r.first)})"
        lines.append([r.type, r.reason, age, r.source, r.message])
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = ["Events:"]
    for line in lines:
        cells = "".join(cell.ljust(widths[i] + 2) for i, cell in enumerate(line[:4]))
        out.append(f"  {cells}{line[4]}")
    return "\n".join(out)
