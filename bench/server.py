"""A gunicorn master started for the bench, always stopped when the bench ends."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import psutil

from bench.config import HOST, REPO_DIR

STARTUP_SECONDS = 60
_started: list[subprocess.Popen[bytes]] = []


def _stop_all() -> None:
    for process in _started:
        stop(process)


def _on_signal(number: int, frame: FrameType | None) -> None:
    _stop_all()
    sys.exit(128 + number)


def install_cleanup() -> None:
    """Stop every server this bench started on exit, Ctrl-C or SIGTERM."""
    atexit.register(_stop_all)
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)


def _command(port: int) -> list[str]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    config = REPO_DIR / "gunicorn.conf.py"
    if config.exists():
        return [gunicorn, "--config", str(config), "--bind", f"{HOST}:{port}"]
    return [gunicorn, "portal.wsgi:application", "--bind", f"{HOST}:{port}"]


def start(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start gunicorn on 127.0.0.1 and wait until /healthz answers 200."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(
            _command(port),
            cwd=REPO_DIR,
            env={**os.environ, **env, "BIND": f"{HOST}:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    _started.append(process)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        if _healthy(port) and len(workers(process)) >= 1:
            return process
        time.sleep(0.25)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS}s; see {log}")


def _healthy(port: int) -> bool:
    url = f"http://{HOST}:{port}/healthz"
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as r:
        return bool(r.status == 200)
    return False


def workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The process ids of the master's workers."""
    with contextlib.suppress(psutil.NoSuchProcess):
        return [child.pid for child in psutil.Process(process.pid).children()]
    return []


def stop(process: subprocess.Popen[bytes], grace: float = 20) -> None:
    """Ask the master to stop gracefully, then kill it and its workers."""
    if process.poll() is not None:
        return
    children = workers(process)
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def running(
    port: int, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    process = start(port, env, log)
    try:
        yield process
    finally:
        stop(process)


def wait_for_workers(
    process: subprocess.Popen[bytes], count: int, gone: int, timeout: float = 30
) -> bool:
    """Whether the master has `count` workers again, `gone` not among them, in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in workers(process) if pid != gone]
        if len(alive) >= count:
            return True
        time.sleep(0.2)
    return False
