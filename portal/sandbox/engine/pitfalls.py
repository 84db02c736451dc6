"""Notice where Kubernetes surprised the learner, and explain it ("why did I see this?")."""

from __future__ import annotations

from .kubectl import KubectlResult
from .scenario import Pitfall, Scenario


def detect(scenario: Scenario, result: KubectlResult) -> list[str]:
    """Return the pitfall ids one kubectl command fell into, in a stable order."""
    found = [
        seen.split(":", 1)[1]
        for seen in sorted(result.seen)
        if seen.startswith("pitfall:")
    ]
    mutation = result.mutation
    if mutation is not None:
        faulty = mutation.deployment == scenario.fault.deployment
        if mutation.kind == "rollback" and not faulty:
            found.append("wrong-rollback")
        if mutation.kind == "rollback" and faulty and mutation.behaviour != "healthy":
            found.append("undo-toggles")
        if mutation.kind == "restart" and faulty:
            found.append("restart-temporary")
        if mutation.kind == "scale":
            pending = [
                p
                for p in result.cluster.pods_of(mutation.deployment)
                if p.node is None and p.deleted is None
            ]
            if pending:
                found.append("scale-pending")
    return [pid for pid in dict.fromkeys(found) if scenario.pitfall(pid) is not None]


def explain(scenario: Scenario, pitfall_ids: list[str]) -> list[Pitfall]:
    return [p for pid in pitfall_ids if (p := scenario.pitfall(pid)) is not None]
