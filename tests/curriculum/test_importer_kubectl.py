"""The placeholder repair of commands, one table row per kind of damage."""

from __future__ import annotations

import pytest

from portal.curriculum.importer.commands import is_command, repair_command
from portal.curriculum.importer.shell import tokenize


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        # The seed's three commands.
        ("kubectl describe pod  -n ", "kubectl describe pod <pod> -n <namespace>"),
        (
            "kubectl logs  -n  --previous",
            "kubectl logs <pod> -n <namespace> --previous",
        ),
        (
            "kubectl rollout undo deploy/ -n ",
            "kubectl rollout undo deploy/<deployment> -n <namespace>",
        ),
        # Resource types and their short names.
        ("kubectl get svc  -n ", "kubectl get svc <service> -n <namespace>"),
        (
            "kubectl describe sts  -n ",
            "kubectl describe sts <statefulset> -n <namespace>",
        ),
        ("kubectl describe node  -o wide", "kubectl describe node <node> -o wide"),
        ("kubectl describe no  -o wide", "kubectl describe no <node> -o wide"),
        ("kubectl get cm  -o yaml", "kubectl get cm <configmap> -o yaml"),
        ("kubectl get rs  -n ", "kubectl get rs <replicaset> -n <namespace>"),
        ("kubectl describe ds  -n ", "kubectl describe ds <daemonset> -n <namespace>"),
        ("kubectl get secret  -o yaml", "kubectl get secret <secret> -o yaml"),
        ("kubectl describe ns  -o yaml", "kubectl describe ns <namespace> -o yaml"),
        ("kubectl describe ing  -n ", "kubectl describe ing <ingress> -n <namespace>"),
        ("kubectl delete job  -n ", "kubectl delete job <job> -n <namespace>"),
        ("kubectl get cj  -n ", "kubectl get cj <cronjob> -n <namespace>"),
        ("kubectl describe pvc  -n ", "kubectl describe pvc <pvc> -n <namespace>"),
        (
            "kubectl describe pv  --context ",
            "kubectl describe pv <pv> --context <context>",
        ),
        ("kubectl get hpa  -n ", "kubectl get hpa <hpa> -n <namespace>"),
        ("kubectl top pod  -n ", "kubectl top pod <pod> -n <namespace>"),
        ("kubectl get svc/ -o yaml", "kubectl get svc/<service> -o yaml"),
        ("kubectl logs deployment/ -f", "kubectl logs deployment/<deployment> -f"),
        # Options that take values.
        ("kubectl logs  -c  -n ", "kubectl logs <pod> -c <container> -n <namespace>"),
        ("kubectl get pods -l  -n ", "kubectl get pods -l <selector> -n <namespace>"),
        ("kubectl get pods --namespace=", "kubectl get pods --namespace=<namespace>"),
        ("kubectl get pods --context ", "kubectl get pods --context <context>"),
        ("kubectl get pods -n  -o ", "kubectl get pods -n <namespace> -o <format>"),
        ("kubectl apply -f ", "kubectl apply -f <file>"),
        ("kubectl logs  -f --tail=", "kubectl logs <pod> -f --tail=<lines>"),
        # Commands that cannot run without their argument.
        ("kubectl exec -it  -- sh", "kubectl exec -it <pod> -- sh"),
        (
            "kubectl exec -it  -n  -- sh -c 'ls  /tmp'",
            "kubectl exec -it <pod> -n <namespace> -- sh -c 'ls  /tmp'",
        ),
        (
            "kubectl drain  --ignore-daemonsets",
            "kubectl drain <node> --ignore-daemonsets",
        ),
        ("kubectl cordon ", "kubectl cordon <node>"),
        ("kubectl config use-context ", "kubectl config use-context <context>"),
        (
            "kubectl port-forward  8080:80 -n ",
            "kubectl port-forward <pod> 8080:80 -n <namespace>",
        ),
        (
            "kubectl scale deploy/ --replicas=",
            "kubectl scale deploy/<deployment> --replicas=<count>",
        ),
        (
            "kubectl set image deployment/ =",
            "kubectl set image deployment/<deployment> <container>=<image>",
        ),
        ("kubectl create namespace ", "kubectl create namespace <namespace>"),
        ("kubectl label node  disktype=ssd", "kubectl label node <node> disktype=ssd"),
        ("kubectl get  -n ", "kubectl get <resource> -n <namespace>"),
        # Pipelines are repaired command by command.
        (
            "kubectl get pods -n  | grep ",
            "kubectl get pods -n <namespace> | grep <value>",
        ),
        ("$ kubectl describe pod  -n ", "kubectl describe pod <pod> -n <namespace>"),
    ],
)
def test_it_restores_placeholders(damaged: str, repaired: str) -> None:
    result = repair_command(damaged)

    assert result.command == repaired


@pytest.mark.parametrize(
    "complete",
    [
        "kubectl get pods -A --field-selector=status.phase!=Running",
        "kubectl get pods",
        "kubectl get pods -n payments -o wide",
        "kubectl logs -l app=checkout --tail=50",
        "kubectl rollout history deploy/checkout",
        "kubectl get events --sort-by=.lastTimestamp",
        'grep "two  spaces" app.log',
        "helm list -A",
    ],
)
def test_it_leaves_complete_commands_exactly_as_they_are(complete: str) -> None:
    result = repair_command(complete)

    assert result.command == complete
    assert result.fixes == ()
    assert result.guesses == ()


@pytest.mark.parametrize(
    "listing",
    [
        "kubectl get pods",
        "kubectl get svc",
        "kubectl get ns",
        "kubectl get deploy",
        "kubectl get pv",
        "kubectl get crd",
        "kubectl top pod",
        "kubectl top node",
        "kubectl describe pods",
        "kubectl describe node",
        "kubectl get pods -A",
        "kubectl rollout history deploy",
    ],
)
def test_a_single_trailing_space_is_trimmed_never_taken_for_a_lost_name(
    listing: str,
) -> None:
    result = repair_command(listing + " ")

    assert result.command == listing
    assert result.fixes == ()
    assert result.guesses == ()


@pytest.mark.parametrize(
    ("damaged", "guessed"),
    [
        ("kubectl get svc  ", "kubectl get svc <service>"),
        ("kubectl get pods  ", "kubectl get pods <pod>"),
        ("kubectl describe deploy   ", "kubectl describe deploy <deployment>"),
        ("kubectl top pod  ", "kubectl top pod <pod>"),
    ],
)
def test_a_doubled_trailing_space_is_a_name_guessed_with_a_warning(
    damaged: str, guessed: str
) -> None:
    result = repair_command(damaged)

    assert result.command == guessed
    assert result.fixes == ()
    assert len(result.guesses) == 1


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("kubectl get svc  -n ", "kubectl get svc <service> -n <namespace>"),
        ("kubectl get pods  -o wide", "kubectl get pods <pod> -o wide"),
        ("kubectl get svc -n ", "kubectl get svc -n <namespace>"),
    ],
)
def test_a_doubled_space_before_a_flag_or_an_empty_flag_is_a_confident_repair(
    damaged: str, repaired: str
) -> None:
    result = repair_command(damaged)

    assert result.command == repaired
    assert result.guesses == ()


@pytest.mark.parametrize(
    ("damaged", "guessed"),
    [
        (
            "kubectl get pods -l app= -n ",
            "kubectl get pods -l app=<app> -n <namespace>",
        ),
        ("kubectl get pods --selector=app=", "kubectl get pods --selector=app=<app>"),
        (
            "kubectl get pods -l app=web,tier= -o wide",
            "kubectl get pods -l app=web,tier=<tier> -o wide",
        ),
        (
            "kubectl get pods -l 'app.kubernetes.io/name='",
            "kubectl get pods -l 'app.kubernetes.io/name=<name>'",
        ),
        (
            "kubectl get pods -A --field-selector=spec.nodeName=",
            "kubectl get pods -A --field-selector=spec.nodeName=<node>",
        ),
        (
            "kubectl get pods --field-selector status.phase!=",
            "kubectl get pods --field-selector status.phase!=<phase>",
        ),
        ("kubectl logs -l app= --tail=50", "kubectl logs -l app=<app> --tail=50"),
        (
            "kubectl delete pods -l job-name= -n ",
            "kubectl delete pods -l job-name=<job-name> -n <namespace>",
        ),
    ],
)
def test_a_selector_key_without_its_value_gets_a_placeholder_named_after_the_key(
    damaged: str, guessed: str
) -> None:
    result = repair_command(damaged)

    assert result.command == guessed
    assert len(result.guesses) == 1
    assert "selector" in result.guesses[0]


@pytest.mark.parametrize(
    ("damaged", "guessed"),
    [
        ("curl -s  | jq .", "curl -s <value> | jq ."),
        ("helm history  --max 5", "helm history <value> --max 5"),
        ("helm rollback  -n ", "helm rollback <value> -n <value>"),
        ("journalctl -u  --since ", "journalctl -u <value> --since <value>"),
        (
            "kubectl get pods --frobnicate  -o wide",
            "kubectl get pods --frobnicate <value> -o wide",
        ),
        ("kubectl get pods --frobnicate=", "kubectl get pods --frobnicate=<value>"),
    ],
)
def test_it_inserts_value_as_a_guess_where_nothing_can_be_inferred(
    damaged: str, guessed: str
) -> None:
    result = repair_command(damaged)

    assert result.command == guessed
    assert result.guesses
    assert result.fixes == ()


def test_it_explains_each_placeholder_left_to_right() -> None:
    result = repair_command("kubectl logs  -n  --previous")

    assert result.fixes == (
        "<pod> as the pod that logs needs",
        "<namespace> as the value of -n",
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("kubectl get pods", True),
        ("helm list", True),
        ("curl -s http://localhost:8080/healthz", True),
        ("$ kubectl get pods", True),
        ("sudo journalctl -u kubelet", True),
        ("KUBECONFIG=staging.yaml kubectl get nodes", True),
        ("./rollback.sh checkout", True),
        ("Fast triage in Kubernetes incident", False),
        ("Kubectl is the tool you will use most.", False),
        ("Note: run these from the bastion.", False),
        ("Check the pods first", False),
    ],
)
def test_it_tells_commands_from_prose(line: str, expected: bool) -> None:
    assert is_command(line) is expected


@pytest.mark.parametrize(
    ("line", "words", "gaps"),
    [
        (
            "kubectl describe pod  -n ",
            ["kubectl", "describe", "pod", "-n"],
            [0, 0, 0, 1, 1],
        ),
        ("kubectl get pods", ["kubectl", "get", "pods"], [0, 0, 0, 0]),
        ("  echo 'a   b'   ", ["echo", "'a   b'"], [0, 0, 3]),
    ],
)
def test_it_counts_the_words_lost_in_each_gap(
    line: str, words: list[str], gaps: list[int]
) -> None:
    assert tokenize(line) == (words, gaps)
