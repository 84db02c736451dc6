"""The locustfile: learners reading lessons, taking quizzes and playing the sandbox.

Run by bench/faults.py; it reads its plan (sessions, slugs, questions) from the JSON file
named by BENCH_LOAD_PLAN and appends one JSON line per acknowledged write to the plan's
events file, which bench/verify.py then checks against the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
ATTEMPT = re.compile(r"/quiz/attempts/(\d+)/")
RUN = re.compile(r"/runs/(\d+)/")
COMMANDS = [
    "kubectl get pods -n shop",
    "kubectl get deployments -n shop",
    "kubectl get events -n shop",
    "kubectl describe deployment checkout -n shop",
]
_next_session = itertools.count()
_statuses: Counter[str] = Counter()
_log = open(PLAN["events"], "a", buffering=1, encoding="utf-8")  # noqa: SIM115


def record(kind: str, **fields: Any) -> None:
    _log.write(json.dumps({"t": kind, **fields}) + "\n")


@events.request.add_listener
def _count(name: str, response: Any, exception: Any, **kwargs: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status:
        _statuses["connection error"] += 1
        record("cut", name=name, error=type(exception).__name__)
    else:
        _statuses[f"{status // 100}xx"] += 1


@events.quitting.add_listener
def _summary(environment: Any, **kwargs: Any) -> None:
    record("statuses", counts=dict(_statuses))
    _log.flush()


class Learner(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        session = PLAN["sessions"][next(_next_session) % len(PLAN["sessions"])]
        self.user_id = session["user"]
        self.client.cookiejar.set_cookie(_cookie("sessionid", session["sessionid"]))
        self.client.cookiejar.set_cookie(_cookie("csrftoken", session["csrftoken"]))
        self.headers = {"X-CSRFToken": session["csrftoken"]}

    def _post(
        self, path: str, name: str, data: dict[str, str], htmx: bool = False
    ) -> Any:
        headers = {**self.headers, **({"HX-Request": "true"} if htmx else {})}
        return self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False
        )

    @task(3)
    def read_lesson(self) -> None:
        self.client.get(f"/lessons/{PLAN['lesson']}/", name="lesson")

    @task(2)
    def take_quiz(self) -> None:
        base = f"/lessons/{PLAN['lesson']}/quiz/"
        self.client.get(base, name="quiz")
        started = self._post(f"{base}attempts/", "start attempt", {})
        match = ATTEMPT.search(started.headers.get("Location", "") or "")
        if match is None:
            return
        attempt = int(match.group(1))
        self.client.get(f"{base}attempts/{attempt}/", name="attempt")

        for question in random.sample(PLAN["questions"], k=4):
            value = random.choice(question["values"])
            path = f"{base}attempts/{attempt}/answers/{question['key']}/"
            saved = self._post(path, "save answer", {question["key"]: value}, htmx=True)
            if 200 <= saved.status_code < 400 and "Not saved" not in (saved.text or ""):
                record("save", attempt=attempt, key=question["key"], value=value,
                       user=self.user_id)  # fmt: skip
            self.wait_time_between_clicks()

        # A double click: two submissions of the same attempt at the same moment.
        submit = f"{base}attempts/{attempt}/submit/"
        clicks = [gevent.spawn(self._post, submit, "submit", {}) for _ in range(2)]
        gevent.joinall(clicks, timeout=60)
        for click in clicks:
            status = click.value.status_code if click.value is not None else 0
            record("submit", attempt=attempt, status=status, user=self.user_id)

    @task(1)
    def play_sandbox(self) -> None:
        started = self._post(f"/sandbox/{PLAN['scenario']}/start/", "start run", {})
        match = RUN.search(started.headers.get("Location", "") or "")
        if match is None:
            return
        run = int(match.group(1))
        self.client.get(f"/runs/{run}/", name="run page")
        for _ in range(3):
            data = {"kind": "command", "command": random.choice(COMMANDS)}
            self._post(f"/runs/{run}/actions/", "sandbox command", data, htmx=True)
            self.wait_time_between_clicks()

    def wait_time_between_clicks(self) -> None:
        gevent.sleep(random.uniform(0.2, 1.0))


def _cookie(name: str, value: str) -> Any:
    from http.cookiejar import Cookie

    return Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True,
        False, None, False, None, None, {},
    )  # fmt: skip
