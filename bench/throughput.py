"""Requests per second of the lesson page against a static file, under gunicorn.

wrk (Debian's package) drives the load when it is installed, since a client in C leaves
the two cores to the server; otherwise a keep-alive client in a few Python processes does,
which makes cheap responses such as the static file look slower than they are.
"""

from __future__ import annotations

import http.client
import multiprocessing
import re
import shutil
import subprocess
import time

from bench.config import HOST
from bench.report import Row, at_least

MIN_SHARE = 0.40
STATIC = re.compile(rb'(?:href|src)="(/static/[^"]+\.css)"')


def static_path(port: int, page: str) -> str:
    """A stylesheet the page links to, as whitenoise serves it."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    connection.request("GET", page)
    match = STATIC.search(connection.getresponse().read())
    if match is None:
        raise RuntimeError(f"{page} links no stylesheet under /static/")
    return match.group(1).decode()


def _wrk(port: int, path: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         f"http://{HOST}:{port}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match is None or non_2xx is not None:
        raise RuntimeError(f"wrk on {path} failed:\n{output}")
    return float(match.group(1))


def _loop(port: int, path: str, seconds: float, counter: object) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    deadline, done = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        done += 1
    with counter.get_lock():  # type: ignore[attr-defined]
        counter.value += done  # type: ignore[attr-defined]


def _python(port: int, path: str, seconds: int, connections: int) -> float:
    counter = multiprocessing.Value("l", 0)
    processes = [
        multiprocessing.Process(target=_loop, args=(port, path, seconds, counter))
        for _ in range(connections)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(seconds + 30)
    return float(counter.value) / seconds


def rows(port: int, page: str, seconds: int = 15, connections: int = 8) -> list[Row]:
    measure = _wrk if shutil.which("wrk") else _python
    tool = "wrk" if measure is _wrk else "python client (install wrk)"
    static = static_path(port, page)
    measure(port, page, min(seconds, 3), connections)  # warm every worker
    lesson_rps = measure(port, page, seconds, connections)
    static_rps = measure(port, static, seconds, connections)
    share = lesson_rps / static_rps
    return [
        Row("throughput", "load generator", tool),
        Row("throughput", "lesson page (anonymous)", lesson_rps, "req/s"),
        Row("throughput", f"static file {static.rsplit('/', 1)[-1]}", static_rps, "req/s"),
        Row("throughput", "lesson / static file", share * 100, "%",
            f">= {MIN_SHARE:.0%}", at_least(share, MIN_SHARE)),
    ]  # fmt: skip
