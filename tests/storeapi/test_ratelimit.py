from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.models import AuthSession, PasswordResetToken, User
from accounts.services import SessionContext, session_start

# The start of a one-minute window, so Retry-After is exactly 60.
WINDOW_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RATE_LIMITED = {
    "error": {"code": "rate_limit_exceeded", "message": "Too many requests. Please retry later."}
}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        yield traveller


def _login(client, password, **extra):
    return client.post("/auth/login", {"email": "ada@example.com", "password": password}, **extra)


def _assert_rate_limited(response, limit, retry_after="60"):
    assert response.status_code == 429
    assert response.json() == RATE_LIMITED
    assert response["Retry-After"] == retry_after
    assert response["X-RateLimit-Limit"] == str(limit)
    assert response["X-RateLimit-Remaining"] == "0"
    assert response["X-Request-Id"]


def test_sixth_login_in_a_minute_is_429_with_headers(api, customer, password):
    for _ in range(5):
        assert _login(api, password).status_code == 200

    response = _login(api, password)

    _assert_rate_limited(response, 5)
    assert AuthSession.objects.count() == 5


def test_failed_logins_count_towards_the_login_limit(api, customer):
    for _ in range(5):
        assert _login(api, "wrong password!").status_code == 401

    _assert_rate_limited(_login(api, "wrong password!"), 5)


def test_retry_after_counts_down_to_the_end_of_the_window(api, customer, password, _frozen_clock):
    for _ in range(5):
        _login(api, password)
    _frozen_clock.shift(timedelta(seconds=45))

    _assert_rate_limited(_login(api, password), 5, retry_after="15")


def test_the_login_limit_resets_in_the_next_window(api, customer, password, _frozen_clock):
    for _ in range(6):
        _login(api, password)
    _frozen_clock.shift(timedelta(seconds=60))

    assert _login(api, password).status_code == 200


def test_the_login_limit_is_per_ip(api, customer, password):
    for _ in range(5):
        _login(api, password)

    assert _login(api, password, REMOTE_ADDR="10.9.8.7").status_code == 200
    assert _login(api, password).status_code == 429


def test_success_responses_carry_the_rate_limit_headers(api, customer, password):
    first = _login(api, password)
    second = _login(api, password)

    assert first["X-RateLimit-Limit"] == "5"
    assert first["X-RateLimit-Remaining"] == "4"
    assert second["X-RateLimit-Remaining"] == "3"
    assert "Retry-After" not in first


def test_the_last_allowed_request_also_carries_retry_after(api, customer, password):
    for _ in range(4):
        _login(api, password)

    fifth = _login(api, password)

    assert fifth.status_code == 200
    assert fifth["X-RateLimit-Remaining"] == "0"
    assert fifth["Retry-After"] == "60"


def test_general_endpoints_report_the_per_key_limit(customer_api):
    response = customer_api.get("/customers/me")

    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "300"
    assert response["X-RateLimit-Remaining"] == "299"


def test_login_refresh_and_logout_have_separate_counters(api, customer, password):
    tokens = session_start(user=customer, context=SessionContext("127.0.0.1", "pytest"))
    for _ in range(5):
        _login(api, password)
    assert _login(api, password).status_code == 429

    refreshed = api.post("/auth/refresh", {"refresh_token": tokens.refresh_token})
    logged_out = api.post("/auth/logout", {"refresh_token": refreshed.json()["refresh_token"]})

    assert refreshed.status_code == 200
    assert refreshed["X-RateLimit-Limit"] == "10"
    assert refreshed["X-RateLimit-Remaining"] == "9"
    assert logged_out.status_code == 204
    assert logged_out["X-RateLimit-Remaining"] == "9"


def test_eleventh_refresh_in_a_minute_is_429(api, customer):
    tokens = session_start(user=customer, context=SessionContext("127.0.0.1", "pytest"))
    refresh_token = tokens.refresh_token
    for _ in range(10):
        response = api.post("/auth/refresh", {"refresh_token": refresh_token})
        assert response.status_code == 200
        refresh_token = response.json()["refresh_token"]

    response = api.post("/auth/refresh", {"refresh_token": refresh_token})

    _assert_rate_limited(response, 10)
    # The refused call did not rotate: the token presented is still the live one.
    elsewhere = api.post("/auth/refresh", {"refresh_token": refresh_token}, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 200


def test_eleventh_logout_in_a_minute_is_429(api):
    for _ in range(10):
        assert api.post("/auth/logout").status_code == 204

    _assert_rate_limited(api.post("/auth/logout"), 10)


def test_fourth_registration_in_a_minute_is_429(api):
    for n in range(3):
        response = api.post("/customers", {"email": f"n{n}@example.com", "password": "password123"})
        assert response.status_code == 201

    response = api.post("/customers", {"email": "n3@example.com", "password": "password123"})

    _assert_rate_limited(response, 3)
    assert not User.objects.filter(email="n3@example.com").exists()


def test_register_alias_shares_the_registration_limit(api):
    for n in range(3):
        api.post("/auth/register", {"email": f"n{n}@example.com", "password": "password123"})

    response = api.post("/customers", {"email": "n3@example.com", "password": "password123"})

    _assert_rate_limited(response, 3)


def test_password_reset_create_and_update_share_one_limit(api, customer):
    api.post("/password_resets", {"email": "ada@example.com"})
    api.post("/password_resets", {"email": "ada@example.com"})
    api.patch("/password_resets/unknown", {"password": "password123"})

    response = api.post("/password_resets", {"email": "ada@example.com"})

    _assert_rate_limited(response, 3)
    assert PasswordResetToken.objects.count() == 2


def test_the_per_key_limit_blocks_every_endpoint(customer_api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 60)}
    for _ in range(3):
        assert customer_api.get("/customers/me").status_code == 200

    response = customer_api.patch("/customers/me", {"first_name": "Changed"})

    _assert_rate_limited(response, 3)
    assert User.objects.get(email="ada@example.com").first_name == "Ada"


def test_the_429_reports_the_limit_that_was_hit(api, customer, password, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (6, 60)}
    for _ in range(5):
        _login(api, password)

    _assert_rate_limited(_login(api, password), 5)  # the sixth request: login limit hit first
    _assert_rate_limited(api.post("/auth/logout"), 6)  # the seventh: the per-key limit


def test_rate_limits_can_be_switched_off(api, customer, password, settings):
    settings.RATE_LIMITS_ENABLED = False

    responses = [_login(api, password) for _ in range(8)]

    assert [r.status_code for r in responses] == [200] * 8
    assert "X-RateLimit-Limit" not in responses[-1]
    assert "X-RateLimit-Remaining" not in responses[-1]
    assert AuthSession.objects.count() == 8


def test_rate_limit_settings_read_the_environment(monkeypatch):
    import importlib.util

    monkeypatch.setenv("RATE_LIMITS_ENABLED", "0")
    monkeypatch.setenv("RATE_LIMIT_LOGIN", "9")
    spec = importlib.util.find_spec("config.settings.base")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.RATE_LIMITS_ENABLED is False
    assert module.RATE_LIMITS["login"] == (9, 60)


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(api, customer, password):
    for n in range(5):
        _login(api, password, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = _login(api, password, HTTP_X_FORWARDED_FOR="198.51.100.99")

    _assert_rate_limited(response, 5)


def test_behind_a_trusted_proxy_the_limit_follows_the_address_it_saw(
    api, customer, password, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        # The client may prepend anything; the proxy appends the address it saw.
        _login(api, password, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.5")

    limited = _login(api, password, HTTP_X_FORWARDED_FOR="10.0.0.77, 203.0.113.5")
    other_client = _login(api, password, HTTP_X_FORWARDED_FOR="203.0.113.6")

    _assert_rate_limited(limited, 5)
    assert other_client.status_code == 200
