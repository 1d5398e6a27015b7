"""The same Idempotency-Key sent twice at once: the request runs once (real threads, PostgreSQL)."""

import threading

import pytest
from django.db import connection

from accounts.models import AuthSession, User
from storeapi.models import IdempotencyRecord
from tests.conftest import StoreClient
from tests.factories import ApiKeyFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
    ),
]

BODY = {"email": "racer@example.com", "password": "password123"}


def test_concurrent_duplicates_run_the_request_once():
    api_key = ApiKeyFactory()
    racers = 4
    barrier = threading.Barrier(racers)
    responses: list[object] = [None] * racers

    def run(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            client = StoreClient(api_key.token)
            barrier.wait(timeout=10)
            responses[index] = client.post(
                "/customers", BODY, HTTP_IDEMPOTENCY_KEY="same-key", REMOTE_ADDR=f"10.0.0.{index}"
            )
        except Exception as exc:
            responses[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(getattr(r, "status_code", r) for r in responses)
    assert all(status in (201, 409) for status in statuses), statuses
    originals = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
    assert len(originals) == 1
    for response in responses:
        if response.status_code == 409:
            assert response.json()["error"]["code"] == "idempotency_key_in_use"
        if response.status_code == 201:
            assert response.json() == originals[0].json()
    assert User.objects.filter(email="racer@example.com").count() == 1
    assert AuthSession.objects.count() == 1
    assert IdempotencyRecord.objects.get().state == IdempotencyRecord.COMPLETED
