"""The emulator refuses bad commands with kubectl's own messages."""

from __future__ import annotations

import pytest

from .helpers import play

CASES = [
    (
        "kubectl get foo -n shop",
        'error: the server doesn\'t have a resource type "foo"',
    ),
    (
        "kubectl describe widgets x",
        'error: the server doesn\'t have a resource type "widgets"',
    ),
    (
        "kubectl get pods nope -n shop",
        'Error from server (NotFound): pods "nope" not found',
    ),
    (
        "kubectl describe deploy nope -n shop",
        'Error from server (NotFound): deployments.apps "nope" not found',
    ),
    (
        "kubectl rollout undo deployment/checkout",
        'Error from server (NotFound): deployments.apps "checkout" not found',
    ),
    (
        "kubectl logs -p payments-59fbd7c84-5d5qm -n shop",
        'Error from server (BadRequest): previous terminated container "payments" in pod '
        '"payments-59fbd7c84-5d5qm" not found',
    ),
    (
        "kubectl get pods --bogus",
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.",
    ),
    (
        "kubectl get pods -n shop -p",
        "error: unknown shorthand flag: 'p' in -p\nSee 'kubectl get --help' for usage.",
    ),
    (
        "kubectl logs checkout-7c9d8f6b5-wtbpb -n shop --tail=ten",
        'error: invalid argument "ten" for "--tail" flag: strconv.ParseInt: parsing "ten": '
        "invalid syntax",
    ),
    ("kubectl get pods -n", "error: flag needs an argument: 'n' in -n"),
    ("kubectl rollout undo -n shop", "error: required resource not specified"),
    (
        "kubectl rollout undo deployment -n shop",
        "error: resource(s) were provided, but no name was specified",
    ),
    (
        "kubectl rollout undo deployment/checkout -n shop --to-revision=9",
        "error: unable to find specified revision 9 in history",
    ),
    (
        "kubectl rollout undo pod/checkout-7c9d8f6b5-wtbpb -n shop",
        'error: no rollbacker has been implemented for "Pod"',
    ),
    (
        "kubectl scale deployment/checkout -n shop",
        'error: required flag(s) "replicas" not set',
    ),
    (
        "kubectl logs checkout-7c9d8f6b5-wtbpb -n shop -c sidecar",
        "error: container sidecar is not valid for pod checkout-7c9d8f6b5-wtbpb",
    ),
    (
        "kubectl set image deployment/checkout app=x:1 -n shop",
        'error: unable to find container named "app"',
    ),
    ("kubectl frobnicate", 'error: unknown command "frobnicate" for "kubectl"'),
    (
        "kubectl get pods -n shop --field-selector=spec.foo=bar",
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match '
        'label selector "", field selector "spec.foo=bar": field label not supported: '
        "spec.foo",
    ),
    (
        "kubectl get pods -n shop -o jsonpath={.items}",
        "error: unable to match a printer",
    ),
]


@pytest.mark.parametrize(("line", "message"), CASES)
def test_it_answers_with_kubectls_error(line: str, message: str) -> None:
    state = play([line])

    step = state.steps[-1]
    assert not step.ok
    assert step.output.startswith(message)


def test_it_requires_a_pod_for_logs() -> None:
    step = play(["kubectl logs -n shop"]).steps[-1]

    assert step.output.splitlines()[1] == (
        "POD or TYPE/NAME is a required argument for the logs command"
    )


def test_it_requires_a_resource_type_for_get() -> None:
    step = play(["kubectl get"]).steps[-1]

    assert "error: Required resource not specified." in step.output


def test_it_finds_nothing_in_the_default_namespace_and_explains_why() -> None:
    state = play(["kubectl get pods"])

    assert state.steps[-1].output == "No resources found in default namespace."
    assert state.steps[-1].pitfalls == ("default-namespace",)


def test_it_finds_nothing_in_a_namespace_that_does_not_exist() -> None:
    step = play(["kubectl get pods -n shopp"]).steps[-1]

    assert step.ok
    assert step.output == "No resources found in shopp namespace."


def test_it_skips_an_undo_to_the_current_template() -> None:
    step = play(
        ["kubectl rollout undo deployment/checkout -n shop --to-revision=7"]
    ).steps[-1]

    assert step.output == (
        "deployment.apps/checkout skipped rollback (current template already matches "
        "revision 7)"
    )


def test_errors_cost_no_cluster_change() -> None:
    state = play(["kubectl rollout undo deployment/checkout -n shop --to-revision=9"])

    assert state.changes == ()
    assert state.clock == 30


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "kubectl logs <pod> -n shop --previous",
            "error: <pod> is a placeholder from the lesson: replace it, brackets "
            "included, with a real pod name (see kubectl get pods -A).",
        ),
        (
            "kubectl describe pod checkout-7c9d8f6b5-wtbpb -n <namespace>",
            "error: <namespace> is a placeholder from the lesson: replace it, brackets "
            "included, with a real namespace name (see the NAMESPACE column of "
            "kubectl get pods -A).",
        ),
        (
            "kubectl rollout undo deploy/<deployment> -n shop",
            "error: <deployment> is a placeholder from the lesson: replace it, "
            "brackets included, with a real deployment name (see kubectl get "
            "deployments -A).",
        ),
        (
            "kubectl get pods -l app=<label>",
            "error: <label> is a placeholder from the lesson: replace it, brackets "
            "included, with a real label name.",
        ),
    ],
)
def test_a_command_copied_with_its_placeholder_says_to_replace_it(
    line: str, message: str
) -> None:
    step = play([line]).steps[-1]

    assert not step.ok
    assert step.output == message


def test_a_redirection_without_a_placeholder_is_still_shell_syntax() -> None:
    step = play(["kubectl get pods -n shop > pods.txt"]).steps[-1]

    assert "shell syntax" in step.output
