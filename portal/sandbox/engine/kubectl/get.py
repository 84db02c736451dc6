"""`kubectl get`: tables with kubectl's columns, -o wide|yaml|json|name, selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from portal.sandbox.engine.cluster import ReplicaSet
from portal.sandbox.engine.scenario import Deployment

from .events import events
from .objects import (
    deployment_object,
    node_object,
    pod_object,
    render,
    replica_set_object,
    service_object,
)
from .parser import Command, KubectlError
from .resources import (
    CLUSTER_SCOPED,
    KINDS,
    Context,
    check_selector,
    deployment_status,
    deployments,
    matches_labels,
    not_found,
    pods,
    rs_counts,
    selector_text,
    table,
    targets,
)

FORMATS = (None, "wide", "yaml", "json", "name")
API = {
    "pods": "/v1, Resource=pods",
    "deployments": "apps/v1, Resource=deployments",
    "replicasets": "apps/v1, Resource=replicasets",
    "events": "/v1, Resource=events",
    "services": "/v1, Resource=services",
    "nodes": "/v1, Resource=nodes",
    "namespaces": "/v1, Resource=namespaces",
}
FIELDS = {
    "pods": ("status.phase", "spec.nodeName", "metadata.name", "metadata.namespace"),
    "events": ("type", "reason", "involvedObject.name", "involvedObject.kind"),
}


class Output:
    """Collects what the command prints and what the learner saw in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.errors: list[str] = []
        self.seen: set[str] = set()


Row = tuple[str, str, list[str], dict[str, Any], list[tuple[str, str]], dict[str, str]]


def get(ctx: Context, cmd: Command) -> tuple[str, set[str]]:
    fmt = cmd.flag("output")
    if fmt not in FORMATS:
        raise KubectlError(
            "error: unable to match a printer suitable for the output format "
            f'"{fmt}", allowed formats are: json,name,wide,yaml (this sandbox does not '
            "emulate custom-columns, go-template or jsonpath)"
        )
    if cmd.has("watch"):
        raise KubectlError(
            "error: --watch is not emulated here; run the command again after a wait"
        )
    check_selector(cmd.flag("selector"))
    wanted = targets(cmd, "get")
    kinds = list(dict.fromkeys(kind for kind, _ in wanted))
    named = any(name for _, name in wanted)
    out = Output()
    objects: list[dict[str, Any]] = []
    for kind in kinds:
        names = [name for k, name in wanted if k == kind and name]
        rows = _rows(ctx, cmd, kind, out)
        if names:
            by_name = {row[0]: row for row in rows}
            for name in names:
                if name not in by_name:
                    out.errors.append(str(not_found(kind, name)))
            rows = [by_name[n] for n in names if n in by_name]
        for row in rows:
            out.seen.update(row[5].values())
        if fmt in ("yaml", "json"):
            objects.extend(row[3] for row in rows)
            continue
        if fmt == "name":
            out.parts.extend(f"{KINDS[kind]}/{row[0]}" for row in rows)
            continue
        if rows:
            out.parts.append(_table(ctx, cmd, kind, rows, prefix=len(kinds) > 1))
    if fmt in ("yaml", "json") and (objects or not out.errors):
        text = render(objects, single=named and len(wanted) == 1, fmt=fmt)
        out.parts.append(text)
    if out.errors and not out.parts:
        raise KubectlError("\n".join(out.errors))
    if not out.parts:
        out.parts.append(_nothing(cmd, kinds))
    text = "\n\n".join(out.parts) if fmt in (None, "wide") else "\n".join(out.parts)
    if out.errors:
        text = "\n".join([text, *out.errors]) if text else "\n".join(out.errors)
    return text, out.seen


def _nothing(cmd: Command, kinds: list[str]) -> str:
    if cmd.all_namespaces or all(kind in CLUSTER_SCOPED for kind in kinds):
        return "No resources found"
    return f"No resources found in {cmd.namespace} namespace."


def _scope(cmd: Command, kind: str) -> str | None:
    return None if cmd.all_namespaces or kind in CLUSTER_SCOPED else cmd.namespace


def _field_filter(cmd: Command, kind: str) -> Callable[[dict[str, str]], bool]:
    text = cmd.flag("field-selector")
    if not text:
        return lambda fields: True
    terms = []
    for term in text.split(","):
        negate = "!=" in term
        key, _, value = term.replace("!=", "=").replace("==", "=").partition("=")
        allowed = ("metadata.name", "metadata.namespace", *FIELDS.get(kind, ()))
        if key not in allowed:
            raise KubectlError(
                f'Error from server (BadRequest): Unable to find "{API[kind]}" that '
                f'match label selector "{cmd.flag("selector") or ""}", field selector '
                f'"{text}": field label not supported: {key}'
            )
        terms.append((key, value, negate))

    def keep(fields: dict[str, str]) -> bool:
        return all((fields.get(k) == v) != neg for k, v, neg in terms)

    return keep


def _phase_filter(cmd: Command) -> Callable[[dict[str, str]], bool] | None:
    """The status.phase terms of the field selector alone, or None when it has none."""
    text = cmd.flag("field-selector") or ""
    terms = []
    for term in text.split(","):
        negate = "!=" in term
        key, _, value = term.replace("!=", "=").replace("==", "=").partition("=")
        if key.strip() == "status.phase":
            terms.append((value, negate))
    if not terms:
        return None
    return lambda fields: all(
        (fields.get("status.phase") == v) != neg for v, neg in terms
    )


def _rows(ctx: Context, cmd: Command, kind: str, out: Output) -> list[Row]:
    """Return rows as (name, namespace, cells, object, labels, observations)."""
    scope = _scope(cmd, kind)
    keep = _field_filter(cmd, kind)
    selector = cmd.flag("selector")
    builder = {
        "pods": _pod_rows,
        "deployments": _deployment_rows,
        "replicasets": _rs_rows,
        "services": _service_rows,
        "nodes": _node_rows,
        "events": _event_rows,
        "namespaces": _namespace_rows,
    }[kind]
    phase = _phase_filter(cmd) if kind == "pods" else None
    rows = []
    for row, fields in builder(ctx, cmd, scope):
        labelled = matches_labels(selector, row[4])
        if labelled and keep(fields):
            rows.append(row)
        elif (
            phase is not None
            and labelled
            and not phase(fields)
            and (
                fields.get("display") != "Running" or fields.get("sort:restarts") != "0"
            )
        ):
            # Only a status.phase selector hides crash-looping pods: they are Running.
            out.seen.add("pitfall:phase-selector")
    if kind == "pods" and scope == "default" and not rows and not cmd.args[1:]:
        out.seen.add("pitfall:default-namespace")
    return _sort(cmd, rows)


def _sort(cmd: Command, rows: list[Row]) -> list[Row]:
    key = cmd.flag("sort-by")
    if not key:
        return rows
    fields = {
        ".metadata.creationTimestamp": "created",
        ".lastTimestamp": "last",
        ".metadata.name": "name",
        ".status.containerStatuses[0].restartCount": "restarts",
    }
    if key not in fields:
        raise KubectlError(
            f'error: couldn\'t find any field with path "{key}" in the list of objects'
        )
    field = fields[key]
    return sorted(rows, key=lambda row: int(row[5].get(f"sort:{field}", "0") or 0))


def _pod_rows(ctx: Context, cmd: Command, scope: str | None):
    for info in pods(ctx, scope):
        pod = info.pod
        cells = [
            pod.name,
            info.ready,
            info.display,
            info.restarts(ctx.t),
            ctx.age(pod.created),
        ]
        fields = {
            "status.phase": info.phase,
            "spec.nodeName": pod.node or "",
            "metadata.name": pod.name,
            "metadata.namespace": pod.namespace,
            "display": info.display,
            "seen": f"status:{pod.deployment}:{info.display}",
            "sort:created": str(pod.created),
            "sort:restarts": str(info.status.restarts),
        }
        wide = [pod.ip or "<none>", pod.node or "<none>", "<none>", "<none>"]
        obs = {"seen": fields["seen"]}
        if info.status.restarts:
            obs["restarts"] = f"restarts:{pod.deployment}"
        row: Row = (pod.name, pod.namespace, cells + ["\0", *wide], pod_object(ctx, info),
               info.labels, obs)  # fmt: skip
        yield row, fields


def _deployment_rows(ctx: Context, cmd: Command, scope: str | None):
    for dep in deployments(ctx, scope):
        status = deployment_status(ctx, dep)
        rs = _current(ctx, dep)
        cells = [dep.name, f"{status.ready}/{status.desired}", str(status.updated),
                 str(status.available), ctx.age(dep.created)]  # fmt: skip
        wide = [dep.container.name, rs.image, selector_text(dep.labels)]
        row: Row = (dep.name, dep.namespace, cells + ["\0", *wide],
               deployment_object(ctx, dep), list(dep.labels), {})  # fmt: skip
        yield row, _meta(dep.name, dep.namespace, dep.created)


def _current(ctx: Context, dep: Deployment) -> ReplicaSet:
    return ctx.cluster.replica_set(dep.key, ctx.cluster.deployment(dep.key).current)


def _rs_rows(ctx: Context, cmd: Command, scope: str | None):
    for dep in deployments(ctx, scope):
        sets = sorted(ctx.cluster.replica_sets_of(dep.key), key=lambda r: r.hash)
        for rs in sets:
            if rs.created > ctx.t:
                continue
            alive, ready = rs_counts(ctx, rs)
            name = rs.name(dep.name)
            cells = [name, str(alive), str(alive), str(ready), ctx.age(rs.created)]
            labels = [*dep.labels, ("pod-template-hash", rs.hash)]
            wide = [dep.container.name, rs.image, selector_text(labels)]
            row: Row = (name, dep.namespace, cells + ["\0", *wide],
                   replica_set_object(ctx, dep, rs), labels, {})  # fmt: skip
            yield row, _meta(name, dep.namespace, rs.created)


def _service_rows(ctx: Context, cmd: Command, scope: str | None):
    services = sorted(
        ctx.scenario.cluster.services, key=lambda s: (s.namespace, s.name)
    )
    for svc in services:
        if scope not in (None, svc.namespace):
            continue
        cells = [svc.name, svc.type, svc.cluster_ip, svc.external_ip, ",".join(svc.ports),
                 ctx.age(svc.created)]  # fmt: skip
        wide = [selector_text(svc.selector)]
        row: Row = (svc.name, svc.namespace, cells + ["\0", *wide], service_object(ctx, svc),
               [], {})  # fmt: skip
        yield row, _meta(svc.name, svc.namespace, svc.created)


def _node_rows(ctx: Context, cmd: Command, scope: str | None):
    for node in ctx.scenario.cluster.nodes:
        cells = [node.name, "Ready", node.roles, ctx.age(node.created),
                 ctx.scenario.cluster.version]  # fmt: skip
        wide = [node.internal_ip, "<none>", node.os_image, node.kernel, node.runtime]
        row: Row = (
            node.name,
            "",
            cells + ["\0", *wide],
            node_object(ctx, node),
            [],
            {},
        )
        yield row, _meta(node.name, "", node.created)


def _namespace_rows(ctx: Context, cmd: Command, scope: str | None):
    for ns in ctx.scenario.cluster.namespaces:
        cells = [ns.name, "Active", ctx.age(ns.created)]
        obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns.name}}
        yield (ns.name, "", cells + ["\0"], obj, [], {}), _meta(ns.name, "", ns.created)


def _event_rows(ctx: Context, cmd: Command, scope: str | None):
    owners = {}
    for pod in ctx.cluster.pods:
        owners[f"pod/{pod.name}"] = pod.deployment
        owners[f"replicaset/{pod.deployment.split('/')[1]}-{pod.rs_hash}"] = (
            pod.deployment
        )
    for n, ev in enumerate(events(ctx, scope)):
        kind, _, name = ev.object.partition("/")
        cells = [ctx.age(ev.last), ev.type, ev.reason, ev.object, ev.message]
        owner = owners.get(ev.object) or f"{ev.namespace}/{name}"
        obj = {
            "apiVersion": "v1",
            "count": ev.count,
            "firstTimestamp": ctx.scenario.clock.iso(ev.first),
            "involvedObject": {"kind": kind.capitalize(), "name": name},
            "kind": "Event",
            "lastTimestamp": ctx.scenario.clock.iso(ev.last),
            "message": ev.message,
            "metadata": {"name": f"{name}.{n:016x}", "namespace": ev.namespace},
            "reason": ev.reason,
            "source": {"component": ev.source},
            "type": ev.type,
        }
        fields = {
            "type": ev.type,
            "reason": ev.reason,
            "involvedObject.name": name,
            "involvedObject.kind": kind.capitalize(),
            "metadata.namespace": ev.namespace,
            "sort:last": str(ev.last),
            "sort:created": str(ev.first),
        }
        row: Row = (ev.object, ev.namespace, cells + ["\0"], obj, [],
               {"seen": f"event:{owner}:{ev.reason}"})  # fmt: skip
        yield row, fields


def _meta(name: str, namespace: str, created: int) -> dict[str, str]:
    return {"metadata.name": name, "metadata.namespace": namespace,
            "sort:created": str(created)}  # fmt: skip


HEADERS = {
    "pods": (["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
             ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
    "deployments": (["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                    ["CONTAINERS", "IMAGES", "SELECTOR"]),
    "replicasets": (["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                    ["CONTAINERS", "IMAGES", "SELECTOR"]),
    "services": (["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
                 ["SELECTOR"]),
    "nodes": (["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
              ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION",
               "CONTAINER-RUNTIME"]),
    "events": (["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], []),
    "namespaces": (["NAME", "STATUS", "AGE"], []),
}  # fmt: skip


def _table(ctx: Context, cmd: Command, kind: str, rows: list[Row], prefix: bool) -> str:
    basic, extra = HEADERS[kind]
    wide = cmd.flag("output") == "wide"
    headers = basic + (extra if wide else [])
    body = []
    for _name, namespace, cells, _, labels, _ in rows:
        split = cells.index("\0")
        line = cells[:split] + (cells[split + 1 :] if wide else [])
        if prefix and kind != "events":
            line[0] = f"{KINDS[kind]}/{line[0]}"
        if cmd.all_namespaces and kind not in CLUSTER_SCOPED:
            line = [namespace, *line]
        if cmd.has("show-labels"):
            line.append(",".join(f"{k}={v}" for k, v in labels) or "<none>")
        body.append(line)
    if cmd.all_namespaces and kind not in CLUSTER_SCOPED:
        headers = ["NAMESPACE", *headers]
    if cmd.has("show-labels"):
        headers = [*headers, "LABELS"]
    return table(headers, body, no_headers=cmd.has("no-headers"))
