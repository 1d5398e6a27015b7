import json
import logging

import pytest

from accounts.models import AuthSession, User
from storeapi.errors import GENERIC_SERVER_ERROR

GENERIC_500 = {"error": {"code": "internal_server_error", "message": GENERIC_SERVER_ERROR}}


def _assert_envelope(response, status_code, code):
    assert response.status_code == status_code
    assert response["Content-Type"] == "application/json"
    assert response["X-Request-Id"]
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    return body["error"]


def test_unknown_store_route_is_a_json_404(api):
    response = api.get("/no/such/route")

    error = _assert_envelope(response, 404, "not_found")
    assert error == {
        "code": "not_found",
        "message": "No route matches GET /api/v3/store/no/such/route",
    }


def test_unknown_route_without_api_key_is_still_a_json_404(db):
    from tests.conftest import StoreClient

    response = StoreClient().post("/categories", {"name": "x"})

    _assert_envelope(response, 404, "not_found")


def test_unknown_path_elsewhere_under_api_is_a_json_404(api):
    response = api.get("/api/v2/storefront/products")

    error = _assert_envelope(response, 404, "not_found")
    assert error["message"] == "No route matches GET /api/v2/storefront/products"


def test_unknown_page_outside_the_api_is_html(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_a_json_405(api):
    response = api.get("/auth/login")

    error = _assert_envelope(response, 405, "method_not_allowed")
    assert error == {"code": "method_not_allowed", "message": 'Method "GET" not allowed.'}


def test_malformed_json_is_a_400_invalid_request(api, customer):
    response = api.post("/auth/login", raw='{"email": "ada@example.com", "password": ')

    error = _assert_envelope(response, 400, "invalid_request")
    assert error == {"code": "invalid_request", "message": "Malformed JSON in the request body."}
    assert AuthSession.objects.count() == 0


@pytest.mark.parametrize("raw", ["{'a': 1}", '{"a": NaN}', b'{"a": "\xff"}', "[1,"])
def test_other_invalid_json_bodies_are_400_invalid_request(api, raw):
    response = api.post("/customers", raw=raw)

    _assert_envelope(response, 400, "invalid_request")
    assert User.objects.count() == 0


def test_deeply_nested_json_is_a_400_not_a_500(api):
    response = api.post("/customers", raw="[" * 50_000 + "]" * 50_000)

    error = _assert_envelope(response, 400, "invalid_request")
    assert error["message"] == "Malformed JSON in the request body."
    assert User.objects.count() == 0


def test_nul_characters_in_a_field_are_a_422_not_a_500(api):
    response = api.post("/customers", {"email": "a\u0000@example.com", "password": "password123"})

    error = _assert_envelope(response, 422, "validation_error")
    assert error["details"] == {"email": ["Null characters are not allowed"]}
    assert User.objects.count() == 0


def test_json_that_is_not_an_object_is_a_400_invalid_request(api):
    response = api.post("/customers", raw='["email", "password"]')

    error = _assert_envelope(response, 400, "invalid_request")
    assert error["message"] == "The request body must be a JSON object."
    assert User.objects.count() == 0


def test_body_over_100_kb_is_a_413_request_too_large(api):
    body = json.dumps({"email": "big@example.com", "password": "x" * (100 * 1024)})

    response = api.post("/customers", raw=body)

    error = _assert_envelope(response, 413, "request_too_large")
    assert error == {
        "code": "request_too_large",
        "message": "Request body is too large (maximum is 100 KB).",
    }
    assert User.objects.count() == 0


def test_body_of_exactly_100_kb_is_accepted(api):
    padding = 100 * 1024 - len(json.dumps({"email": "", "password": "p4ssw0rd!", "phone": ""}))
    body = json.dumps({"email": "", "password": "p4ssw0rd!", "phone": "x" * padding})
    assert len(body.encode()) == 100 * 1024

    response = api.post("/customers", raw=body)

    assert response.status_code == 422  # parsed and validated, not refused for its size


def test_wrong_type_is_a_422_validation_error_with_details_by_field(api):
    response = api.post(
        "/customers",
        {"email": 5, "password": "password123", "accepts_email_marketing": "perhaps"},
    )

    error = _assert_envelope(response, 422, "validation_error")
    assert error == {
        "code": "validation_error",
        "message": "Email must be a string and Accepts email marketing must be true or false",
        "details": {
            "email": ["must be a string"],
            "accepts_email_marketing": ["must be true or false"],
        },
    }
    assert User.objects.count() == 0


def test_wrong_type_for_an_object_field_is_a_422(api):
    response = api.post(
        "/customers", {"email": "new@example.com", "password": "password123", "metadata": "x"}
    )

    error = _assert_envelope(response, 422, "validation_error")
    assert error["details"] == {"metadata": ["must be an object"]}
    assert User.objects.count() == 0


def test_unexpected_exception_is_a_generic_500_without_internals(api, monkeypatch, caplog):
    def explode(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("accounts.services.auth_login", explode)

    with caplog.at_level(logging.ERROR, logger="storeapi.errors"):
        response = api.post(
            "/auth/login",
            {"email": "ada@example.com", "password": "x"},
            HTTP_X_REQUEST_ID="req-0123456789",
        )

    _assert_envelope(response, 500, "internal_server_error")
    assert response.json() == GENERIC_500
    assert b"hunter2" not in response.content
    assert b"RuntimeError" not in response.content
    assert response["X-Request-Id"] == "req-0123456789"
    logged = [r for r in caplog.records if r.name == "storeapi.errors"]
    assert len(logged) == 1
    assert "req-0123456789" in logged[0].getMessage()
    assert logged[0].exc_info[0] is RuntimeError


def test_exception_outside_a_drf_view_is_a_generic_500(api, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("storeapi.views.json_error", explode)

    with caplog.at_level(logging.ERROR, logger="storeapi.errors"):
        response = api.get("/no/such/route")

    _assert_envelope(response, 500, "internal_server_error")
    assert response.json() == GENERIC_500
    assert b"secret" not in response.content
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_every_response_carries_a_fresh_request_id(api):
    first = api.get("/no/such/route")
    second = api.get("/no/such/route")

    assert len(first["X-Request-Id"]) == 32
    assert first["X-Request-Id"] != second["X-Request-Id"]


def test_a_well_formed_incoming_request_id_is_echoed(api):
    response = api.get("/customers/me", HTTP_X_REQUEST_ID="trace-abc.123_XYZ")

    assert response.status_code == 401
    assert response["X-Request-Id"] == "trace-abc.123_XYZ"


@pytest.mark.parametrize("incoming", ["short", "bad value with spaces", "x" * 129, "<script>"])
def test_a_malformed_incoming_request_id_is_replaced(api, incoming):
    response = api.get("/customers/me", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-Id"] != incoming
    assert len(response["X-Request-Id"]) == 32


def test_request_ids_are_on_success_and_on_non_api_pages(api, client, customer_api):
    assert customer_api.get("/customers/me")["X-Request-Id"]
    assert client.get("/admin/login/")["X-Request-Id"]
