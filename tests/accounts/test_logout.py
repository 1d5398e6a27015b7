import pytest

from accounts.models import AuthSession
from accounts.services import SessionContext, session_start

AUTH_REQUIRED = {"error": {"code": "authentication_required", "message": "Authentication required"}}


def _sessions():
    return list(
        AuthSession.objects.order_by("pk").values_list("pk", "revoked_at", "revoked_reason")
    )


def test_logout_with_the_refresh_token_ends_its_session(api, customer_api):
    response = api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    assert response.status_code == 204
    assert response.content == b""
    session = AuthSession.objects.get(pk=customer_api.session_id)
    assert session.revoked_at is not None
    assert session.revoked_reason == "logout"


def test_the_access_token_of_a_logged_out_session_stops_working_at_once(api, customer_api):
    api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    response = customer_api.get("/customers/me")

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_the_refresh_token_of_a_logged_out_session_stops_working(api, customer_api):
    api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    response = api.post("/auth/refresh", {"refresh_token": customer_api.refresh_token})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_refresh_token"


def test_logout_with_only_the_bearer_token_ends_that_session(customer_api):
    response = customer_api.post("/auth/logout")

    assert response.status_code == 204
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_reason == "logout"
    assert customer_api.get("/customers/me").status_code == 401


def test_logout_leaves_the_customers_other_sessions_alone(api, customer, customer_api):
    other = session_start(user=customer, context=SessionContext("127.0.0.1", "phone"))

    api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    assert AuthSession.objects.get(pk=other.session_id).revoked_at is None
    assert api.post("/auth/refresh", {"refresh_token": other.refresh_token}).status_code == 200


def test_logout_leaves_other_customers_alone(api, customer_api, other_api):
    api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    assert other_api.get("/customers/me").status_code == 200
    assert AuthSession.objects.get(pk=other_api.session_id).revoked_at is None


@pytest.mark.parametrize(
    "body",
    [None, {}, {"refresh_token": ""}, {"refresh_token": "unknown"}, {"refresh_token": 5}],
)
def test_logout_without_a_valid_token_is_204_and_changes_nothing(api, customer_api, body):
    before = _sessions()

    response = api.post("/auth/logout", body)

    assert response.status_code == 204
    assert _sessions() == before
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at is None


def test_logout_with_an_invalid_bearer_token_is_204_and_changes_nothing(api, customer_api):
    before = _sessions()

    response = api.post("/auth/logout", HTTP_AUTHORIZATION="Bearer not.a.jwt")

    assert response.status_code == 204
    assert _sessions() == before


def test_logout_with_a_malformed_body_is_still_204(api, customer_api):
    response = api.post("/auth/logout", raw="[1, 2]")

    assert response.status_code == 204


def test_logging_out_twice_is_harmless(api, customer_api):
    api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})
    first = AuthSession.objects.get(pk=customer_api.session_id).revoked_at

    response = api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    assert response.status_code == 204
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at == first


def test_logout_needs_the_publishable_key(customer, customer_api):
    from tests.conftest import StoreClient

    response = StoreClient().post("/auth/logout", {"refresh_token": customer_api.refresh_token})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at is None
