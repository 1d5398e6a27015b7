import importlib.util

import pytest

from tests.storeapi.test_production_settings import PRODUCTION_ENV

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
ORIGIN = "https://shop.example"
SDK_HEADERS = [
    "content-type",
    "authorization",
    "x-spree-api-key",
    "x-spree-token",
    "x-spree-locale",
    "x-spree-currency",
    "x-spree-country",
    "x-spree-channel",
    "idempotency-key",
]


def _assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value, name
    assert len(response["X-Request-Id"]) >= 8


@pytest.fixture
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]


def test_security_headers_on_a_success(customer_api):
    response = customer_api.get("/customers/me")

    assert response.status_code == 200
    _assert_security_headers(response)


def test_security_headers_on_an_error(api):
    response = api.get("/customers/me")

    assert response.status_code == 401
    _assert_security_headers(response)


def test_security_headers_on_an_unknown_route(api):
    _assert_security_headers(api.get("/nothing/here"))


def test_security_headers_on_a_refused_oversized_body(api):
    response = api.post("/customers", raw="x" * (101 * 1024))

    assert response.status_code == 413
    _assert_security_headers(response)


def test_security_headers_on_a_rate_limited_answer(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "logout": (1, 60)}
    api.post("/auth/logout")

    response = api.post("/auth/logout")

    assert response.status_code == 429
    _assert_security_headers(response)


def test_security_headers_outside_the_api(client, db):
    _assert_security_headers(client.get("/admin/login/"))


def test_no_hsts_on_plain_http(api, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    assert "Strict-Transport-Security" not in api.get("/nothing/here")


def test_production_settings_send_hsts_on_https(api, settings, monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        if name != "DJANGO_SETTINGS_MODULE":
            monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("config.settings.production")
    production = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(production)
    settings.SECURE_HSTS_SECONDS = production.SECURE_HSTS_SECONDS
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    settings.SECURE_HSTS_PRELOAD = production.SECURE_HSTS_PRELOAD

    response = api.get("/nothing/here", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_cors_preflight_from_an_allowed_origin_allows_the_sdk_headers(api, allowed_origin):
    response = api.options(
        "/api/v3/store/auth/login",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=",".join(SDK_HEADERS),
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert set(SDK_HEADERS) <= allowed
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"} <= methods
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_needs_no_api_key(db, allowed_origin):
    from tests.conftest import StoreClient

    response = StoreClient().options(
        "/api/v3/store/customers/me",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,x-spree-api-key",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_responses_expose_retry_after_and_rate_limit_headers(customer_api, allowed_origin):
    response = customer_api.get("/customers/me", HTTP_ORIGIN=ORIGIN)

    assert response["Access-Control-Allow-Origin"] == ORIGIN
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "x-ratelimit-limit", "x-ratelimit-remaining"} <= exposed
    assert {"idempotent-replayed", "x-request-id"} <= exposed


def test_cors_errors_carry_the_cors_headers_too(api, allowed_origin):
    response = api.get("/customers/me", HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_refuses_an_origin_that_is_not_allowed(api, allowed_origin):
    response = api.options(
        "/api/v3/store/auth/login",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )

    assert "Access-Control-Allow-Origin" not in response


def test_cors_is_limited_to_the_api(client, db, allowed_origin):
    response = client.get("/admin/login/", HTTP_ORIGIN=ORIGIN)

    assert "Access-Control-Allow-Origin" not in response
