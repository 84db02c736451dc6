"""The scenario file validates, and problems name their key path."""

from __future__ import annotations

import pytest

from portal.sandbox.engine.scenario import ScenarioError, load_scenario

from .helpers import checkout, scenario_data


def test_the_checkout_scenario_loads() -> None:
    scenario = checkout()

    assert scenario.slug == "checkout-incident"
    assert scenario.clock.hhmmss(0) == "02:00:00"
    assert sum(item.points for item in scenario.rubric) == 100
    revision = scenario.cluster.deployment("shop", "checkout").revisions[-1]
    assert (revision.number, revision.behaviour) == (7, "oom")
    assert scenario.clock.hhmmss(revision.created) == "01:52:00"


def test_a_wrong_type_names_its_key_path() -> None:
    data = scenario_data()
    data["cluster"]["deployments"][2]["revisions"][0]["image"] = 5

    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)

    assert caught.value.problems == [
        (
            ("cluster", "deployments", 2, "revisions", 0, "image"),
            "expected text, got int (quote it)",
        )
    ]
    assert str(caught.value) == (
        "cluster.deployments[2].revisions[0].image: expected text, got int (quote it)"
    )


def test_an_unquoted_time_is_refused_rather_than_read_as_a_number() -> None:
    data = scenario_data()
    data["cluster"]["deployments"][0]["revisions"][2]["created"] = 112  # YAML's 01:52

    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)

    assert caught.value.problems[0][0] == (
        "cluster",
        "deployments",
        0,
        "revisions",
        2,
        "created",
    )


def test_every_problem_is_reported_at_once() -> None:
    data = scenario_data()
    data["people"][1]["name"] = False
    data["escalation_policy"]["levels"][1]["targets"] = ["nobody"]
    del data["severities"]["expected"]
    data["scoring"]["rubric"][0]["points"] = 11

    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)

    paths = [path for path, _ in caught.value.problems]
    assert ("people", 1, "name") in paths
    assert ("escalation_policy", "levels", 1, "targets", 0) in paths
    assert ("severities", "expected") in paths
    assert ("scoring", "rubric") in paths


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(ScenarioError):
        load_scenario(["not", "a", "scenario"])


def test_the_engine_imports_no_django() -> None:
    import pathlib

    engine = pathlib.Path(__file__).resolve().parents[2] / "portal/sandbox/engine"
    for path in engine.rglob("*.py"):
        assert "django" not in path.read_text(encoding="utf-8"), path
