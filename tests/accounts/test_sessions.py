from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuthSession
from accounts.services import SessionContext, session_start
from storeapi.ids import encode_id

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AUTH_REQUIRED = {"error": {"code": "authentication_required", "message": "Authentication required"}}
SESSION_NOT_FOUND = {"error": {"code": "record_not_found", "message": "Session not found"}}


def _sessions():
    return list(
        AuthSession.objects.order_by("pk").values_list("pk", "revoked_at", "revoked_reason")
    )


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def phone(customer):
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        return session_start(user=customer, context=SessionContext("192.0.2.10", "Phone/1.0"))


def test_list_shows_the_live_sessions_with_the_current_one_flagged(customer_api, customer, phone):
    response = customer_api.get("/customers/me/sessions")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data == [
        {
            "id": encode_id("sess", customer_api.session_id),
            "created_at": "2026-03-02T09:00:00Z",
            "last_used_at": "2026-03-02T09:00:00Z",
            "ip_address": "127.0.0.1",
            "user_agent": "pytest",
            "current": True,
        },
        {
            "id": encode_id("sess", phone.session_id),
            "created_at": "2026-03-01T09:00:00Z",
            "last_used_at": "2026-03-01T09:00:00Z",
            "ip_address": "192.0.2.10",
            "user_agent": "Phone/1.0",
            "current": False,
        },
    ]
    assert response.json()["meta"]["count"] == 2


def test_list_leaves_out_ended_sessions_and_other_customers(
    customer_api, customer, phone, other_api
):
    AuthSession.objects.filter(pk=phone.session_id).update(revoked_at=timezone.now())
    expired = session_start(user=customer, context=SessionContext(None, "old"))
    AuthSession.objects.filter(pk=expired.session_id).update(expires_at=timezone.now())

    response = customer_api.get("/customers/me/sessions")

    ids = [row["id"] for row in response.json()["data"]]
    assert ids == [encode_id("sess", customer_api.session_id)]


def test_list_without_a_token_is_401(api, phone):
    response = api.get("/customers/me/sessions")

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_get_one_session(customer_api, phone):
    response = customer_api.get(f"/customers/me/sessions/{encode_id('sess', phone.session_id)}")

    assert response.status_code == 200
    assert response.json()["user_agent"] == "Phone/1.0"
    assert response.json()["current"] is False


def test_delete_one_session_ends_it(api, customer_api, phone):
    response = customer_api.delete(f"/customers/me/sessions/{encode_id('sess', phone.session_id)}")

    assert response.status_code == 204
    assert response.content == b""
    ended = AuthSession.objects.get(pk=phone.session_id)
    assert ended.revoked_at is not None
    assert ended.revoked_reason == "signed_out"
    token = phone.access_token
    assert api.get("/customers/me", HTTP_AUTHORIZATION=f"Bearer {token}").json() == AUTH_REQUIRED
    assert api.post("/auth/refresh", {"refresh_token": phone.refresh_token}).status_code == 401
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at is None


def test_delete_the_current_session_signs_the_caller_out(customer_api):
    response = customer_api.delete(
        f"/customers/me/sessions/{encode_id('sess', customer_api.session_id)}"
    )

    assert response.status_code == 204
    assert customer_api.get("/customers/me").json() == AUTH_REQUIRED


def test_delete_an_ended_session_is_404(customer_api, phone):
    AuthSession.objects.filter(pk=phone.session_id).update(revoked_at=NOW, revoked_reason="logout")

    response = customer_api.delete(f"/customers/me/sessions/{encode_id('sess', phone.session_id)}")

    assert response.status_code == 404
    assert response.json() == SESSION_NOT_FOUND
    assert AuthSession.objects.get(pk=phone.session_id).revoked_reason == "logout"


def test_delete_all_other_sessions_keeps_the_current_one(api, customer_api, customer, phone):
    tablet = session_start(user=customer, context=SessionContext(None, "Tablet"))

    response = customer_api.delete("/customers/me/sessions")

    assert response.status_code == 204
    for ended in (phone, tablet):
        session = AuthSession.objects.get(pk=ended.session_id)
        assert session.revoked_reason == "signed_out_elsewhere"
        assert api.post("/auth/refresh", {"refresh_token": ended.refresh_token}).status_code == 401
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at is None
    assert customer_api.get("/customers/me").status_code == 200


def test_delete_all_other_sessions_leaves_other_customers_alone(customer_api, other_api):
    customer_api.delete("/customers/me/sessions")

    assert AuthSession.objects.get(pk=other_api.session_id).revoked_at is None
    assert other_api.get("/customers/me").status_code == 200


def test_another_customers_session_is_404_and_nothing_changes(customer_api, other_api):
    before = _sessions()
    theirs = encode_id("sess", other_api.session_id)

    got = customer_api.get(f"/customers/me/sessions/{theirs}")
    deleted = customer_api.delete(f"/customers/me/sessions/{theirs}")

    assert got.status_code == deleted.status_code == 404
    assert got.json() == deleted.json() == SESSION_NOT_FOUND
    assert _sessions() == before
    assert other_api.get("/customers/me").status_code == 200


@pytest.mark.parametrize("method", ["get", "delete"])
def test_sessions_without_a_token_are_401_and_nothing_changes(api, phone, method):
    before = _sessions()

    one = getattr(api, method)(f"/customers/me/sessions/{encode_id('sess', phone.session_id)}")
    every = getattr(api, method)("/customers/me/sessions")

    assert one.json() == every.json() == AUTH_REQUIRED
    assert _sessions() == before


@pytest.mark.parametrize("value", ["cus_UkLWZg9DAJ", "sess_!!", "1"])
def test_bad_session_ids_are_404_and_nothing_changes(customer_api, phone, value):
    before = _sessions()

    response = customer_api.delete(f"/customers/me/sessions/{value}")

    assert response.status_code == 404
    assert response.json() == SESSION_NOT_FOUND
    assert _sessions() == before
