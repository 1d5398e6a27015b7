from datetime import UTC, datetime, timedelta

import jwt
import pytest
import time_machine
from django.conf import settings

from accounts.models import AuthSession, User
from tests.factories import UserFactory

INVALID_LOGIN = {"error": {"code": "authentication_failed", "message": "Invalid email or password"}}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def no_rate_limits(settings):
    """Lockout tests make more than five attempts; the per-IP login limit would answer first."""
    settings.RATE_LIMITS_ENABLED = False


def _login(client, email="ada@example.com", password=None, **body):
    payload = {"email": email, "password": password, **body}
    return client.post("/auth/login", {k: v for k, v in payload.items() if v is not None})


def _decode(token):
    return jwt.decode(
        token, settings.JWT_SIGNING_KEY, algorithms=["HS256"], audience="store_api", issuer="spree"
    )


def test_login_returns_tokens_and_the_customer(api, customer, password):
    response = _login(api, password=password)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "refresh_token", "user"}
    assert body["user"]["id"] == customer.public_id
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["full_name"] == "Ada Lovelace"
    assert len(body["refresh_token"]) == 32
    assert AuthSession.objects.filter(user=customer).count() == 1


def test_login_email_is_case_insensitive_and_trimmed(api, customer, password):
    response = _login(api, email="  ADA@Example.COM ", password=password)

    assert response.status_code == 200
    assert response.json()["user"]["id"] == customer.public_id


def test_access_token_has_spree_claims_plus_session_id(api, customer, password):
    with time_machine.travel(NOW, tick=False):
        response = _login(api, password=password)
        claims = _decode(response.json()["token"])

    session = AuthSession.objects.get()
    assert set(claims) == {"user_id", "user_type", "jti", "iss", "aud", "exp", "sid"}
    assert claims["user_id"] == customer.pk
    assert claims["user_type"] == "customer"
    assert claims["iss"] == "spree"
    assert claims["aud"] == "store_api"
    assert claims["sid"] == session.pk
    assert claims["exp"] == int(NOW.timestamp()) + 15 * 60
    assert len(claims["jti"]) >= 32
    assert jwt.get_unverified_header(response.json()["token"])["alg"] == "HS256"


def test_access_token_is_signed_with_its_own_key_not_the_secret_key(api, customer, password):
    token = _login(api, password=password).json()["token"]

    assert settings.JWT_SIGNING_KEY != settings.SECRET_KEY
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"], audience="store_api")


def test_access_token_lifetime_is_configurable(api, customer, password, settings):
    settings.ACCESS_TOKEN_LIFETIME = timedelta(minutes=5)

    with time_machine.travel(NOW, tick=False):
        token = _login(api, password=password).json()["token"]
        assert _decode(token)["exp"] == int(NOW.timestamp()) + 5 * 60


def test_each_login_starts_its_own_session(api, customer, password):
    first = _login(api, password=password).json()
    second = _login(api, password=password).json()

    assert _decode(first["token"])["sid"] != _decode(second["token"])["sid"]
    assert _decode(first["token"])["jti"] != _decode(second["token"])["jti"]
    assert AuthSession.objects.filter(user=customer, revoked_at__isnull=True).count() == 2


def test_login_records_ip_and_user_agent(api, customer, password):
    api.post(
        "/auth/login",
        {"email": "ada@example.com", "password": password},
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="Storefront/2.0",
    )

    session = AuthSession.objects.get()
    assert (session.ip_address, session.user_agent) == ("198.51.100.4", "Storefront/2.0")


def test_login_ignores_the_authorization_header(api, customer, password):
    response = api.post(
        "/auth/login",
        {"email": "ada@example.com", "password": password},
        HTTP_AUTHORIZATION="Bearer not-a-jwt",
    )

    assert response.status_code == 200


def test_unknown_email_and_wrong_password_get_the_identical_response(api, customer):
    unknown = _login(api, email="nobody@example.com", password="whatever123")
    wrong = _login(api, password="wrong password")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.content == wrong.content
    assert unknown.json() == INVALID_LOGIN
    assert AuthSession.objects.count() == 0


def test_an_email_with_a_nul_character_is_the_generic_401_not_a_500(api, customer, password):
    response = _login(api, email="ada@example.com\u0000", password=password)

    assert response.status_code == 401
    assert response.json() == INVALID_LOGIN
    assert AuthSession.objects.count() == 0


def test_unknown_email_still_costs_a_password_hash(api, db, monkeypatch):
    calls = []

    def spy(password, encoded, *args, **kwargs):
        calls.append(encoded)
        return False

    monkeypatch.setattr("accounts.services.check_password", spy)

    response = _login(api, email="nobody@example.com", password="whatever123")

    assert response.status_code == 401
    assert len(calls) == 1
    assert calls[0].startswith("argon2")


def test_wrong_password_counts_a_failed_login(api, customer):
    _login(api, password="wrong password")

    customer.refresh_from_db()
    assert customer.failed_login_count == 1
    assert customer.locked_until is None


def test_a_successful_login_resets_the_failure_count(api, customer, password):
    _login(api, password="wrong password")
    _login(api, password="wrong password")

    assert _login(api, password=password).status_code == 200

    customer.refresh_from_db()
    assert customer.failed_login_count == 0


def test_five_failures_lock_the_account_and_the_right_password_gets_the_generic_401(
    api, customer, password, no_rate_limits
):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            assert _login(api, password="wrong password").json() == INVALID_LOGIN

        response = _login(api, password=password)

    assert response.status_code == 401
    assert response.json() == INVALID_LOGIN
    assert AuthSession.objects.count() == 0
    customer.refresh_from_db()
    assert customer.locked_until == NOW + timedelta(minutes=30)


def test_four_failures_do_not_lock(api, customer, password, no_rate_limits):
    for _ in range(4):
        _login(api, password="wrong password")

    assert _login(api, password=password).status_code == 200


def test_the_lock_holds_for_30_minutes_then_lifts(api, customer, password, no_rate_limits):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            _login(api, password="wrong password")
    with time_machine.travel(NOW + timedelta(minutes=29, seconds=59), tick=False):
        still_locked = _login(api, password=password)
    assert still_locked.json() == INVALID_LOGIN

    with time_machine.travel(NOW + timedelta(minutes=30, seconds=1), tick=False):
        unlocked = _login(api, password=password)

    assert unlocked.status_code == 200
    assert AuthSession.objects.count() == 1


def test_failures_while_locked_do_not_extend_the_lock(api, customer, password, no_rate_limits):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            _login(api, password="wrong password")
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        for _ in range(5):
            _login(api, password="wrong password")

    customer.refresh_from_db()
    assert customer.locked_until == NOW + timedelta(minutes=30)


def test_lockout_stays_on_when_rate_limits_are_off(api, customer, password, settings):
    settings.RATE_LIMITS_ENABLED = False
    for _ in range(5):
        _login(api, password="wrong password")

    assert _login(api, password=password).json() == INVALID_LOGIN


def test_lockout_is_per_account(api, customer, password, no_rate_limits):
    UserFactory(email="grace@example.com")
    for _ in range(5):
        _login(api, password="wrong password")

    assert _login(api, email="grace@example.com", password=password).status_code == 200


def test_inactive_customer_gets_the_generic_401(api, customer, password):
    User.objects.filter(pk=customer.pk).update(is_active=False)

    response = _login(api, password=password)

    assert response.status_code == 401
    assert response.json() == INVALID_LOGIN
    assert AuthSession.objects.count() == 0


def test_provider_email_is_the_default_flow(api, customer, password):
    response = _login(api, password=password, provider="email")

    assert response.status_code == 200
    assert response.json()["user"]["id"] == customer.public_id


def test_unknown_provider_is_400_invalid_provider(api, customer, password):
    response = _login(api, password=password, provider="google")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_provider",
            "message": "Unsupported authentication provider: google",
        }
    }
    assert AuthSession.objects.count() == 0


def test_missing_email_is_401_email_is_required(api, customer, password):
    response = api.post("/auth/login", {"password": password})

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "authentication_failed", "message": "Email is required"}
    }
    assert AuthSession.objects.count() == 0


def test_missing_password_is_401_password_is_required(api, customer):
    response = api.post("/auth/login", {"email": "ada@example.com"})

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "authentication_failed", "message": "Password is required"}
    }
    customer.refresh_from_db()
    assert customer.failed_login_count == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Email is required"),
        ({"email": "", "password": "x"}, "Email is required"),
        ({"email": 42, "password": "x"}, "Email is required"),
        ({"email": "ada@example.com", "password": ""}, "Password is required"),
        ({"email": "ada@example.com", "password": ["x"]}, "Password is required"),
    ],
)
def test_blank_or_wrongly_typed_credentials_are_refused(api, customer, body, message):
    response = api.post("/auth/login", body)

    assert response.status_code == 401
    assert response.json()["error"] == {"code": "authentication_failed", "message": message}
    assert AuthSession.objects.count() == 0
