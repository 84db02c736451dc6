"""What the bench measures against, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "incident_academy_bench"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Sizes:
    """How much data to generate; the smoke test uses tiny ones."""

    learners: int = 1_000
    attempts: int = 20_000
    runs: int = 5_000
    actions_per_run: int = 12
    assignments: int = 10
    # The learners of the second cohort, whose attempts the statistics page covers.
    statistics_learners: int = 500


@dataclass(frozen=True)
class Config:
    database: str
    load_seconds: int
    load_users: int
    port: int
    samples: int
    curve_actions: int
    throughput_seconds: int
    output: Path
    sizes: Sizes

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{HOST}:5432/{self.database}"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"


def from_environment() -> Config:
    return Config(
        database=os.environ.get("BENCH_DATABASE", DEFAULT_DATABASE),
        load_seconds=int(os.environ.get("BENCH_LOAD_SECONDS", "300")),
        load_users=int(os.environ.get("BENCH_LOAD_USERS", "200")),
        port=int(os.environ.get("BENCH_PORT", "8765")),
        samples=int(os.environ.get("BENCH_SAMPLES", "60")),
        curve_actions=int(os.environ.get("BENCH_CURVE_ACTIONS", "500")),
        throughput_seconds=int(os.environ.get("BENCH_THROUGHPUT_SECONDS", "15")),
        output=Path(os.environ.get("BENCH_OUTPUT", REPO_DIR / "var" / "bench")),
        sizes=scaled(float(os.environ.get("BENCH_SCALE", "1"))),
    )


def scaled(factor: float) -> Sizes:
    """The full sizes times a factor (BENCH_SCALE), for quicker trial runs."""
    full = Sizes()
    return Sizes(
        learners=max(int(full.learners * factor), 10),
        attempts=max(int(full.attempts * factor), 20),
        runs=max(int(full.runs * factor), 10),
        actions_per_run=full.actions_per_run,
        assignments=full.assignments,
        statistics_learners=max(int(full.statistics_learners * factor), 5),
    )
