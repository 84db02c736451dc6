"""`kubectl logs`: a container instance's output, with -p, --tail and -c.

Which instance is shown follows the kubelet: `--previous` reads the last terminated one; without
it a running container shows its own log, and a container waiting on back-off shows the log of
the instance that just died. An OOMKilled process gets SIGKILL, so its log simply stops.
"""

from __future__ import annotations

from portal.sandbox.engine.cluster import Run, unit

from .parser import Command, KubectlError
from .resources import Context, PodInfo, find_deployment, find_pod, pods

KEEP_SECONDS = 600  # older lines are treated as rotated away

USAGE = (
    "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
    "POD or TYPE/NAME is a required argument for the logs command\n"
    "See 'kubectl logs -h' for help and examples"
)


def instance_lines(ctx: Context, info: PodInfo, run: Run) -> list[str]:
    """Render the log of one container instance up to its end or the current time."""
    oom = info.rs.behaviour == "oom"
    spec = ctx.scenario.fault.logs if oom else info.spec.logs
    clock = ctx.scenario.clock
    end = min(run.end if run.end is not None else ctx.t, ctx.t)
    length = (run.end if run.end is not None else ctx.t) - run.start
    version = info.rs.image.rsplit(":", 1)[-1]
    limit = info.spec.container.memory_limit_mi
    start_mi = ctx.scenario.fault.memory_start_mi
    earliest = end - KEEP_SECONDS

    def values(at: float, n: int) -> dict[str, object]:
        elapsed = at - run.start
        rss = start_mi + (limit - start_mi) * elapsed / max(1, length) if oom else None
        p50 = ctx.scenario.metrics.p50_ms
        slow = 1 + 4 * elapsed / max(1, length) if oom else 1
        return {
            "ts": clock.iso_millis(at),
            "version": version,
            "pod": info.pod.name,
            "rss_mi": round(rss) if rss is not None else info.spec.memory_mi,
            "limit_mi": limit,
            "cache_entries": int(elapsed * 1900),
            "latency_ms": round(p50 * slow * (0.6 + unit(info.pod.uid, at) * 1.0)),
            "n": n,
        }

    lines = []
    if run.start >= earliest:
        for i, template in enumerate(spec.startup):
            at = run.start + 0.2 + i * 0.35
            lines.append(template.format(**values(at, i)))
    every = spec.every_seconds
    first = run.start + 3
    if first < earliest:
        first += ((earliest - first) // every + 1) * every
    at, n = first, 0
    while at < end:
        template = spec.periodic[n % len(spec.periodic)]
        lines.append(template.format(**values(at + 0.137, n)))
        at += every
        n += 1
    return lines


def logs(ctx: Context, cmd: Command) -> tuple[str, set[str]]:
    if not cmd.args:
        raise KubectlError(USAGE)
    target, prefix = cmd.args[0], ""
    container = cmd.flag("container") or (cmd.args[1] if len(cmd.args) > 1 else None)
    if "/" in target:
        kind, _, name = target.partition("/")
        if kind in ("pod", "pods", "po"):
            info = find_pod(ctx, cmd.namespace, name)
        elif kind in ("deploy", "deployment", "deployments", "deployment.apps"):
            dep = find_deployment(ctx, cmd.namespace, name)
            found = [i for i in pods(ctx, cmd.namespace) if i.pod.deployment == dep.key]
            if not found:
                raise KubectlError("error: timed out waiting for the condition")
            info = found[0]
            if len(found) > 1:
                prefix = f"Found {len(found)} pods, using pod/{info.pod.name}\n"
        else:
            raise KubectlError(
                f'error: the server doesn\'t have a resource type "{kind}"'
            )
    else:
        info = find_pod(ctx, cmd.namespace, target)
    name = info.spec.container.name
    if container is not None and container != name:
        raise KubectlError(
            f"error: container {container} is not valid for pod {info.pod.name}"
        )
    run = _instance(info, cmd.has("previous"))
    lines = instance_lines(ctx, info, run)
    tail = cmd.integer("tail")
    if tail is not None and tail >= 0:
        lines = lines[-tail:] if tail else []
    which = "logs-previous" if cmd.has("previous") else "logs"
    seen = {f"{which}:{info.pod.deployment}:{info.rs.behaviour}"}
    return prefix + "\n".join(lines), seen


def _instance(info: PodInfo, previous: bool) -> Run:
    status, pod = info.status, info.pod
    name = info.spec.container.name
    if pod.node is None:
        raise KubectlError(
            f"Error from server (BadRequest): pod {pod.name} does not have a host assigned"
        )
    if previous:
        if status.last is None:
            raise KubectlError(
                "Error from server (BadRequest): previous terminated container "
                f'"{name}" in pod "{pod.name}" not found'
            )
        return status.last
    if status.state in ("running", "terminated") and status.runs:
        return status.runs[-1]
    if status.last is not None:
        return status.last
    reason = {
        "ErrImagePull": "image can't be pulled",
        "ImagePullBackOff": "trying and failing to pull image",
    }.get(status.reason, status.reason)
    raise KubectlError(
        f'Error from server (BadRequest): container "{name}" in pod "{pod.name}" is '
        f"waiting to start: {reason}"
    )
