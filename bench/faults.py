"""200 learners against gunicorn for BENCH_LOAD_SECONDS, with one worker killed midway."""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.db.models import F

from bench import server
from bench.config import REPO_DIR, Config
from bench.generate import Generated
from bench.report import Row
from bench.victim import grading_worker
from portal.quizzes.models import QuestionVersion

CHOICE_KINDS = ("single", "truefalse")
SPAWN_RATE = 20


@dataclass(frozen=True)
class Kill:
    """The worker killed midway and whether gunicorn replaced it."""

    pid: int | None
    at_second: float
    restored: bool
    # Whether the worker was caught holding an uncommitted grading of an attempt.
    mid_submission: bool


def _session(user: User) -> dict[str, object]:
    """A signed-in session for the user, as signing in would store it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {
        "user": user.pk,
        "sessionid": store.session_key,
        "csrftoken": secrets.token_hex(16),
    }


def _questions(lesson_slug: str) -> list[dict[str, object]]:
    """The questions the load answers, with the form values each accepts."""
    versions = QuestionVersion.objects.filter(
        question__quiz__lesson__slug=lesson_slug,
        question__kind__in=CHOICE_KINDS,
        question__is_retired=False,
        number=F("question__version"),
    ).select_related("question")
    return [
        {
            "key": version.question.key,
            "values": ["true", "false"]
            if version.question.kind == "truefalse"
            else [option["key"] for option in version.data["options"]],
        }
        for version in versions
    ]


def write_plan(data: Generated, users: int, directory: Path) -> Path:
    """The locustfile's plan: one session per simulated learner, slugs, questions."""
    learners = User.objects.filter(pk__in=data.learner_ids[2 : 2 + users])
    events = directory / "events.jsonl"
    events.write_text("", encoding="utf-8")
    plan = {
        "sessions": [_session(user) for user in learners],
        "lesson": data.lesson_slug,
        "scenario": data.scenario_slug,
        "questions": _questions(data.lesson_slug),
        "events": str(events),
    }
    path = directory / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def _locust(config: Config, plan: Path, directory: Path) -> subprocess.Popen[bytes]:
    locust = str(Path(sys.executable).with_name("locust"))
    command = [
        locust, "-f", str(REPO_DIR / "bench" / "load.py"), "--headless",
        "--users", str(config.load_users), "--spawn-rate", str(SPAWN_RATE),
        "--run-time", f"{config.load_seconds}s", "--stop-timeout", "30",
        "--host", config.base_url, "--only-summary",
        "--csv", str(directory / "locust"),
    ]  # fmt: skip
    with (directory / "locust.log").open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=REPO_DIR,
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def run_load(
    config: Config, gunicorn: subprocess.Popen[bytes], plan: Path, directory: Path
) -> Kill:
    """Run the load to its end, SIGKILLing one gunicorn worker halfway through."""
    count = len(server.workers(gunicorn))
    load = _locust(config, plan, directory)
    started = time.monotonic()
    kill = Kill(None, 0.0, False, False)
    try:
        time.sleep(config.load_seconds / 2)
        victims = server.workers(gunicorn)
        if victims and load.poll() is None:
            caught = grading_worker(config.database, victims, config.load_seconds * 0.4)
            pid = caught or victims[len(victims) // 2]
            os.kill(pid, signal.SIGKILL)
            at = time.monotonic() - started
            restored = server.wait_for_workers(gunicorn, count, pid)
            kill = Kill(pid, at, restored, caught is not None)
        load.wait(config.load_seconds + 120)
    finally:
        if load.poll() is None:
            load.terminate()
            load.wait(30)
    return kill


def latency_rows(directory: Path) -> list[Row]:
    """What the simulated learners saw: throughput and response times, from locust."""
    path = directory / "locust_stats.csv"
    if not path.exists():
        return [Row("load", "locust statistics", "missing; see locust.log")]
    with path.open(newline="", encoding="utf-8") as lines:
        stats = {row["Name"]: row for row in csv.DictReader(lines)}
    rows = []
    for name in ("Aggregated", "lesson", "save answer", "submit", "sandbox command"):
        if name not in stats:
            continue
        row = stats[name]
        label = "all requests" if name == "Aggregated" else name
        rows.append(
            Row("load", f"{label} p50 / p95 (client)",
                f"{float(row['50%']):,.0f} / {float(row['95%']):,.0f} ms")
        )  # fmt: skip
    aggregated = stats.get("Aggregated")
    if aggregated is not None:
        rows.insert(
            0, Row("load", "throughput", float(aggregated["Requests/s"]), "req/s")
        )
    return rows
