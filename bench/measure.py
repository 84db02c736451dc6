"""In-process measurement: SQL queries and server time of one request through the
Django test client, and percentiles of the times."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Request:
    """One request to replay: the method, the path, form data and extra headers."""

    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, client: Client) -> HttpResponse:
        if self.method == "POST":
            return client.post(self.path, self.data, headers=self.headers)
        return client.get(self.path, self.data, headers=self.headers)

    def to(self, path: str) -> Request:
        return Request(self.method, path, self.data, self.headers)


def count_queries(client: Client, request: Request) -> tuple[int, HttpResponse]:
    """The SQL queries one request runs, and its response."""
    with CaptureQueriesContext(connection) as captured:
        response = request.send(client)
    return len(captured.captured_queries), response


def timed(client: Client, request: Request) -> float:
    """Milliseconds from the request entering Django to the response leaving it."""
    started = time.perf_counter()
    response = request.send(client)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 400:
        raise RuntimeError(f"{request.method} {request.path}: {response.status_code}")
    return elapsed


def interleaved(
    client: Client,
    requests: Sequence[Request],
    samples: int,
    before_each: Callable[[], None] | None = None,
    budget: float = 60.0,
) -> list[list[float]]:
    """Time each request `samples` times, taking turns, so drift hits all alike.

    Sampling stops early once `budget` seconds have passed (after at least 3 rounds),
    so one very slow page cannot hold up the bench.
    """
    times: list[list[float]] = [[] for _ in requests]
    deadline = time.monotonic() + budget
    for round_number in range(samples):
        if round_number >= 3 and time.monotonic() > deadline:
            break
        for index, request in enumerate(requests):
            if before_each is not None:
                before_each()
            times[index].append(timed(client, request))
    return times


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of the values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(math.ceil(p / 100 * len(ordered)), 1)
    return ordered[rank - 1]
