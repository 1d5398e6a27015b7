"""Two refreshes racing with one token: exactly one rotates (real threads, real row locks)."""

import threading

import pytest
from django.db import connection

from accounts.errors import InvalidRefreshToken
from accounts.models import AuthSession, RefreshToken
from accounts.services import SessionContext, session_refresh, session_start
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]

ROUNDS = 5


def _race(refresh_token: str, racers: int) -> list[object]:
    barrier = threading.Barrier(racers)
    results: list[object] = [None] * racers

    def run(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            _user, issued = session_refresh(
                refresh_token=refresh_token, context=SessionContext("127.0.0.1", f"racer {index}")
            )
            results[index] = issued
        except InvalidRefreshToken as exc:
            results[index] = exc
        except Exception as exc:  # surfaced by the assertions below
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("racers", [2, 4])
def test_concurrent_refreshes_of_one_token_rotate_exactly_once(racers):
    user = UserFactory()
    for _ in range(ROUNDS):
        tokens = session_start(user=user, context=SessionContext("127.0.0.1", "pytest"))

        results = _race(tokens.refresh_token, racers)

        winners = [r for r in results if not isinstance(r, BaseException)]
        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(winners) == 1, results
        assert all(isinstance(r, InvalidRefreshToken) for r in losers), results
        live = RefreshToken.objects.filter(session_id=tokens.session_id, retired_at__isnull=True)
        assert live.count() <= 1
        assert RefreshToken.objects.filter(session_id=tokens.session_id).count() == 2


def test_a_refresh_arriving_while_another_holds_the_token_loses_without_ending_the_session():
    user = UserFactory()
    tokens = session_start(user=user, context=SessionContext("127.0.0.1", "pytest"))
    locked = threading.Event()
    release = threading.Event()

    def hold_the_row() -> None:
        from django.db import connection as thread_connection
        from django.db import transaction

        try:
            with transaction.atomic():
                list(RefreshToken.objects.select_for_update().filter(session_id=tokens.session_id))
                locked.set()
                release.wait(timeout=10)
        finally:
            thread_connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        results = _race(tokens.refresh_token, 1)
    finally:
        release.set()
        holder.join(timeout=10)

    assert isinstance(results[0], InvalidRefreshToken), results
    assert AuthSession.objects.get(pk=tokens.session_id).revoked_at is None
    assert RefreshToken.objects.get(session_id=tokens.session_id).retired_at is None
    # Once the other request is done, the token works again (nothing was consumed).
    _user, issued = session_refresh(
        refresh_token=tokens.refresh_token, context=SessionContext("127.0.0.1", "pytest")
    )
    assert issued.session_id == tokens.session_id
