"""Find the gunicorn worker that is in the middle of grading a quiz attempt.

A submission locks the attempt row (SELECT ... FOR UPDATE) and then updates it, all in one
transaction; a backend that holds both locks on the attempt table has graded an attempt
and not yet committed. Its client port names the worker's database connection.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from typing import Any

import psutil
import psycopg

from bench.config import HOST

SUBMITTING = """
SELECT activity.client_port
FROM pg_locks AS lock
JOIN pg_stat_activity AS activity ON activity.pid = lock.pid
WHERE activity.datname = current_database()
  AND lock.relation = 'quizzes_attempt'::regclass
GROUP BY activity.client_port
HAVING bool_or(lock.mode = 'RowShareLock') AND bool_or(lock.mode = 'RowExclusiveLock')
"""


def _owner(workers: list[int], ports: set[int]) -> tuple[int, int] | None:
    """The worker holding one of these database connections, and its port."""
    for pid in workers:
        with contextlib.suppress(psutil.Error):
            for link in psutil.Process(pid).net_connections(kind="tcp"):
                if link.laddr and link.laddr.port in ports:
                    return pid, link.laddr.port
    return None


def _submitting(connection: psycopg.Connection[Any]) -> set[int]:
    return {row[0] for row in connection.execute(SUBMITTING) if row[0]}


def grading_worker(database: str, workers: list[int], within: float) -> int | None:
    """A worker frozen (SIGSTOP) between grading an attempt and committing, or None.

    The worker is stopped first and its transaction checked again, so the caller's
    SIGKILL lands while the grading is still uncommitted; a worker that got past the
    commit in the meantime is let go (SIGCONT) and the search goes on for `within` s.
    """
    deadline = time.monotonic() + within
    with psycopg.connect(
        host=HOST, user="postgres", dbname=database, autocommit=True
    ) as connection:
        while time.monotonic() < deadline:
            found = _owner(workers, _submitting(connection))
            if found is None:
                time.sleep(0.005)
                continue
            pid, port = found
            still_grading = False
            os.kill(pid, signal.SIGSTOP)
            try:
                still_grading = port in _submitting(connection)
            finally:
                if not still_grading:
                    os.kill(pid, signal.SIGCONT)
            if still_grading:
                return pid
    return None
