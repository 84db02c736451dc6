"""Commands that change deployments: rollout history|status|undo|restart, scale, set image.

`rollout undo` does not go back in time: it copies an old template into a new revision, so the
old revision number disappears from the history and the old ReplicaSet (with its old age)
scales up again. The rollout then takes simulated minutes to converge.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from portal.sandbox.engine.cluster import (
    ClusterState,
    ReplicaSet,
    next_revision,
    roll_to,
    token,
    with_replica_set,
)
from portal.sandbox.engine.cluster import scale as scale_cluster
from portal.sandbox.engine.scenario import Deployment

from .parser import Command, KubectlError
from .resources import Context, deployment_status, find_deployment, one_target

WATCH_LIMIT = 120
WATCH_STEP = 5


@dataclass(frozen=True)
class Mutation:
    """A change the learner made to the cluster, for scoring and the debrief."""

    kind: str  # rollback | restart | scale | set_image
    deployment: str
    behaviour: str
    detail: str
    replicas: int = 0


@dataclass(frozen=True)
class Change:
    output: str
    cluster: ClusterState
    mutation: Mutation | None
    seen: frozenset[str] = frozenset()
    elapsed: int = 0


def _deployment(ctx: Context, cmd: Command, verb: str) -> Deployment:
    _, name = one_target(cmd, verb, ("deployments",))
    return find_deployment(ctx, cmd.namespace, name)


def history(ctx: Context, cmd: Command) -> Change:
    dep = _deployment(ctx, cmd, "rollout history")
    sets = sorted(ctx.cluster.replica_sets_of(dep.key), key=lambda r: r.revision)
    wanted = cmd.integer("revision")
    seen = frozenset({f"history:{dep.key}"})
    if wanted:
        rs = next((r for r in sets if r.revision == wanted), None)
        if rs is None:
            raise KubectlError("error: unable to find the specified revision")
        c = dep.container
        lines = [
            f"deployment.apps/{dep.name} with revision #{wanted}",
            "Pod Template:",
            f"  Labels:\t{','.join(f'{k}={v}' for k, v in dep.labels)}",
            f"\tpod-template-hash={rs.hash}",
            f"  Annotations:\tkubernetes.io/change-cause: {rs.change_cause}",
            "  Containers:",
            f"   {c.name}:",
            f"    Image:\t{rs.image}",
            f"    Port:\t{c.port}/TCP",
            "    Host Port:\t0/TCP",
            "    Limits:",
            f"      memory:\t{c.memory_limit_mi}Mi",
            "    Requests:",
            f"      cpu:\t{c.cpu_request_m}m",
            f"      memory:\t{c.memory_request_mi}Mi",
            "    Environment:\t<none>",
            "    Mounts:\t<none>",
            "  Volumes:\t<none>",
            "  Node-Selectors:\t<none>",
            "  Tolerations:\t<none>",
        ]
        return Change("\n".join(lines), ctx.cluster, None, seen)
    rows = [("REVISION", "CHANGE-CAUSE")] + [
        (str(r.revision), r.change_cause) for r in sets
    ]
    width = max(len(r[0]) for r in rows) + 2
    body = "\n".join(f"{a.ljust(width)}{b}" for a, b in rows)
    return Change(f"deployment.apps/{dep.name} \n{body}\n", ctx.cluster, None, seen)


def status_message(ctx: Context, dep: Deployment) -> tuple[str, bool]:
    s = deployment_status(ctx, dep)
    name = dep.name
    if s.updated < s.desired:
        return (
            f'Waiting for deployment "{name}" rollout to finish: {s.updated} out of '
            f"{s.desired} new replicas have been updated...",
            False,
        )
    if s.total > s.updated:
        return (
            f'Waiting for deployment "{name}" rollout to finish: {s.total - s.updated} '
            "old replicas are pending termination...",
            False,
        )
    if s.available < s.updated:
        return (
            f'Waiting for deployment "{name}" rollout to finish: {s.available} of '
            f"{s.updated} updated replicas are available...",
            False,
        )
    return f'deployment "{name}" successfully rolled out', True


def status(ctx: Context, cmd: Command) -> Change:
    """Watch the rollout like kubectl does, for up to two simulated minutes."""
    dep = _deployment(ctx, cmd, "rollout status")
    lines: list[str] = []
    watch = cmd.flag("watch") != "false"
    for waited in range(0, WATCH_LIMIT + 1, WATCH_STEP):
        message, done = status_message(replace(ctx, t=ctx.t + waited), dep)
        if not lines or lines[-1] != message:
            lines.append(message)
        if done or not watch:
            return Change("\n".join(lines), ctx.cluster, None, elapsed=waited)
    lines.append("^C  (the sandbox stops watching after 2m of simulated time)")
    return Change("\n".join(lines), ctx.cluster, None, elapsed=WATCH_LIMIT)


def undo(ctx: Context, cmd: Command) -> Change:
    dep = _deployment(ctx, cmd, "rollout undo")
    state = ctx.cluster.deployment(dep.key)
    sets = ctx.cluster.replica_sets_of(dep.key)
    current = ctx.cluster.replica_set(dep.key, state.current)
    wanted = cmd.integer("to-revision") or 0
    if wanted:
        target = next((r for r in sets if r.revision == wanted), None)
        if target is None:
            raise KubectlError(
                f"error: unable to find specified revision {wanted} in history"
            )
    else:
        older = [r for r in sets if r.revision < current.revision]
        if not older:
            raise KubectlError(
                f'error: no rollout history found for deployment "{dep.name}"'
            )
        target = max(older, key=lambda r: r.revision)
    if target.hash == current.hash:
        return Change(
            f"deployment.apps/{dep.name} skipped rollback (current template already "
            f"matches revision {current.revision})",
            ctx.cluster,
            None,
        )
    from_revision = target.revision
    renumbered = replace(target, revision=next_revision(ctx.cluster, dep.key))
    cluster = with_replica_set(ctx.cluster, renumbered)
    cluster = roll_to(ctx.scenario, cluster, dep, renumbered, ctx.t, ctx.salt)
    mutation = Mutation(
        "rollback",
        dep.key,
        target.behaviour,
        f"revision {from_revision} ({target.image}) became revision {renumbered.revision}",
    )
    return Change(f"deployment.apps/{dep.name} rolled back", cluster, mutation)


def restart(ctx: Context, cmd: Command) -> Change:
    dep = _deployment(ctx, cmd, "rollout restart")
    current = ctx.cluster.replica_set(dep.key, ctx.cluster.deployment(dep.key).current)
    fresh = ReplicaSet(
        deployment=dep.key,
        hash=token(10, ctx.salt, dep.key, ctx.t, "restart"),
        revision=next_revision(ctx.cluster, dep.key),
        image=current.image,
        behaviour=current.behaviour,
        change_cause=current.change_cause,
        created=ctx.t + 1,
        restarted_at=ctx.t,
    )
    cluster = with_replica_set(ctx.cluster, fresh)
    cluster = roll_to(ctx.scenario, cluster, dep, fresh, ctx.t, ctx.salt)
    mutation = Mutation(
        "restart", dep.key, current.behaviour, f"revision {fresh.revision}"
    )
    return Change(f"deployment.apps/{dep.name} restarted", cluster, mutation)


def scale(ctx: Context, cmd: Command) -> Change:
    replicas = cmd.integer("replicas")
    if replicas is None:
        raise KubectlError('error: required flag(s) "replicas" not set')
    if replicas < 0:
        raise KubectlError("error: The --replicas=COUNT flag is required, and COUNT must be "
                           "greater than or equal to 0")  # fmt: skip
    dep = _deployment(ctx, cmd, "scale")
    before = ctx.cluster.deployment(dep.key).replicas
    if replicas == before:
        return Change(f"deployment.apps/{dep.name} scaled", ctx.cluster, None)
    cluster = scale_cluster(ctx.scenario, ctx.cluster, dep, replicas, ctx.t, ctx.salt)
    current = cluster.replica_set(dep.key, cluster.deployment(dep.key).current)
    mutation = Mutation(
        "scale",
        dep.key,
        current.behaviour,
        f"{before} -> {replicas} replicas",
        replicas,
    )
    return Change(f"deployment.apps/{dep.name} scaled", cluster, mutation)


def set_image(ctx: Context, cmd: Command) -> Change:
    pairs = [a for a in cmd.args if "=" in a]
    rest = [a for a in cmd.args if "=" not in a]
    dep = _deployment(ctx, Command(cmd.verb, tuple(rest), cmd.flags), "set image")
    if not pairs:
        raise KubectlError("error: at least one image update is required")
    images = dict(pair.split("=", 1) for pair in pairs)
    for container in images:
        if container not in (dep.container.name, "*"):
            raise KubectlError(f'error: unable to find container named "{container}"')
    image = next(iter(images.values()))
    current = ctx.cluster.replica_set(dep.key, ctx.cluster.deployment(dep.key).current)
    output = f"deployment.apps/{dep.name} image updated"
    if image == current.image and current.restarted_at is None:
        return Change(output, ctx.cluster, None)
    same = [
        r
        for r in ctx.cluster.replica_sets_of(dep.key)
        if r.image == image and r.restarted_at is None
    ]
    revision = next_revision(ctx.cluster, dep.key)
    if same:
        target = replace(same[0], revision=revision)
    else:
        known = {rev.image: rev.behaviour for rev in dep.revisions}
        target = ReplicaSet(
            deployment=dep.key,
            hash=token(10, ctx.salt, dep.key, ctx.t, image),
            revision=revision,
            image=image,
            behaviour=known.get(image, "pull_error"),
            change_cause=current.change_cause,
            created=ctx.t + 1,
        )
    cluster = with_replica_set(ctx.cluster, target)
    cluster = roll_to(ctx.scenario, cluster, dep, target, ctx.t, ctx.salt)
    mutation = Mutation("set_image", dep.key, target.behaviour, f"image {image}")
    return Change(output, cluster, mutation)
