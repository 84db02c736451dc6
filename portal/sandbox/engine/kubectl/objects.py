"""Objects as the API returns them, for `-o yaml` and `-o json`."""

from __future__ import annotations

import json
from typing import Any

import yaml

from portal.sandbox.engine.cluster import ReplicaSet
from portal.sandbox.engine.scenario import Deployment, Node, Service

from .resources import Context, PodInfo, deployment_status, rs_counts


def _container(spec: Deployment, image: str) -> dict[str, Any]:
    c = spec.container
    return {
        "name": c.name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"containerPort": c.port, "protocol": "TCP"}],
        "resources": {
            "limits": {"memory": f"{c.memory_limit_mi}Mi"},
            "requests": {
                "cpu": f"{c.cpu_request_m}m",
                "memory": f"{c.memory_request_mi}Mi",
            },
        },
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def pod_object(ctx: Context, info: PodInfo) -> dict[str, Any]:
    pod, spec, status = info.pod, info.spec, info.status
    clock = ctx.scenario.clock
    state: dict[str, Any]
    if status.state == "running" and status.started is not None:
        state = {"running": {"startedAt": clock.iso(status.started)}}
    elif status.state == "terminated" and status.runs:
        run = status.runs[-1]
        state = {"terminated": _terminated(ctx, run.start, run.end or ctx.t)}
    else:
        state = {"waiting": {"reason": status.reason}}
    last: dict[str, Any] = {}
    if status.last is not None and status.last.end is not None:
        last = {"terminated": _terminated(ctx, status.last.start, status.last.end)}
    container_status = {
        "image": info.rs.image,
        "lastState": last,
        "name": spec.container.name,
        "ready": status.ready,
        "restartCount": status.restarts,
        "started": status.state == "running",
        "state": state,
    }
    ready = "True" if status.ready else "False"
    body: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "creationTimestamp": clock.iso(pod.created),
            "generateName": f"{spec.name}-{info.rs.hash}-",
            "labels": dict(info.labels),
            "name": pod.name,
            "namespace": pod.namespace,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "ReplicaSet",
                    "name": info.rs.name(spec.name),
                }
            ],
            "uid": pod.uid,
        },
        "spec": {
            "containers": [_container(spec, info.rs.image)],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "serviceAccountName": "default",
        },
        "status": {
            "conditions": [
                {"status": ready, "type": "Ready"},
                {"status": ready, "type": "ContainersReady"},
                {"status": "True" if pod.node else "False", "type": "PodScheduled"},
            ],
            "containerStatuses": [container_status] if pod.node else [],
            "phase": info.phase,
            "qosClass": "Burstable",
        },
    }
    if pod.node:
        body["spec"]["nodeName"] = pod.node
        body["status"]["podIP"] = pod.ip
        body["status"]["startTime"] = clock.iso(pod.created)
    return body


def _terminated(ctx: Context, start: int, end: int) -> dict[str, Any]:
    clock = ctx.scenario.clock
    return {
        "exitCode": 137,
        "finishedAt": clock.iso(end),
        "reason": "OOMKilled",
        "startedAt": clock.iso(start),
    }


def deployment_object(ctx: Context, spec: Deployment) -> dict[str, Any]:
    state = ctx.cluster.deployment(spec.key)
    rs = ctx.cluster.replica_set(spec.key, state.current)
    status = deployment_status(ctx, spec)
    annotations = {"deployment.kubernetes.io/revision": str(rs.revision)}
    annotations["kubernetes.io/change-cause"] = rs.change_cause
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "annotations": annotations,
            "creationTimestamp": ctx.scenario.clock.iso(spec.created),
            "labels": dict(spec.labels),
            "name": spec.name,
            "namespace": spec.namespace,
        },
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": state.replicas,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(spec.labels)},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                "type": "RollingUpdate",
            },
            "template": {
                "metadata": {"labels": dict(spec.labels)},
                "spec": {"containers": [_container(spec, rs.image)]},
            },
        },
        "status": {
            "availableReplicas": status.available,
            "readyReplicas": status.ready,
            "replicas": status.total,
            "unavailableReplicas": status.unavailable,
            "updatedReplicas": status.updated,
        },
    }


def replica_set_object(
    ctx: Context, spec: Deployment, rs: ReplicaSet
) -> dict[str, Any]:
    alive, ready = rs_counts(ctx, rs)
    labels = {**dict(spec.labels), "pod-template-hash": rs.hash}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "annotations": {
                "deployment.kubernetes.io/revision": str(rs.revision),
                "kubernetes.io/change-cause": rs.change_cause,
            },
            "creationTimestamp": ctx.scenario.clock.iso(rs.created),
            "labels": labels,
            "name": rs.name(spec.name),
            "namespace": spec.namespace,
        },
        "spec": {"replicas": alive, "selector": {"matchLabels": labels}},
        "status": {"readyReplicas": ready, "replicas": alive},
    }


def service_object(ctx: Context, svc: Service) -> dict[str, Any]:
    ports = []
    for text in svc.ports:
        port, _, proto = text.partition("/")
        ports.append({"port": int(port.split(":")[0]), "protocol": proto or "TCP"})
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "creationTimestamp": ctx.scenario.clock.iso(svc.created),
            "name": svc.name,
            "namespace": svc.namespace,
        },
        "spec": {
            "clusterIP": svc.cluster_ip,
            "ports": ports,
            "selector": dict(svc.selector),
            "type": svc.type,
        },
    }


def node_object(ctx: Context, node: Node) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "creationTimestamp": ctx.scenario.clock.iso(node.created),
            "name": node.name,
        },
        "status": {
            "addresses": [{"address": node.internal_ip, "type": "InternalIP"}],
            "allocatable": {
                "cpu": f"{node.cpu_m}m",
                "memory": f"{node.memory_mi * 1024}Ki",
            },
            "nodeInfo": {
                "containerRuntimeVersion": node.runtime,
                "kernelVersion": node.kernel,
                "kubeletVersion": ctx.scenario.cluster.version,
                "osImage": node.os_image,
            },
        },
    }


def render(objects: list[dict[str, Any]], single: bool, fmt: str) -> str:
    """Print one object, or a v1 List of them, as kubectl's yaml or json printer does."""
    body: dict[str, Any]
    if single and len(objects) == 1:
        body = objects[0]
    else:
        body = {
            "apiVersion": "v1",
            "items": objects,
            "kind": "List",
            "metadata": {"resourceVersion": ""},
        }
    if fmt == "json":
        return json.dumps(body, indent=4)
    return yaml.safe_dump(body, sort_keys=True, default_flow_style=False).rstrip("\n")
