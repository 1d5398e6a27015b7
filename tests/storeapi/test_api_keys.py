from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.models import AuthSession
from storeapi.models import ApiKey
from storeapi.services import api_key_create, api_key_revoke
from storeapi.tokens import BASE58_ALPHABET
from tests.conftest import StoreClient
from tests.factories import ApiKeyFactory

INVALID_KEY = {"error": {"code": "invalid_token", "message": "Valid API key required"}}
AUTH_REQUIRED = {"error": {"code": "authentication_required", "message": "Authentication required"}}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _login(client, password):
    return client.post("/auth/login", {"email": "ada@example.com", "password": password})


def test_api_key_create_makes_a_publishable_key_of_24_base58_characters(db):
    api_key = api_key_create(name="Storefront")

    assert api_key.token.startswith("pk_")
    assert len(api_key.token) == 27
    assert set(api_key.token[3:]) <= set(BASE58_ALPHABET)
    assert api_key.key_type == ApiKey.PUBLISHABLE
    assert api_key.revoked_at is None
    assert api_key.public_id.startswith("key_")


def test_api_key_create_makes_distinct_keys(db):
    assert api_key_create(name="a").token != api_key_create(name="b").token


def test_a_valid_key_is_accepted(api, customer, password):
    assert _login(api, password).status_code == 200


def test_missing_key_is_401_invalid_token(db, customer, password):
    response = _login(StoreClient(), password)

    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    assert AuthSession.objects.count() == 0


def test_unknown_key_is_401_invalid_token(db, customer, password):
    response = _login(StoreClient("pk_" + "1" * 24), password)

    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    assert AuthSession.objects.count() == 0


def test_secret_key_is_401_invalid_token(db, customer, password):
    secret = ApiKeyFactory(token="sk_" + "2" * 24)

    response = _login(StoreClient(secret.token), password)

    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    assert AuthSession.objects.count() == 0


def test_revoked_key_is_401_invalid_token(db, customer, password):
    revoked = ApiKeyFactory(revoked_at=NOW)

    response = _login(StoreClient(revoked.token), password)

    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    assert AuthSession.objects.count() == 0


def test_key_is_read_only_from_the_header_not_the_query_string(api_key, customer, password):
    client = StoreClient()

    response = client.post(
        f"/api/v3/store/auth/login?X-Spree-Api-Key={api_key.token}",
        {"email": "ada@example.com", "password": password},
    )

    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_revoking_a_key_takes_effect_immediately(
    api, api_key, customer, password, django_capture_on_commit_callbacks
):
    assert _login(api, password).status_code == 200  # the key is now cached as active

    with django_capture_on_commit_callbacks(execute=True):
        api_key_revoke(api_key=api_key)

    response = _login(api, password)
    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    assert AuthSession.objects.count() == 1
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_revoking_a_revoked_key_keeps_its_revocation_time(api_key):
    api_key_revoke(api_key=api_key)
    first = ApiKey.objects.get(pk=api_key.pk).revoked_at

    api_key_revoke(api_key=ApiKey.objects.get(pk=api_key.pk))

    assert ApiKey.objects.get(pk=api_key.pk).revoked_at == first


def test_customer_only_endpoint_checks_the_jwt_before_the_key(db):
    response = StoreClient().get("/customers/me")

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_customer_only_endpoint_with_jwt_but_no_key_is_invalid_token(api_key, customer):
    client = StoreClient().login_as(customer)

    response = client.get("/customers/me")

    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_customer_only_endpoint_with_jwt_and_revoked_key_is_invalid_token(customer):
    client = StoreClient(ApiKeyFactory(revoked_at=NOW).token).login_as(customer)

    response = client.patch("/customers/me", {"first_name": "Changed"})

    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    customer.refresh_from_db()
    assert customer.first_name == "Ada"


def test_last_used_at_is_set_on_first_use(api, api_key):
    assert api_key.last_used_at is None

    with time_machine.travel(NOW, tick=False):
        api.post("/auth/logout")

    api_key.refresh_from_db()
    assert api_key.last_used_at == NOW


def test_last_used_at_is_updated_at_most_hourly(api, api_key):
    with time_machine.travel(NOW, tick=False):
        api.post("/auth/logout")
    with time_machine.travel(NOW + timedelta(minutes=59), tick=False):
        api.post("/auth/logout")
    api_key.refresh_from_db()
    assert api_key.last_used_at == NOW

    later = NOW + timedelta(hours=1, minutes=1)
    with time_machine.travel(later, tick=False):
        api.post("/auth/logout")
    api_key.refresh_from_db()
    assert api_key.last_used_at == later


def test_a_request_with_a_recently_used_key_writes_nothing(api, api_key, django_assert_num_queries):
    api.post("/auth/logout")  # caches the key and records last_used_at

    with django_assert_num_queries(0):
        response = api.post("/auth/logout")

    assert response.status_code == 204


@pytest.mark.parametrize("header", ["", "   ", "pk_", "pk_" + "x" * 100])
def test_blank_or_oversized_keys_are_invalid_token(db, header):
    response = StoreClient().post("/auth/logout", HTTP_X_SPREE_API_KEY=header)

    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_a_key_revoked_on_another_server_stops_working_here_within_the_local_seconds(
    db, monkeypatch
):
    from django.core.cache import cache

    from storeapi import selectors

    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    api_key = api_key_create(name="Storefront")
    client = StoreClient(api_key.token)
    assert client.get("/countries").status_code == 200
    # Another app server revokes it: the database row and the shared cache entry change,
    # this process's copy does not.
    ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=NOW)
    cache.delete(f"apikey:v1:{api_key.token}")

    assert client.get("/countries").status_code == 200
    clock[0] += selectors.API_KEY_LOCAL_SECONDS + 0.1
    response = client.get("/countries")

    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_a_key_revoked_here_stops_working_at_once(db, django_capture_on_commit_callbacks):
    api_key = api_key_create(name="Storefront")
    client = StoreClient(api_key.token)
    assert client.get("/countries").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        api_key_revoke(api_key=api_key)

    assert client.get("/countries").status_code == 401
