"""Failed logins arriving at once still lock the account (real threads, PostgreSQL)."""

import threading

import pytest
from django.db import connection

from accounts.errors import AuthenticationFailed
from accounts.models import User
from accounts.services import SessionContext, auth_login
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]


def _concurrently(user: User, password: str, racers: int) -> list[object]:
    barrier = threading.Barrier(racers)
    results: list[object] = [None] * racers

    def run(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results[index] = auth_login(
                email=user.email, password=password, context=SessionContext(None, "racer")
            )
        except Exception as exc:
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_five_concurrent_failures_lock_the_account():
    user = UserFactory()

    results = _concurrently(user, "wrong password", 5)

    assert all(isinstance(r, AuthenticationFailed) for r in results), results
    user.refresh_from_db()
    assert user.locked_until is not None
    with pytest.raises(AuthenticationFailed):
        auth_login(email=user.email, password=DEFAULT_PASSWORD, context=SessionContext(None, ""))


def test_four_concurrent_failures_count_exactly_four():
    user = UserFactory()

    _concurrently(user, "wrong password", 4)

    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (4, None)
