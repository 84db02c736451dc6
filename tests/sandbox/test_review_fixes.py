"""Regression tests for the sandbox review: each fails without its fix."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from portal.sandbox import services
from portal.sandbox.engine import incident
from portal.sandbox.engine.actions import ActionError, parse_action
from portal.sandbox.engine.kubectl import run as kubectl
from portal.sandbox.engine.replay import apply, new_run, next_action
from portal.sandbox.engine.scoring import score
from portal.sandbox.forms import StatusForm
from portal.sandbox.models import Run, RunAction, Scenario
from tests.conftest import LESSONS_DIR

from .helpers import checkout, play

SLUG = "checkout-incident"
ROLLBACK = "kubectl rollout undo deploy/checkout -n shop"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _item(state, item_id):
    return next(i for i in score(checkout(), state).items if i.id == item_id)


# 1. Restore and resolve do not depend on what happens after resolving.


def test_restore_and_resolve_score_without_a_quiet_window_after_the_run() -> None:
    state = play(["ack", ROLLBACK, "wait 6m", "declare", "mitigated", "resolve"])
    result = score(checkout(), state)
    assert result.impact.end is not None
    assert result.impact.end <= state.resolved_at
    assert _item(state, "restore").points > 0
    assert _item(state, "resolve").points == _item(state, "resolve").max_points


def test_no_action_is_accepted_after_resolve() -> None:
    state = play(["ack", "declare", "resolve"])
    with pytest.raises(ActionError, match="resolved"):
        apply(checkout(), state, next_action(state, "wait 15m"))


def test_resolve_and_mitigated_need_a_declared_incident() -> None:
    state = play(["ack", "mitigated", "resolve"])
    assert [s.ok for s in state.steps] == [True, False, False]
    assert "Declare the incident first" in state.steps[1].output
    assert "Declare the incident first" in state.steps[2].output
    assert state.resolved_at is None and state.mitigated_at is None


# 2. The phase-selector pitfall fires only for a status.phase selector.


@pytest.mark.parametrize(
    "line",
    [
        "kubectl get pods -n shop -l app=cart",
        "kubectl get pods -n shop -l app!=checkout",
        "kubectl get pods -n shop --field-selector=spec.nodeName=worker-1",
        "kubectl get pods -n shop --field-selector=metadata.name=nothing",
    ],
)
def test_other_filters_do_not_fire_the_phase_pitfall(line: str) -> None:
    state = play(["wait 3m", line])
    assert "phase-selector" not in state.steps[-1].pitfalls


def test_a_phase_selector_hiding_crashing_pods_fires_the_pitfall() -> None:
    state = play(
        ["wait 3m", "kubectl get pods -n shop --field-selector=status.phase!=Running"]
    )
    assert "phase-selector" in state.steps[-1].pitfalls


# 3. Status cadence counts from the declaration, like the status page.


def test_cadence_counts_windows_from_the_declaration() -> None:
    state = play(["wait 20m", "declare", 'status customer "Checkout is failing"',
                  "wait 10m"])  # fmt: skip
    item = _item(state, "status_cadence")
    assert item.points == item.max_points
    assert "from the declaration" in item.note


def test_cadence_without_a_declaration_scores_zero_with_the_reason() -> None:
    state = play(['status customer "Checkout is failing"', "wait 10m"])
    item = _item(state, "status_cadence")
    assert item.points == 0
    assert "never declared" in item.note


# 4. Escalating past the end of the policy says so.


def test_escalate_after_the_policy_is_exhausted_says_so() -> None:
    scenario = checkout()
    policy = scenario.escalation
    state = new_run(scenario)
    for _ in range(len(policy.levels) * (policy.repeats + 1) - 1):
        state = apply(scenario, state, next_action(state, "escalate"))
    assert all(step.ok for step in state.steps)
    before = incident.notifications(scenario, state, state.clock)
    state = apply(scenario, state, next_action(state, "escalate"))
    last = state.steps[-1]
    assert not last.ok
    assert "no further level" in last.output
    assert incident.notifications(scenario, state, state.clock) == before
    assert len(state.escalations) == len(state.steps) - 1


# 6. kubectl fidelity.


@pytest.mark.parametrize(
    "line",
    [
        "kubectl get pods -n shop | grep checkout",
        "kubectl get pods -n shop > pods.txt",
        "kubectl get pods -n shop; kubectl get events",
        "kubectl get pods -n shop && echo ok",
        "kubectl get pods -n shop # the pods",
    ],
)
def test_shell_syntax_is_refused_clearly(line: str) -> None:
    state = play([line])
    assert not state.steps[0].ok
    assert "shell syntax" in state.steps[0].output


def test_get_all_lists_the_workload_kinds() -> None:
    scenario = checkout()
    result = kubectl(
        scenario, new_run(scenario).cluster, 0, "kubectl get all -n shop", "s"
    )
    assert result.ok
    for prefix in ("pod/", "service/", "deployment.apps/", "replicaset.apps/"):
        assert prefix in result.output


def test_set_based_selectors_work_and_bad_ones_answer_like_kubectl() -> None:
    scenario = checkout()
    cluster = new_run(scenario).cluster
    line = "kubectl get pods -n shop -l 'app in (checkout,cart)' -o name"
    names = kubectl(scenario, cluster, 0, line, "s").output.split()
    assert names and all(n.startswith("pod/") for n in names)
    notin = "kubectl get pods -n shop -l 'app notin (checkout,cart)' -o name"
    left = set(kubectl(scenario, cluster, 0, notin, "s").output.split())
    assert not left & set(names)
    bad = kubectl(scenario, cluster, 0, "kubectl get pods -n shop -l 'app (x)'", "s")
    assert not bad.ok and "unable to parse requirement" in bad.output


# 7. The clock shows the day and a run has a maximum length.


def test_the_clock_shows_the_day_after_midnight_and_runs_are_capped() -> None:
    clock = checkout().clock
    assert clock.hhmmss(0) == "02:00:00"
    assert clock.hhmmss(23 * 3600) == "Day 2 01:00:00"
    state = play(["wait 4h"] * 6)
    with pytest.raises(ActionError, match="at most 24h"):
        apply(checkout(), state, next_action(state, "wait 1m"))


# 8. play_scenario refuses non-UTF-8 scripts and durations without a unit.


def test_play_scenario_refuses_non_utf8_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b'ack\nstatus internal "caf\xe9"\n')
    with pytest.raises(CommandError, match=r"bad\.txt:2: not UTF-8"):
        call_command("play_scenario", SLUG, script=str(path))


def test_a_duration_without_a_unit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ActionError, match="unit"):
        parse_action("wait 5")
    path = tmp_path / "wait.txt"
    path.write_text("ack\nwait 5\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"wait\.txt:2: wait: give the duration"):
        call_command("play_scenario", SLUG, script=str(path))


# 9. Debrief wording.


def test_rubric_notes_read_well_when_nothing_happened() -> None:
    state = play(["declare", "wait 20m"])
    assert _item(state, "commander").note == "no incident commander was named"
    assert "no customer update was posted" in _item(state, "status_cadence").note


def test_a_customer_update_needs_a_next_update_time() -> None:
    data = {"kind": "status", "audience": "customer", "impact": "Checkout fails",
            "current_action": "Rolling back", "next_update": ""}  # fmt: skip
    form = StatusForm(data, scenario=checkout())
    assert not form.is_valid()
    assert "next_update" in form.errors
    internal = StatusForm({**data, "audience": "internal"}, scenario=checkout())
    assert internal.is_valid()


# 1 and 5 in the web layer.


@pytest.fixture
def scenario(curriculum: None) -> Scenario:
    return Scenario.objects.select_related("lesson").get(slug=SLUG)


@pytest.fixture
def run(learner: User, scenario: Scenario) -> Run:
    return services.start_or_resume(learner, scenario)


def test_the_same_token_stores_one_action_whatever_the_index(run: Run) -> None:
    token = uuid.uuid4().hex
    first = services.add_action(run, "wait 5m", index=0, token=token)
    again = services.add_action(run, "wait 5m", index=None, token=token)
    stale = services.add_action(run, "wait 5m", index=0, token=token)
    assert not first.duplicate and again.duplicate and stale.duplicate
    assert RunAction.objects.filter(run=run).count() == 1


def test_a_stale_page_is_refused_and_stores_nothing(run: Run) -> None:
    services.add_action(run, "wait 5m", index=0, token=uuid.uuid4().hex)
    with pytest.raises(services.RunError, match="out of date"):
        services.add_action(run, "ack", index=0, token=uuid.uuid4().hex)
    assert RunAction.objects.filter(run=run).count() == 1


def test_actions_after_resolve_are_refused_in_the_web_layer(run: Run) -> None:
    for line in ("ack", "declare", "resolve"):
        services.add_action(run, line)
    with pytest.raises(services.RunError):
        services.add_action(run, "wait 5m")
    assert RunAction.objects.filter(run=run).count() == 3


def test_a_stale_post_through_the_view_shows_the_current_state(
    learner_client: Client, run: Run
) -> None:
    url = reverse("sandbox:run-action", args=[run.pk])
    data = {"kind": "wait", "minutes": "5", "index": "0"}
    learner_client.post(url, {**data, "token": uuid.uuid4().hex})
    response = learner_client.post(
        url, {**data, "token": uuid.uuid4().hex}, HTTP_HX_REQUEST="true"
    )
    assert response.headers["HX-Refresh"] == "true"
    assert RunAction.objects.filter(run=run).count() == 1
    page = learner_client.get(reverse("sandbox:run", args=[run.pk])).content.decode()
    assert "out of date" in page


def test_a_form_kept_by_htmx_still_takes_new_actions(run: Run) -> None:
    token = uuid.uuid4().hex
    services.add_action(run, "wait 5m", index=0, token=token)
    second = services.add_action(run, "wait 5m", index=1, token=token)
    assert not second.duplicate
    assert RunAction.objects.filter(run=run).count() == 2


def test_the_play_page_renders_a_token_per_form(
    learner_client: Client, run: Run
) -> None:
    html = learner_client.get(reverse("sandbox:run", args=[run.pk])).content.decode()
    assert html.count('name="token"') >= 10


# 10. Concurrent posts to the same run.


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_store_one_action_per_token(learner: User) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database is not shared across threads")
    call_command("load_curriculum", lessons_dir=LESSONS_DIR, verbosity=0)
    scenario = Scenario.objects.get(slug=SLUG)
    run = services.start_or_resume(learner, scenario)
    tokens = [uuid.uuid4().hex for _ in range(3)]
    statuses: list[int] = []

    def post(token: str) -> None:
        client = Client()
        client.force_login(learner)
        data = {"kind": "wait", "minutes": "1", "token": token}
        statuses.append(
            client.post(reverse("sandbox:run-action", args=[run.pk]), data).status_code
        )
        connection.close()

    threads = [threading.Thread(target=post, args=(t,)) for t in tokens * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 500 not in statuses
    stored = list(RunAction.objects.filter(run=run).values_list("token", flat=True))
    assert sorted(stored) == sorted(tokens)


def test_the_debrief_states_the_cadence_rule_and_a_run_without_updates(
    learner, learner_client, curriculum
) -> None:
    from portal.sandbox import services
    from portal.sandbox.models import Scenario

    run = services.start_or_resume(
        learner, Scenario.objects.get(slug="checkout-incident")
    )
    for line in ["ack", "declare", "resolve"]:
        services.add_action(run, line)

    html = learner_client.get(f"/runs/{run.pk}/debrief/").content.decode()

    assert "No customer update was posted" in html
    assert "None minutes" not in html
    assert "from the page to the resolution" not in html
