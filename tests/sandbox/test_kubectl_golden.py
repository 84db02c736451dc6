"""Golden tests of the kubectl emulator's output at fixed simulated times.

Each case is a short script; its whole transcript is compared with
tests/sandbox/golden/<name>.txt. Run with UPDATE_GOLDEN=1 to rewrite the files after a
deliberate change, then review the diff.
"""

from __future__ import annotations

import os

import pytest

from .helpers import GOLDEN, play, transcript

POD = "checkout-7c9d8f6b5-wtbpb"
HEALTHY = "payments-59fbd7c84-5d5qm"
UNDO = "kubectl rollout undo deployment/checkout -n shop"

CASES = {
    "get-pods": ["kubectl get pods -n shop"],
    "get-pods-later": ["wait 12m", "kubectl get pods -n shop"],
    "get-pods-all-wide": ["kubectl get pods -A -o wide"],
    "get-pods-label": ["kubectl get po -n shop -l app=checkout --show-labels"],
    "get-pods-phase-selector": [
        "kubectl get pods -n shop --field-selector=status.phase!=Running",
        "kubectl get pods -n shop --field-selector status.phase=Running -l app=checkout",
    ],
    "get-pod-yaml": [f"kubectl get pod {POD} -n shop -o yaml"],
    "get-pod-json": [f"kubectl get pod/{POD} -n shop -o json"],
    "get-pods-name": ["kubectl get pods -n shop -l app=checkout -o name"],
    "get-deploy": [
        "kubectl get deploy -n shop",
        "kubectl get deployments -n shop -o wide",
    ],
    "get-deploy-yaml": ["kubectl get deployment checkout -n shop -o yaml"],
    "get-deploy-json-list": ["kubectl get deploy -n kube-system -o json"],
    "get-rs": ["kubectl get rs -n shop", "kubectl get replicasets -n shop -o wide"],
    "get-events": ["kubectl get events -n shop"],
    "get-events-warnings": ["kubectl get ev -A --field-selector type=Warning"],
    "get-svc": ["kubectl get svc -A", "kubectl get services -n shop -o wide"],
    "get-nodes": ["kubectl get nodes", "kubectl get no -o wide"],
    "get-several": ["kubectl get deploy,rs -n shop -l app=checkout"],
    "describe-pod": [f"kubectl describe pod {POD} -n shop"],
    "describe-pod-healthy": [f"kubectl describe pod -n shop {HEALTHY}"],
    "describe-deploy": ["kubectl describe deployment checkout -n shop"],
    "logs": [
        f"kubectl logs {POD} -n shop --tail=6",
        f"kubectl logs -p {POD} -n shop",
        f"kubectl logs {POD} -n shop -c checkout --previous --tail 3",
        "kubectl logs deploy/payments -n shop --tail=3",
    ],
    "top": ["kubectl top pods -n shop", "kubectl top pod -A", "kubectl top nodes"],
    "rollout-history": [
        "kubectl rollout history deployment/checkout -n shop",
        "kubectl rollout history deploy checkout -n shop --revision=6",
    ],
    "rollout-status": ["kubectl rollout status deployment/checkout -n shop"],
    "rollout-undo": [
        UNDO,
        "kubectl get pods -n shop -l app=checkout",
        "kubectl rollout status deployment/checkout -n shop",
        "kubectl rollout history deployment/checkout -n shop",
        "kubectl get rs -n shop -l app=checkout",
        "kubectl get deploy checkout -n shop",
    ],
    "rollout-undo-twice": [
        UNDO,
        "wait 3m",
        UNDO,
        "kubectl rollout history deploy/checkout -n shop",
    ],
    "rollout-undo-to-revision": [
        "kubectl rollout undo deployment/checkout -n shop --to-revision=5",
        "kubectl rollout history deployment/checkout -n shop",
        "kubectl rollout undo deployment/checkout -n shop --to-revision=8",
    ],
    "rollout-undo-wrong": [
        "kubectl rollout undo deployment/cart -n shop",
        "wait 2m",
        "kubectl get pods -n shop",
        "kubectl rollout history deployment/cart -n shop",
    ],
    "rollout-restart": [
        "kubectl rollout restart deployment/checkout -n shop",
        "wait 2m",
        "kubectl get pods -n shop -l app=checkout",
        "wait 6m",
        "kubectl get pods -n shop -l app=checkout",
        "kubectl rollout history deployment/checkout -n shop",
    ],
    "scale": [
        "kubectl scale deployment/checkout -n shop --replicas=6",
        "kubectl get pods -n shop -l app=checkout -o wide",
        "kubectl get events -n shop --field-selector reason=FailedScheduling",
        "kubectl top nodes",
        "kubectl get deploy checkout -n shop",
    ],
    "set-image": [
        "kubectl set image deployment/checkout "
        "checkout=registry.example.com/shop/checkout:v2.13.5 -n shop",
        "kubectl rollout history deployment/checkout -n shop",
        "wait 3m",
        "kubectl get pods -n shop -l app=checkout",
    ],
    "set-image-typo": [
        "kubectl set image deploy/checkout checkout=registry.example.com/shop/checkout:v2.13.6 "
        "-n shop",
        "wait 1m",
        "kubectl get pods -n shop -l app=checkout",
        "kubectl rollout status deployment/checkout -n shop",
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_matches_the_golden_transcript(name: str) -> None:
    path = GOLDEN / f"{name}.txt"

    text = transcript(play(CASES[name]))

    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
