import hashlib
import json
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import AuthSession, User
from storeapi.idempotency import request_scope
from storeapi.models import IdempotencyRecord
from tests.conftest import StoreClient
from tests.factories import ApiKeyFactory

NEW_CUSTOMER = {
    "email": "new@example.com",
    "password": "password123",
    "password_confirmation": "password123",
    "first_name": "New",
}
REUSED = {
    "error": {
        "code": "idempotency_key_reused",
        "message": "This Idempotency-Key has already been used with different request parameters.",
    }
}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _fingerprint(method, path, body):
    return hashlib.sha256(f"{method}:{path}:{json.dumps(body)}".encode()).hexdigest()


def _key(value="retry-1"):
    return {"HTTP_IDEMPOTENCY_KEY": value}


def test_same_request_is_replayed_without_a_second_write(api):
    first = api.post("/customers", NEW_CUSTOMER, **_key())
    second = api.post("/customers", NEW_CUSTOMER, **_key())

    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second["Content-Type"] == "application/json"
    assert second.json() == first.json()
    assert User.objects.count() == 1
    assert AuthSession.objects.count() == 1
    assert IdempotencyRecord.objects.get().state == IdempotencyRecord.COMPLETED


def test_requests_without_a_key_are_not_deduplicated(api, customer, password):
    body = {"email": "ada@example.com", "password": password}

    api.post("/auth/login", body)
    api.post("/auth/login", body)

    assert AuthSession.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 0


def test_a_204_without_body_is_replayed(customer_api):
    first = customer_api.post("/auth/logout", **_key())
    second = customer_api.post("/auth/logout", **_key())

    assert first.status_code == 204
    assert second.status_code == 204
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == b""


def test_a_client_error_is_stored_and_replayed(api):
    body = {**NEW_CUSTOMER, "password_confirmation": "different1"}

    first = api.post("/customers", body, **_key())
    second = api.post("/customers", body, **_key())

    assert first.status_code == 422
    assert second.status_code == 422
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()


def test_reusing_a_key_with_another_body_is_422(api):
    api.post("/customers", NEW_CUSTOMER, **_key())

    response = api.post("/customers", {**NEW_CUSTOMER, "email": "other@example.com"}, **_key())

    assert response.status_code == 422
    assert response.json() == REUSED
    assert list(User.objects.values_list("email", flat=True)) == ["new@example.com"]


def test_reusing_a_key_on_another_path_is_422(api, customer, password):
    api.post("/auth/logout", **_key())

    response = api.post("/auth/login", {"email": "ada@example.com", "password": password}, **_key())

    assert response.status_code == 422
    assert response.json() == REUSED
    assert AuthSession.objects.count() == 0


def test_key_over_255_characters_is_400(api):
    response = api.post("/customers", NEW_CUSTOMER, **_key("k" * 256))

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_request",
            "message": "Idempotency-Key must be 255 characters or less.",
        }
    }
    assert User.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


def test_key_of_255_characters_is_accepted(api):
    response = api.post("/customers", NEW_CUSTOMER, **_key("k" * 255))

    assert response.status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_server_errors_are_not_stored_so_a_retry_runs_again(api, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    with monkeypatch.context() as patched:
        patched.setattr("accounts.services.customer_register", explode)
        failed = api.post("/customers", NEW_CUSTOMER, **_key())
    assert failed.status_code == 500
    assert IdempotencyRecord.objects.count() == 0

    retried = api.post("/customers", NEW_CUSTOMER, **_key())

    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert User.objects.count() == 1


def test_rate_limited_answers_are_not_stored(api, customer, password):
    body = {"email": "ada@example.com", "password": password}
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            api.post("/auth/login", body)
        limited = api.post("/auth/login", body, **_key())
    assert limited.status_code == 429

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        retried = api.post("/auth/login", body, **_key())

    assert retried.status_code == 200
    assert "Idempotent-Replayed" not in retried
    assert AuthSession.objects.count() == 6


def test_keys_are_scoped_per_publishable_key(api, customer, password):
    other_key_client = StoreClient(ApiKeyFactory().token)
    body = {"email": "ada@example.com", "password": password}

    first = api.post("/auth/login", body, **_key())
    second = other_key_client.post("/auth/login", body, **_key())

    assert first.status_code == second.status_code == 200
    assert "Idempotent-Replayed" not in second
    assert second.json()["refresh_token"] != first.json()["refresh_token"]
    assert AuthSession.objects.count() == 2


def test_keys_are_scoped_per_customer(customer_api, other_api, customer, other_customer):
    body = {"phone": "+1 555 0100"}

    mine = customer_api.patch("/customers/me", body, **_key())
    theirs = other_api.patch("/customers/me", body, **_key())

    assert mine.status_code == theirs.status_code == 200
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] == other_customer.public_id
    other_customer.refresh_from_db()
    assert other_customer.phone == "+1 555 0100"
    assert IdempotencyRecord.objects.count() == 2


def test_same_customer_in_another_session_gets_the_replay(api_key, customer):
    first_device = StoreClient(api_key.token).login_as(customer)
    second_device = StoreClient(api_key.token).login_as(customer)

    first_device.patch("/customers/me", {"first_name": "Augusta"}, **_key())
    replay = second_device.patch("/customers/me", {"first_name": "Augusta"}, **_key())

    assert replay["Idempotent-Replayed"] == "true"


def test_a_duplicate_while_the_first_is_running_is_409(api, api_key):
    request = RequestFactory().post("/api/v3/store/customers", HTTP_X_SPREE_API_KEY=api_key.token)
    IdempotencyRecord.objects.create(
        scope_digest=request_scope(request),
        key_digest=hashlib.sha256(b"retry-1").hexdigest(),
        fingerprint=_fingerprint("POST", "/api/v3/store/customers", NEW_CUSTOMER),
        state=IdempotencyRecord.IN_PROGRESS,
        expires_at=timezone.now() + timedelta(hours=24),
    )

    response = api.post("/customers", NEW_CUSTOMER, **_key())

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "idempotency_key_in_use",
            "message": "A request with this Idempotency-Key is still being processed.",
        }
    }
    assert User.objects.count() == 0


def test_a_claim_abandoned_for_over_two_minutes_is_taken_over(api, api_key):
    with time_machine.travel(NOW, tick=False):
        request = RequestFactory().post(
            "/api/v3/store/customers", HTTP_X_SPREE_API_KEY=api_key.token
        )
        IdempotencyRecord.objects.create(
            scope_digest=request_scope(request),
            key_digest=hashlib.sha256(b"retry-1").hexdigest(),
            fingerprint=_fingerprint("POST", "/api/v3/store/customers", NEW_CUSTOMER),
            state=IdempotencyRecord.IN_PROGRESS,
            expires_at=NOW + timedelta(hours=24),
        )

    with time_machine.travel(NOW + timedelta(minutes=2, seconds=1), tick=False):
        response = api.post("/customers", NEW_CUSTOMER, **_key())

    assert response.status_code == 201
    assert User.objects.count() == 1


def test_a_key_is_forgotten_after_24_hours(api, customer, password):
    body = {"email": "ada@example.com", "password": password}
    with time_machine.travel(NOW, tick=False):
        api.post("/auth/login", body, **_key())
    with time_machine.travel(NOW + timedelta(hours=23, minutes=59), tick=False):
        replay = api.post("/auth/login", body, **_key())
    assert replay["Idempotent-Replayed"] == "true"

    with time_machine.travel(NOW + timedelta(hours=24, seconds=1), tick=False):
        fresh = api.post("/auth/login", body, **_key())

    assert fresh.status_code == 200
    assert "Idempotent-Replayed" not in fresh
    assert AuthSession.objects.count() == 2


def test_get_requests_ignore_the_key(customer_api):
    customer_api.get("/customers/me", **_key())

    assert IdempotencyRecord.objects.count() == 0
