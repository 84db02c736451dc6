"""`make bench`: generate data at scale on PostgreSQL, measure, load, break a worker,
and print one table (also written to var/bench/<timestamp>.txt and .json)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench import environment
from bench.config import Config, from_environment
from bench.report import Row, table, write


def _step(name: str) -> Callable[[], None]:
    started = time.perf_counter()
    print(f"bench: {name}...", file=sys.stderr, flush=True)

    def done() -> None:
        seconds = time.perf_counter() - started
        print(f"bench: {name} done in {seconds:.1f}s", file=sys.stderr, flush=True)

    return done


def main() -> int:
    # Other work on the machine skews every timing; the table says how busy it was.
    machine = f"{os.cpu_count()} / {os.getloadavg()[0]:.1f}"
    config = from_environment()
    env = environment.apply(config)
    config.output.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)

    from bench import server

    server.install_cleanup()
    done = _step("preparing the database " + config.database)
    environment.prepare(config)
    done()

    import django

    django.setup()
    rows = measure_all(config, env, machine)

    print(table(rows))
    path = write(rows, config.output, started, {"config": config})
    print(f"\nWritten to {path} and .json", file=sys.stderr)
    return 0


def measure_all(config: Config, env: dict[str, str], machine: str) -> list[Row]:
    # These import the portal's models, so only once django.setup() has run.
    from bench import curve, faults, generate, pages, server, throughput, verify

    done = _step("generating data")
    data = generate.generate(config.sizes)
    done()
    sizes = config.sizes
    rows = [
        Row("machine", "cores / load average at start", machine),
        Row("data", "learners / attempts / runs",
            f"{sizes.learners:,} / {sizes.attempts:,} / {sizes.runs:,}"),
        Row("data", "cohort assignments", data.assignments, "",
            f"{sizes.assignments} asked; one per lesson, quiz, scenario"),
        Row("data", "generation time", data.seconds, "s", "<= 180 s",
            data.seconds <= 180),
    ]  # fmt: skip

    done = _step("counting queries and timing pages")
    measured = pages.pages(data)
    clients = pages.clients(data)
    rows += pages.query_rows(measured, clients)
    rows += pages.time_rows(measured, clients, config.samples)
    done()

    done = _step(f"timing the sandbox from action 1 to {config.curve_actions}")
    rows += curve.curve(data, config.curve_actions)
    done()

    # The load's own log lines (one per request, one per graded attempt) go to a file.
    log = config.output / "gunicorn.log"
    log.write_text("", encoding="utf-8")
    with server.running(config.port, {**env, "LOG_LEVEL": "INFO"}, log) as gunicorn:
        done = _step("measuring throughput under gunicorn")
        lesson = f"/lessons/{data.lesson_slug}/"
        rows += throughput.rows(config.port, lesson, config.throughput_seconds)
        done()

        done = _step(f"{config.load_users} learners for {config.load_seconds}s")
        plan = faults.write_plan(data, config.load_users, config.output)
        kill = faults.run_load(config, gunicorn, plan, config.output)
        done()
    rows += [
        Row("faults", "worker SIGKILLed at", kill.at_second, "s",
            "during the load", kill.pid is not None),
        Row("faults", "worker caught between grading and commit",
            "yes" if kill.mid_submission else "no (a random worker)", "", "yes",
            kill.mid_submission),
        Row("faults", "gunicorn replaced the worker", "yes" if kill.restored else "no",
            "", "yes", kill.restored),
    ]  # fmt: skip
    rows += faults.latency_rows(config.output)
    rows += verify.rows(config.output / "events.jsonl", log)
    return rows


if __name__ == "__main__":
    sys.exit(main())
