"""Two requests at the same moment, each with its own database connection.

SQLite serialises writers, so the race only shows on PostgreSQL; these tests run there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from portal.quizzes.attempts import save_answer, start_attempt, submit_attempt
from portal.quizzes.models import Attempt, Quiz

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


def at_once(action: Callable[[], Any], count: int = 2) -> list[Any]:
    """Run `action` in `count` threads released together; return what each returned."""
    barrier = threading.Barrier(count)
    results: list[Any] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(action())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_simultaneous_submissions_grade_once(quiz: Quiz, alice: User) -> None:
    attempt = start_attempt(alice, quiz)
    save_answer(attempt, "severity-purpose", "agreed-response")

    results = at_once(lambda: submit_attempt(attempt))

    assert sorted(submitted for _, submitted in results) == [False, True]
    assert len({graded.submitted_at for graded, _ in results}) == 1
    assert Attempt.objects.get().score == 1.0


def test_two_tabs_starting_at_once_share_one_attempt(quiz: Quiz, alice: User) -> None:
    results = at_once(lambda: start_attempt(alice, quiz).pk)

    assert len(set(results)) == 1
    assert Attempt.objects.count() == 1
