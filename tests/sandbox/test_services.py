"""Runs stored as their actions: start, resume, append, finish."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from portal.progress.models import ScenarioResult
from portal.sandbox import services
from portal.sandbox.engine.replay import replay
from portal.sandbox.engine.scoring import score
from portal.sandbox.models import Run, RunAction, Scenario

from .helpers import checkout, play, script

SLUG = "checkout-incident"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scenario(curriculum: None) -> Scenario:
    return Scenario.objects.select_related("lesson").get(slug=SLUG)


@pytest.fixture
def run(learner: User, scenario: Scenario) -> Run:
    return services.start_or_resume(learner, scenario)


def test_it_starts_a_run_with_a_seed_and_no_actions(run: Run, learner: User) -> None:
    assert run.user == learner
    assert run.state == Run.State.ACTIVE
    assert run.action_count == 0
    assert 0 <= run.seed < 2**31


def test_it_resumes_the_active_run(run: Run, learner: User, scenario: Scenario) -> None:
    again = services.start_or_resume(learner, scenario)

    assert again.pk == run.pk
    assert Run.objects.count() == 1


def test_it_starts_a_new_run_after_the_last_one_finished(
    run: Run, learner: User, scenario: Scenario
) -> None:
    services.end_run(run)

    again = services.start_or_resume(learner, scenario)

    assert again.pk != run.pk
    assert Run.objects.filter(state=Run.State.ACTIVE).count() == 1


def test_each_learner_has_their_own_run(
    run: Run, other_learner: User, scenario: Scenario
) -> None:
    theirs = services.start_or_resume(other_learner, scenario)

    assert theirs.pk != run.pk


def test_it_appends_actions_with_their_simulated_time(run: Run) -> None:
    services.add_action(run, "ack")
    outcome = services.add_action(run, "kubectl get pods -n shop")

    rows = list(RunAction.objects.filter(run=run).values_list("index", "text", "at"))
    assert rows == [(0, "ack", 0), (1, "kubectl get pods -n shop", 15)]
    assert outcome.run.action_count == 2
    assert "checkout-" in outcome.step.output
    run.refresh_from_db()
    assert run.action_count == 2


def test_a_double_submit_stores_one_action(run: Run) -> None:
    first = services.add_action(run, "wait 5m", index=0)
    second = services.add_action(run, "wait 5m", index=0)

    assert RunAction.objects.filter(run=run).count() == 1
    assert second.duplicate
    assert second.state.clock == first.state.clock == 300


def test_the_same_text_from_a_fresh_page_is_a_new_action(run: Run) -> None:
    services.add_action(run, "wait 5m", index=0)
    services.add_action(run, "wait 5m", index=1)

    assert RunAction.objects.filter(run=run).count() == 2


def test_an_action_error_stores_nothing(run: Run) -> None:
    with pytest.raises(services.RunError, match="severity: expected SEV1"):
        services.add_action(run, "severity SEV9")

    run.refresh_from_db()
    assert run.action_count == 0
    assert not RunAction.objects.exists()


def test_a_refused_action_is_stored_because_it_happened(run: Run) -> None:
    outcome = services.add_action(run, "assign ic priya")

    assert not outcome.step.ok
    assert "Declare the incident first" in outcome.step.output
    assert RunAction.objects.filter(run=run).count() == 1


def test_the_state_is_rebuilt_from_the_database_without_the_cache(run: Run) -> None:
    lines = ["ack", "declare", "kubectl get pods -n shop", "wait 3m"]
    for line in lines:
        services.add_action(run, line)
    run.refresh_from_db()
    cached = services.run_state(run)
    cache.clear()

    rebuilt = services.run_state(run)

    assert rebuilt == cached == play(lines, seed=run.seed)


def test_resolving_finishes_the_run_and_records_the_score(
    run: Run, learner: User
) -> None:
    lines = script("model.txt")
    for line in lines:
        services.add_action(run, line)

    run.refresh_from_db()
    expected = score(checkout(), play(lines, seed=run.seed)).total
    assert run.state == Run.State.FINISHED
    assert run.finished_at is not None
    assert run.total_score == expected >= 90
    assert run.score["total"] == expected
    result = ScenarioResult.objects.get(progress__user=learner, scenario_slug=SLUG)
    assert result.best_score == expected


def test_a_finished_run_takes_no_more_actions(run: Run) -> None:
    services.add_action(run, "declare")
    services.add_action(run, "resolve")

    with pytest.raises(services.RunError, match="finished"):
        services.add_action(run, "ack")

    assert RunAction.objects.filter(run=run).count() == 2


def test_ending_a_run_scores_it_where_it_stands(run: Run, learner: User) -> None:
    services.add_action(run, "ack")

    ended = services.end_run(run)

    assert ended.state == Run.State.FINISHED
    assert ended.total_score is not None
    assert ScenarioResult.objects.filter(progress__user=learner).count() == 1


def test_the_timeline_gets_only_what_an_action_added(run: Run) -> None:
    services.add_action(run, "wait 4m")

    outcome = services.add_action(run, "wait 2m")

    added = services.new_timeline(checkout(), outcome.before, outcome.state)
    assert [(e["at"], e["text"]) for e in added] == [
        ("02:05:00", "Paged Priya Natarajan (level 2 escalation)")
    ]


def test_the_live_view_charts_a_window_not_the_whole_run(run: Run) -> None:
    state = replay(checkout(), run.seed, [])
    for _ in range(8):
        state = services.add_action(run, "wait 15m").state

    live = services.live_view(checkout(), state)

    assert len(live["points"]) == 30
    assert live["window_start"] == "03:30"
