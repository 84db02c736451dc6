"""Play a sandbox scenario headlessly from a script and print the transcript and score."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from portal.sandbox.engine.actions import VOCABULARY, ActionError, parse_action
from portal.sandbox.engine.debrief import debrief
from portal.sandbox.engine.replay import apply, new_run, next_action
from portal.sandbox.engine.scenario import Scenario, ScenarioError, load_scenario
from portal.sandbox.engine.scoring import as_dict, score
from portal.sandbox.engine.view import pager

EPILOG = f"""\
The script holds one action a line, in UTF-8; durations need a unit (30s, 5m, 1h), so
`wait 5` is refused; each runs at the simulated time the previous one
left the clock at (the run starts at 02:00, the moment of the page). Actions:

{VOCABULARY}

Example:
  ack
  declare
  severity SEV2
  kubectl get pods -n shop
  status customer "Checkout is failing for some customers. Next update by 02:20 UTC."
  wait 5m
"""


class Command(BaseCommand):
    help = "Play a sandbox scenario from a script and print the transcript and score as JSON."

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EPILOG
        parser.formatter_class = HelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the scenario's slug, e.g. checkout-incident")
        parser.add_argument(
            "--script", required=True, help="file with one action a line"
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="random seed (default 0)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = _load(options["slug"])
        script = Path(options["script"])
        try:
            data = script.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {script}: {error}") from error
        lines = _decode(script, data)

        numbered = []
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            try:
                parse_action(line)
            except ActionError as error:
                raise CommandError(f"{script}:{number}: {error}") from error
            numbered.append((number, line))

        state = new_run(scenario, options["seed"])
        transcript = []
        for number, line in numbered:
            try:
                state = apply(scenario, state, next_action(state, line))
            except ActionError as error:
                raise CommandError(f"{script}:{number}: {error}") from error
            step = state.steps[-1]
            transcript.append({
                "line": number, "at": scenario.clock.hhmmss(step.at), "action": line,
                "output": step.output, "ok": step.ok, "cost_seconds": step.cost,
                "pitfalls": list(step.pitfalls),
            })  # fmt: skip

        result = {
            "scenario": scenario.slug,
            "seed": options["seed"],
            "final_clock": scenario.clock.hhmmss(state.clock),
            "transcript": transcript,
            "pager": pager(scenario, state),
            "score": as_dict(scenario, score(scenario, state)),
            "debrief": debrief(scenario, state),
        }
        self.stdout.write(json.dumps(result, indent=2))


def _decode(script: Path, data: bytes) -> list[str]:
    """The script's lines, or a CommandError naming the first line that is not UTF-8."""
    lines = []
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{script}:{number}: not UTF-8 text (byte {raw[error.start]:#04x} at "
                f"column {error.start + 1}); save the script as UTF-8"
            ) from None
    return lines


def _load(slug: str) -> Scenario:
    matches = sorted(Path(settings.LESSONS_DIR).glob(f"*/scenarios/{slug}.yaml"))
    if not matches:
        raise CommandError(f"no scenario {slug!r} under {settings.LESSONS_DIR}")
    path = matches[0]
    try:
        return load_scenario(yaml.safe_load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as error:
        raise CommandError(f"{path}: {error}") from error
    except ScenarioError as error:
        problems = "\n".join(f"{path}: {line}" for line in str(error).splitlines())
        raise CommandError(problems) from error


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keep the epilog's line breaks; argparse would reflow the vocabulary table."""
