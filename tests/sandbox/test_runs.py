"""Scripted runs end to end: a model response, a poor one, and a classic pitfall."""

from __future__ import annotations

from portal.sandbox.engine import incident
from portal.sandbox.engine.debrief import debrief
from portal.sandbox.engine.scoring import score
from portal.sandbox.engine.view import snapshot

from .helpers import checkout, play, script


def test_a_model_run_scores_at_least_90_and_restores_within_30_minutes() -> None:
    state = play(script("model.txt"))

    result = score(checkout(), state)

    assert result.total >= 90
    restore = next(t for t in result.times if t.name == "time_to_restore")
    assert restore.seconds is not None and restore.seconds <= 30 * 60
    assert restore.end is not None and restore.end <= 30 * 60
    assert result.penalties == ()


def test_a_model_run_reports_both_meanings_of_mttr() -> None:
    result = score(checkout(), play(script("model.txt")))

    times = {t.name: t for t in result.times}
    assert times["time_to_restore"].start_event == "customer impact began"
    assert times["time_to_resolve"].start_event == "page sent"
    assert "restore" in times["time_to_restore"].label
    assert "resolve" in times["time_to_resolve"].label


def test_a_poor_run_scores_under_40() -> None:
    state = play(script("poor.txt"))

    result = score(checkout(), state)

    assert result.total < 40
    items = {i.id: i for i in result.items}
    assert items["acknowledge"].points == 0
    assert items["severity"].points == 0
    assert items["commander"].points == 0
    assert items["status_cadence"].points == 0
    assert result.impact.end is None


def test_a_poor_run_escalates_to_the_second_and_third_levels_at_the_timeouts() -> None:
    state = play(script("poor.txt"))

    sent = incident.notifications(checkout(), state, state.clock)

    escalations = [(n.at, n.person, n.level) for n in sent if n.reason == "escalation"]
    assert escalations == [(5 * 60, "priya", 2), (15 * 60, "marcus", 3)]


def test_an_unacknowledged_page_repeats_the_policy_then_stops() -> None:
    state = play(["wait 2h"])

    sent = incident.notifications(checkout(), state, state.clock)

    assert [(n.at // 60, n.level) for n in sent] == [
        (0, 1), (5, 2), (15, 3), (30, 1), (35, 2), (45, 3)
    ]  # fmt: skip


def test_acknowledging_stops_escalation() -> None:
    state = play(["wait 4m", "ack", "wait 1h"])

    sent = incident.notifications(checkout(), state, state.clock)

    assert [n.level for n in sent] == [1]


def test_restarts_only_help_for_a_few_minutes() -> None:
    state = play(["kubectl rollout restart deployment/checkout -n shop", "wait 40m"])

    result = score(checkout(), state)

    assert result.impact.end is None
    assert "restart-temporary" in {pid for _, pid in state.pitfalls}


def test_the_phase_selector_never_finds_the_crashing_pods() -> None:
    state = play(script("phase-selector.txt"))

    outputs = [s.output for s in state.steps if s.kind == "kubectl"]
    assert all("checkout" not in output for output in outputs)
    assert any(pid == "phase-selector" for _, pid in state.pitfalls)
    page = snapshot(checkout(), state)
    assert page["pitfalls"][0]["title"].startswith("Why did my field selector")
    evidence = dict(score(checkout(), state).evidence)
    assert evidence["crashloop"] is None


def test_rolling_back_the_wrong_deployment_changes_nothing_and_costs_points() -> None:
    state = play(["kubectl rollout undo deployment/cart -n shop", "wait 40m"])

    result = score(checkout(), state)

    assert result.impact.end is None
    assert [p.id for p in result.penalties] == ["penalty:rollback-other"]
    assert "wrong-rollback" in {pid for _, pid in state.pitfalls}


def test_shifting_a_moderate_share_cuts_errors_and_too_much_overloads() -> None:
    from portal.sandbox.engine import metrics

    scenario = checkout()
    base = play(["wait 40m"])
    moderate = play(["shift-traffic 30", "wait 40m"])
    heavy = play(["shift-traffic 90", "wait 40m"])

    def mean_errors(state):
        points = metrics.series(
            scenario, state.cluster, state.traffic, 5 * 60, state.clock
        )
        return sum(p.error_rate for p in points) / len(points)

    def healthy_region(state):
        points = metrics.series(
            scenario, state.cluster, state.traffic, 5 * 60, state.clock
        )
        return max(p.healthy_region_error_rate for p in points)

    assert mean_errors(moderate) < 0.7 * mean_errors(base)
    assert healthy_region(moderate) < 0.01
    assert healthy_region(heavy) > 0.05


def test_a_run_offers_a_debrief_with_alternatives_and_a_postmortem() -> None:
    state = play(script("model.txt"))

    result = debrief(checkout(), state)

    first = result["decisions"][0]
    assert first["chosen"]["id"] == "shift"
    assert {a["id"] for a in first["alternatives"]} >= {"rollback", "restart", "scale"}
    markdown = result["postmortem_markdown"]
    for heading in ("## Overview", "## Impact", "## Timeline (UTC)", "## What went well",
                    "## What went badly", "## Contributing factors", "## Action items"):  # fmt: skip
        assert heading in markdown


def test_the_snapshot_shows_what_the_run_page_needs() -> None:
    state = play(["ack", "declare", "severity SEV2", "page priya", "wait 5m",
                  "assign ic priya", 'status customer "Investigating"'])  # fmt: skip

    page = snapshot(checkout(), state)

    assert page["clock"] == "02:09:30"
    assert page["incident"]["roles"] == {"ic": "Priya Natarajan"}
    assert page["incident"]["severity"] == "SEV2"
    assert page["status_page"]["next_due"] == "02:22:30"
    assert page["pager"]["alerts"][0]["name"] == "CheckoutHighErrorRate"
    assert len(page["metrics"]) == 24


def test_findings_arrive_after_the_time_needed() -> None:
    state = play(
        ["declare", "page dana", "wait 6m", "investigate dana 15m", "wait 11m"]
    )
    early = snapshot(checkout(), state)
    state = play(
        ["declare", "page dana", "wait 6m", "investigate dana 15m", "wait 13m"]
    )
    late = snapshot(checkout(), state)

    assert early["findings"] == []
    assert late["findings"][0]["complete"] is True
    assert "cache" in late["findings"][0]["text"]


def test_a_short_time_box_gives_a_partial_finding() -> None:
    state = play(["declare", "page dana", "wait 6m", "investigate dana 5m", "wait 6m"])

    finding = snapshot(checkout(), state)["findings"][0]

    assert finding["complete"] is False


def test_roles_need_someone_on_the_bridge() -> None:
    state = play(["declare", "page priya", "assign ic priya"])

    step = state.steps[-1]
    assert not step.ok
    assert "has not joined the bridge yet" in step.output
