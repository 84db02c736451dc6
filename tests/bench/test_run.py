"""The whole of `make bench` on tiny sizes and a few seconds of load, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_DIR


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(
    not (_listening(5432) and _listening(6379)),
    reason="PostgreSQL and Redis on 127.0.0.1 are needed",
)
@pytest.mark.skipif(
    shutil.which("locust", path=str(Path(sys.executable).parent)) is None,
    reason="locust is not installed (the bench extra)",
)
def test_it_runs_every_step_and_writes_the_table(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BENCH_DATABASE": "incident_academy_smoke_bench",
        "BENCH_SCALE": "0.01",
        "BENCH_LOAD_SECONDS": "6",
        "BENCH_LOAD_USERS": "4",
        "BENCH_SAMPLES": "3",
        "BENCH_CURVE_ACTIONS": "20",
        "BENCH_THROUGHPUT_SECONDS": "2",
        "BENCH_PORT": "8766",
        "BENCH_OUTPUT": str(tmp_path),
    }

    done = subprocess.run(
        [sys.executable, "-m", "bench.run"],
        cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr[-3000:]
    for section in ("queries", "server time", "sandbox curve", "throughput", "load"):
        assert f"\n{section} " in done.stdout
    assert "lost answers" in done.stdout
    assert list(tmp_path.glob("*.txt")) and list(tmp_path.glob("*.json"))
