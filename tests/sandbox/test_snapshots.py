"""The state after a run's latest action, kept in the cache: an action applies to it
instead of replaying the run, and whatever the cache holds or lacks, every state is the
one a full replay of the stored actions gives."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.sandbox import services, snapshots
from portal.sandbox.engine import replay as engine_replay
from portal.sandbox.engine.replay import restored, trimmed
from portal.sandbox.models import Run, Scenario

from .helpers import checkout, play
from .test_replay import LINES

SLUG = "checkout-incident"
# Long waits move the play page's window past earlier steps, which the cached state
# then leaves out.
ACTION_LINES = [*LINES, "wait 15m", "wait 30m", "kubectl get events -n shop"]


@pytest.fixture
def scenario(curriculum: None) -> Scenario:
    return Scenario.objects.get(slug=SLUG)


@pytest.fixture
def run(learner: User, scenario: Scenario) -> Run:
    return services.start_or_resume(learner, scenario)


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many actions each full replay of a run went through."""
    calls: list[int] = []

    def counted(scenario, seed, actions):
        calls.append(len(actions))
        return engine_replay.replay(scenario, seed, actions)

    monkeypatch.setattr(snapshots, "replay", counted)
    return calls


@pytest.fixture
def act(django_capture_on_commit_callbacks) -> Callable[..., services.Outcome]:
    """Take an action and commit it, as a request does: the state after it is cached
    once the transaction commits, which a test's own transaction never does."""

    def act(run: Run, line: str) -> services.Outcome:
        with django_capture_on_commit_callbacks(execute=True):
            return services.add_action(run, line)

    return act


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(st.sampled_from(ACTION_LINES), min_size=1, max_size=16),
    seed=st.integers(min_value=0, max_value=3),
)
def test_states_reached_action_by_action_equal_full_replays(
    learner: User, scenario: Scenario, act, replays: list[int], lines, seed
) -> None:
    cache.clear()
    replays.clear()
    run = Run.objects.create(
        user=learner, scenario=scenario, seed=seed, started_at=timezone.now()
    )
    try:
        taken: list[str] = []
        for line in lines:
            if run.state == Run.State.FINISHED:
                break
            outcome = act(run, line)
            taken.append(line)
            full = play(taken, seed)

            assert restored(outcome.state, full.steps) == full
            assert outcome.step == full.steps[-1]
            assert services.live_view(checkout(), outcome.state) == (
                services.live_view(checkout(), full)
            )
            assert services.run_state(run) == full
        assert replays == []
    finally:
        Run.objects.filter(pk=run.pk).update(state=Run.State.FINISHED)


def test_the_cached_state_keeps_only_the_recent_steps_without_outputs(
    run: Run, act
) -> None:
    lines = ["kubectl get pods -n shop", "wait 40m", "kubectl get pods -n shop"]
    for line in lines:
        outcome = act(run, line)

    full = play(lines, run.seed)
    cached = cache.get(snapshots.head_key(run, 3))
    assert cached.steps_before == 2
    assert [(s.index, s.output) for s in cached.steps] == [(2, "")]
    assert cached == trimmed(full, full.clock - 30 * 60)
    assert cache.get(snapshots.step_key(run, 2)) == outcome.step == full.steps[2]
    assert "checkout-" in outcome.step.output


def test_a_missing_state_is_replayed_from_the_database(
    run: Run, act, replays: list[int]
) -> None:
    act(run, "ack")
    act(run, "kubectl get pods -n shop")
    cache.clear()  # another app server, or a restart: nothing but the database remains

    outcome = act(run, "wait 3m")

    full = play(["ack", "kubectl get pods -n shop", "wait 3m"], run.seed)
    assert replays == [2]
    assert restored(outcome.state, full.steps) == full
    assert act(run, "declare").state.declared_at is not None
    assert replays == [2]


def test_a_state_cached_for_another_version_of_the_scenario_is_not_used(
    run: Run, act, replays: list[int]
) -> None:
    act(run, "ack")
    act(run, "wait 5m")
    wrong = play(["ack", "wait 20m"], run.seed)
    cache.set(snapshots.head_key(run, 2), wrong)

    Scenario.objects.filter(pk=run.scenario_id).update(
        loaded_at=run.scenario.loaded_at + datetime.timedelta(seconds=1)
    )
    reloaded = Run.objects.select_related("scenario").get(pk=run.pk)
    outcome = services.add_action(reloaded, "declare")

    full = play(["ack", "wait 5m", "declare"], run.seed)
    assert replays == [2]
    assert restored(outcome.state, full.steps) == full


def test_a_value_in_the_cache_that_is_no_state_is_a_miss(
    run: Run, act, replays: list[int]
) -> None:
    act(run, "ack")
    cache.set(snapshots.head_key(run, 1), "not a state")
    cache.set(snapshots.step_key(run, 0), "not a step")

    state = services.run_state(run)

    assert replays == [1]
    assert state == play(["ack"], run.seed)


def test_a_state_pickled_by_another_version_of_the_engine_is_a_miss(
    run: Run, act, replays: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    act(run, "ack")

    def unpickle(key: str) -> object:
        raise AttributeError("Can't get attribute 'RunState' on <module>")

    monkeypatch.setattr(snapshots.cache, "get", unpickle)
    outcome = services.add_action(run, "declare")

    assert replays == [1]
    assert outcome.state.declared_at == outcome.step.at == 15


def test_missing_steps_rebuild_the_whole_state(
    run: Run, act, replays: list[int]
) -> None:
    lines = ["ack", "kubectl get pods -n shop", "wait 45m", "declare"]
    for line in lines:
        act(run, line)
    cache.delete(snapshots.step_key(run, 0))

    state = services.run_state(run)

    assert replays == [4]
    assert state == play(lines, run.seed)
    assert services.run_state(run) == state
    assert replays == [4]


def test_a_repeated_post_answers_with_the_step_it_repeats(run: Run, act) -> None:
    act(run, "kubectl get pods -n shop")
    act(run, "wait 45m")
    first = services.add_action(run, "declare", index=2, token="t" * 32)

    again = services.add_action(run, "declare", index=2, token="t" * 32)

    assert again.duplicate
    assert again.step == first.step
    cache.delete(snapshots.step_key(run, 0))
    old = services.add_action(run, "kubectl get pods -n shop", index=0)
    assert old.duplicate and old.step.index == 0 and "checkout-" in old.step.output


def test_an_action_on_a_run_read_before_another_one_is_worked_out_again(
    run: Run, act
) -> None:
    read_earlier = Run.objects.select_related("scenario").get(pk=run.pk)
    act(run, "ack")

    outcome = services.add_action(read_earlier, "declare")

    full = play(["ack", "declare"], run.seed)
    assert outcome.step.index == 1
    assert restored(outcome.state, full.steps) == full
    assert list(run.actions.values_list("text", flat=True)) == ["ack", "declare"]


def test_an_action_on_a_run_ended_meanwhile_is_refused(run: Run) -> None:
    read_earlier = Run.objects.select_related("scenario").get(pk=run.pk)
    services.end_run(run)

    with pytest.raises(services.RunError, match="finished"):
        services.add_action(read_earlier, "ack")

    assert not run.actions.exists()


def test_a_run_that_keeps_moving_is_waited_for_under_its_lock(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    try_action = services._try_action
    tries: list[str] = []

    def moved_until_locked(run: Run, text: str, index, token) -> services.Outcome:
        tries.append(text)
        if len(tries) <= services.ATTEMPTS:
            raise services._Moved
        return try_action(run, text, index, token)

    monkeypatch.setattr(services, "_try_action", moved_until_locked)

    outcome = services.add_action(run, "ack")

    assert tries == ["ack"] * (services.ATTEMPTS + 1)
    assert outcome.state.acked_at == 0
    assert list(run.actions.values_list("text", flat=True)) == ["ack"]


def test_an_action_rolled_back_is_never_cached(
    run: Run, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.add_action(run, "wait 5m")
        raise RuntimeError("the request failed after the action")

    run.refresh_from_db()
    assert callbacks == []
    assert run.action_count == 0
    assert cache.get(snapshots.head_key(run, 1)) is None


def test_the_command_request_neither_parses_nor_loads_the_scenario(
    learner_client: Client, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/runs/{run.pk}/actions/"
    data = {"kind": "command", "command": "kubectl get pods -n shop"}
    learner_client.post(url, data, HTTP_HX_REQUEST="true")
    parsed: list[object] = []
    monkeypatch.setattr(services, "load_scenario", parsed.append)

    with CaptureQueriesContext(connection) as queries:
        response = learner_client.post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert parsed == []
    assert not any('"sandbox_scenario"."data"' in q["sql"] for q in queries)
