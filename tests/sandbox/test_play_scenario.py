"""The headless `play_scenario` command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import SCRIPTS


def _play(script: Path, *extra: str) -> dict:
    out = StringIO()
    call_command(
        "play_scenario",
        "checkout-incident",
        "--script",
        str(script),
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_it_prints_the_transcript_and_the_score() -> None:
    result = _play(SCRIPTS / "model.txt")

    assert result["scenario"] == "checkout-incident"
    assert result["transcript"][0] == {
        "line": 2, "at": "02:00:00", "action": "ack",
        "output": "Page acknowledged; escalation stopped.", "ok": True, "cost_seconds": 15,
        "pitfalls": [],
    }  # fmt: skip
    assert result["score"]["total"] >= 90
    assert "## Timeline (UTC)" in result["debrief"]["postmortem_markdown"]


def test_it_shows_the_escalations_of_a_poor_run() -> None:
    result = _play(SCRIPTS / "poor.txt")

    levels = [(n["at"], n["level"]) for n in result["pager"]["notifications"]]
    assert levels == [("02:00:00", 1), ("02:05:00", 2), ("02:15:00", 3)]
    assert result["score"]["total"] < 40


def test_it_explains_the_phase_selector_pitfall() -> None:
    result = _play(SCRIPTS / "phase-selector.txt")

    assert "phase-selector" in result["transcript"][3]["pitfalls"]


def test_the_seed_is_accepted() -> None:
    result = _play(SCRIPTS / "poor.txt", "--seed", "7")

    assert result["seed"] == 7


def test_a_bad_line_is_refused_with_its_line_number(tmp_path: Path) -> None:
    script = tmp_path / "bad.txt"
    script.write_text("ack\n\n# fine so far\nseverity SEV9\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"bad\.txt:4: severity: expected SEV1"):
        _play(script)


def test_an_unknown_scenario_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no scenario 'nope'"):
        call_command("play_scenario", "nope", "--script", str(tmp_path / "x.txt"))


def test_its_help_documents_the_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("play_scenario", "--help")

    text = capsys.readouterr().out
    for word in ("kubectl ...", "ack", "escalate", "page NAME", "declare", "severity SEV1",
                 "assign ROLE NAME", 'status customer "text"', 'status internal "text"',
                 "shift-traffic PERCENT", "investigate NAME DURATION", "mitigated", "resolve",
                 "wait DURATION"):  # fmt: skip
        assert word in text
