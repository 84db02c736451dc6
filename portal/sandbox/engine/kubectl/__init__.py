"""A kubectl emulator over the simulated cluster."""

from __future__ import annotations

from dataclasses import dataclass

from portal.sandbox.engine.cluster import ClusterState
from portal.sandbox.engine.scenario import Scenario

from . import rollout
from .describe import describe
from .get import get
from .logs import logs
from .parser import Command, KubectlError, parse
from .resources import Context
from .rollout import Change, Mutation
from .top import top

LOOKS = ("get", "describe", "logs", "top", "rollout history", "rollout status")


@dataclass(frozen=True)
class KubectlResult:
    output: str
    ok: bool
    changes_cluster: bool
    cluster: ClusterState
    mutation: Mutation | None
    seen: frozenset[str]
    elapsed: int
    command: Command | None


def run(scenario: Scenario, cluster: ClusterState, t: int, line: str, salt: str):
    """Run one kubectl command line at simulated time `t`."""
    ctx = Context(scenario, cluster, t, salt)
    try:
        cmd = parse(line)
        change = _dispatch(ctx, cmd)
    except KubectlError as error:
        seen = (
            {"pitfall:previous-missing"}
            if "previous terminated" in str(error)
            else set()
        )
        return KubectlResult(
            str(error), False, False, cluster, None, frozenset(seen), 0, None
        )
    return KubectlResult(
        output=change.output,
        ok=True,
        changes_cluster=cmd.verb not in LOOKS,
        cluster=change.cluster,
        mutation=change.mutation,
        seen=change.seen,
        elapsed=change.elapsed,
        command=cmd,
    )


def _dispatch(ctx: Context, cmd: Command) -> Change:
    viewers = {"get": get, "describe": describe, "logs": logs, "top": top}
    if cmd.verb in viewers:
        output, seen = viewers[cmd.verb](ctx, cmd)
        return Change(output, ctx.cluster, None, frozenset(seen))
    changers = {
        "rollout history": rollout.history,
        "rollout status": rollout.status,
        "rollout undo": rollout.undo,
        "rollout restart": rollout.restart,
        "scale": rollout.scale,
        "set image": rollout.set_image,
    }
    return changers[cmd.verb](ctx, cmd)


__all__ = ["KubectlError", "KubectlResult", "Mutation", "parse", "run"]
