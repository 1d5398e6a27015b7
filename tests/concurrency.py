"""Helpers for tests that race real threads against PostgreSQL row locks."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

#: Real threads need real row locks and committed transactions: PostgreSQL only.
POSTGRES_ONLY = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]


def race(calls: list[Callable[[], object]], *, timeout: float = 60) -> list[object]:
    """Run every call at once, each in its own thread with its own connection; return each
    result or the exception it raised. Fails if a thread is still running after `timeout`."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results[index] = calls[index]()
        except Exception as exc:  # surfaced by the caller's assertions
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing call hung"
    return results
