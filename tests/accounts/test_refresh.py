import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import time_machine
from django.conf import settings

from accounts.models import AuthSession, RefreshToken
from accounts.services import SessionContext, session_start
from accounts.tokens import digest

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INVALID_REFRESH = {
    "error": {"code": "invalid_refresh_token", "message": "Invalid or expired refresh token"}
}
AUTH_REQUIRED = {"error": {"code": "authentication_required", "message": "Authentication required"}}


@pytest.fixture(autouse=True)
def _clock():
    """Every test starts at NOW; tests travel further inside it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tokens(customer):
    return session_start(user=customer, context=SessionContext("127.0.0.1", "pytest"))


def _state():
    """Everything a refused refresh must leave untouched."""
    return (
        list(AuthSession.objects.order_by("pk").values_list("pk", "revoked_at", "last_used_at")),
        list(RefreshToken.objects.order_by("pk").values_list("pk", "digest", "retired_at")),
    )


def _refresh(client, refresh_token, **extra):
    return client.post("/auth/refresh", {"refresh_token": refresh_token}, **extra)


def _me(client, access_token):
    return client.get("/customers/me", HTTP_AUTHORIZATION=f"Bearer {access_token}")


def _claims(token):
    return jwt.decode(
        token, settings.JWT_SIGNING_KEY, algorithms=["HS256"], audience="store_api", issuer="spree"
    )


def _token(*, user_id, sid, signing_key=None, **overrides):
    """An access JWT built with PyJWT directly, valid unless `overrides` break it
    (a claim overridden with None is left out)."""
    claims = {
        "user_id": user_id,
        "user_type": "customer",
        "jti": uuid.uuid4().hex,
        "iss": "spree",
        "aud": "store_api",
        "exp": int((datetime.now(UTC) + timedelta(minutes=15)).timestamp()),
        "sid": sid,
        **overrides,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, signing_key or settings.JWT_SIGNING_KEY, algorithm="HS256")


# --- rotation -----------------------------------------------------------------------------


def test_refresh_rotates_the_token(api, customer, tokens):
    response = _refresh(api, tokens.refresh_token)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "refresh_token", "user"}
    assert body["refresh_token"] != tokens.refresh_token
    assert len(body["refresh_token"]) == 32
    assert body["user"]["id"] == customer.public_id
    assert _claims(body["token"])["sid"] == tokens.session_id
    assert _claims(body["token"])["jti"] != _claims(tokens.access_token)["jti"]
    old = RefreshToken.objects.get(digest=digest(tokens.refresh_token))
    assert old.retired_at is not None
    new = RefreshToken.objects.get(digest=digest(body["refresh_token"]))
    assert new.session_id == tokens.session_id
    assert new.retired_at is None


def test_the_new_access_token_works(api, tokens):
    body = _refresh(api, tokens.refresh_token).json()

    assert _me(api, body["token"]).status_code == 200


def test_refresh_tokens_are_stored_only_as_digests(tokens):
    assert not RefreshToken.objects.filter(digest=tokens.refresh_token).exists()
    assert RefreshToken.objects.filter(digest=digest(tokens.refresh_token)).count() == 1


def test_refresh_ignores_any_authorization_header(api, tokens):
    response = _refresh(api, tokens.refresh_token, HTTP_AUTHORIZATION="Bearer garbage")

    assert response.status_code == 200


def test_refresh_updates_the_session_last_use(api, tokens):
    later = NOW + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        _refresh(api, tokens.refresh_token, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="App/3")

    session = AuthSession.objects.get(pk=tokens.session_id)
    assert session.last_used_at == later
    assert (session.ip_address, session.user_agent) == ("192.0.2.7", "App/3")


def test_a_chain_of_rotations_keeps_one_live_token(api, tokens):
    refresh_token = tokens.refresh_token
    for _ in range(3):
        refresh_token = _refresh(api, refresh_token).json()["refresh_token"]

    live = RefreshToken.objects.filter(session_id=tokens.session_id, retired_at__isnull=True)
    assert list(live.values_list("digest", flat=True)) == [digest(refresh_token)]
    assert RefreshToken.objects.filter(session_id=tokens.session_id).count() == 4


def test_reusing_a_rotated_token_revokes_the_whole_session(api, tokens):
    rotated = _refresh(api, tokens.refresh_token).json()

    reuse = _refresh(api, tokens.refresh_token)

    assert reuse.status_code == 401
    assert reuse.json() == INVALID_REFRESH
    session = AuthSession.objects.get(pk=tokens.session_id)
    assert session.revoked_at is not None
    assert session.revoked_reason == "refresh_token_reuse"
    # Both the thief's and the owner's latest credentials are now dead.
    assert _refresh(api, rotated["refresh_token"]).json() == INVALID_REFRESH
    assert _me(api, rotated["token"]).json() == AUTH_REQUIRED
    assert _me(api, tokens.access_token).json() == AUTH_REQUIRED


def test_reuse_in_one_session_leaves_other_sessions_alone(api, customer, tokens):
    other = session_start(user=customer, context=SessionContext("127.0.0.1", "other"))
    _refresh(api, tokens.refresh_token)

    _refresh(api, tokens.refresh_token)

    assert AuthSession.objects.get(pk=other.session_id).revoked_at is None
    assert _refresh(api, other.refresh_token).status_code == 200


# --- expiry -------------------------------------------------------------------------------


def test_a_refresh_token_expires_after_30_days_without_use(api, tokens):
    with time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False):
        response = _refresh(api, tokens.refresh_token)

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert RefreshToken.objects.get(digest=digest(tokens.refresh_token)).retired_at is None
    assert RefreshToken.objects.count() == 1


def test_a_refresh_token_still_works_just_before_30_days(api, tokens):
    with time_machine.travel(NOW + timedelta(days=29, hours=23), tick=False):
        assert _refresh(api, tokens.refresh_token).status_code == 200


def test_each_rotation_restarts_the_30_day_clock(api, tokens):
    with time_machine.travel(NOW + timedelta(days=29), tick=False):
        second = _refresh(api, tokens.refresh_token).json()["refresh_token"]

    with time_machine.travel(NOW + timedelta(days=58), tick=False):
        assert _refresh(api, second).status_code == 200


def test_sessions_end_90_days_after_login_however_often_they_refresh(api, tokens):
    refresh_token = tokens.refresh_token
    for day in (29, 58, 87):
        with time_machine.travel(NOW + timedelta(days=day), tick=False):
            response = _refresh(api, refresh_token)
            assert response.status_code == 200
            refresh_token = response.json()["refresh_token"]
    last = RefreshToken.objects.get(digest=digest(refresh_token))
    assert last.expires_at == NOW + timedelta(days=90)

    with time_machine.travel(NOW + timedelta(days=90, seconds=1), tick=False):
        response = _refresh(api, refresh_token)

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH


def test_access_tokens_never_outlive_the_session_cap(api, tokens):
    refresh_token = tokens.refresh_token
    days = [timedelta(days=day) for day in (29, 58, 87)]
    for moment in [*days, timedelta(days=89, hours=23, minutes=55)]:
        with time_machine.travel(NOW + moment, tick=False):
            body = _refresh(api, refresh_token).json()
            refresh_token = body["refresh_token"]

    exp = jwt.decode(body["token"], options={"verify_signature": False})["exp"]
    assert exp == int((NOW + timedelta(days=90)).timestamp())  # not 23:55 + 15 minutes


def test_session_lifetimes_are_configurable(api, customer, settings):
    settings.REFRESH_TOKEN_SLIDING_LIFETIME = timedelta(days=1)
    settings.SESSION_ABSOLUTE_LIFETIME = timedelta(days=2)
    with time_machine.travel(NOW, tick=False):
        short = session_start(user=customer, context=SessionContext(None, ""))

    with time_machine.travel(NOW + timedelta(days=1, seconds=1), tick=False):
        assert _refresh(api, short.refresh_token).status_code == 401
    assert AuthSession.objects.get(pk=short.session_id).expires_at == NOW + timedelta(days=2)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}, {"refresh_token": None}])
def test_blank_refresh_token_is_required(api, tokens, body):
    before = _state()

    response = api.post("/auth/refresh", body)

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "invalid_refresh_token", "message": "refresh_token is required"}
    }
    assert _state() == before


@pytest.mark.parametrize("value", ["unknown-token", 12345, ["x"]])
def test_unknown_refresh_token_is_401(api, tokens, value):
    response = api.post("/auth/refresh", {"refresh_token": value})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_refresh_token"
    assert RefreshToken.objects.count() == 1
    assert AuthSession.objects.get(pk=tokens.session_id).revoked_at is None


def test_an_access_token_is_not_a_refresh_token(api, tokens):
    before = _state()

    response = _refresh(api, tokens.access_token)

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert _state() == before


def test_refresh_after_logout_is_401(api, tokens):
    assert api.post("/auth/logout", {"refresh_token": tokens.refresh_token}).status_code == 204

    response = _refresh(api, tokens.refresh_token)

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert RefreshToken.objects.get().retired_at is None


def test_refresh_of_an_inactive_customer_is_401(api, customer, tokens):
    customer.is_active = False
    customer.save()

    before = _state()

    response = _refresh(api, tokens.refresh_token)

    assert response.json() == INVALID_REFRESH
    assert RefreshToken.objects.count() == 1
    assert _state() == before


# --- the seed's `{"token": <access JWT>}` form ------------------------------------------


def test_access_token_form_returns_a_fresh_access_token_in_the_same_session(api, customer, tokens):
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        response = api.post("/auth/refresh", {"token": tokens.access_token})

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token", "user"}
        assert body["user"]["id"] == customer.public_id
        claims = _claims(body["token"])
    assert claims["sid"] == tokens.session_id
    assert claims["exp"] == int((NOW + timedelta(minutes=20)).timestamp())
    assert RefreshToken.objects.count() == 1  # no rotation in this form
    assert AuthSession.objects.count() == 1


def test_access_token_form_with_an_expired_token_is_401(api, tokens):
    before = _state()

    with time_machine.travel(NOW + timedelta(minutes=15, seconds=1), tick=False):
        response = api.post("/auth/refresh", {"token": tokens.access_token})

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert _state() == before


def test_access_token_form_with_a_revoked_session_is_401(api, tokens):
    AuthSession.objects.filter(pk=tokens.session_id).update(revoked_at=NOW)

    before = _state()

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = api.post("/auth/refresh", {"token": tokens.access_token})

    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
    assert _state() == before


def test_access_token_form_with_a_forged_token_is_401(api, customer, tokens):
    forged = _token(user_id=customer.pk, sid=tokens.session_id, signing_key="x" * 40)

    before = _state()

    response = api.post("/auth/refresh", {"token": forged})

    assert response.json() == INVALID_REFRESH
    assert _state() == before


def test_refresh_token_wins_when_both_forms_are_sent(api, tokens):
    response = api.post(
        "/auth/refresh", {"refresh_token": tokens.refresh_token, "token": "ignored"}
    )

    assert response.status_code == 200
    assert "refresh_token" in response.json()


# --- access tokens that must be ignored ---------------------------------------------------


def test_a_token_built_with_pyjwt_and_the_right_claims_is_accepted(api, customer, tokens):
    good = _token(user_id=customer.pk, sid=tokens.session_id)

    response = _me(api, good)

    assert response.status_code == 200
    assert response.json()["id"] == customer.public_id


def test_expired_access_token_is_ignored(api, customer, tokens):
    with time_machine.travel(NOW + timedelta(minutes=15, seconds=1), tick=False):
        response = _me(api, tokens.access_token)

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_access_token_just_before_expiry_still_works(api, tokens):
    with time_machine.travel(NOW + timedelta(minutes=14, seconds=59), tick=False):
        assert _me(api, tokens.access_token).status_code == 200


def _tamper(token, **changes):
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    new_payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{new_payload}.{signature}"


def test_tampered_access_token_is_ignored(api, customer, other_customer, tokens):
    tampered = _tamper(tokens.access_token, user_id=other_customer.pk)

    response = _me(api, tampered)

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "admin_api"},
        {"aud": None},
        {"iss": "someone-else"},
        {"iss": None},
        {"signing_key": "a-different-signing-key-of-enough-length"},
        {"user_type": "admin"},
        {"user_type": None},
        {"exp": None},
        {"exp": 1_000_000_000},
        {"sid": "1"},
    ],
    ids=[
        "wrong-audience",
        "no-audience",
        "wrong-issuer",
        "no-issuer",
        "wrong-signing-key",
        "admin-user-type",
        "no-user-type",
        "no-exp",
        "expired",
        "sid-not-an-integer",
    ],
)
def test_bad_access_tokens_are_ignored(api, customer, tokens, overrides):
    bad = _token(**{"user_id": customer.pk, "sid": tokens.session_id, **overrides})

    response = _me(api, bad)

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_token_signed_with_the_secret_key_is_ignored(api, customer, tokens):
    bad = _token(user_id=customer.pk, sid=tokens.session_id, signing_key=settings.SECRET_KEY)

    assert _me(api, bad).json() == AUTH_REQUIRED


def test_unsigned_alg_none_token_is_ignored(api, customer, tokens):
    claims = _claims(tokens.access_token)
    unsigned = jwt.encode(claims, key=None, algorithm="none")

    assert _me(api, unsigned).json() == AUTH_REQUIRED


def test_token_naming_another_customers_session_is_ignored(api, customer, other_customer):
    theirs = session_start(user=other_customer, context=SessionContext(None, ""))
    mixed = _token(user_id=customer.pk, sid=theirs.session_id)

    assert _me(api, mixed).json() == AUTH_REQUIRED


def test_token_of_a_revoked_session_is_refused_before_it_expires(api, tokens):
    AuthSession.objects.filter(pk=tokens.session_id).update(revoked_at=NOW)

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = _me(api, tokens.access_token)

    assert response.json() == AUTH_REQUIRED


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "Bearer ", "Basic Zm9vOmJhcg=="])
def test_malformed_authorization_headers_are_ignored(api, tokens, header):
    response = api.get("/customers/me", HTTP_AUTHORIZATION=header)

    assert response.json() == AUTH_REQUIRED


def test_a_remembered_access_token_still_expires(api, tokens):
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert _me(api, tokens.access_token).status_code == 200  # verified and remembered
    with time_machine.travel(NOW + timedelta(minutes=15, seconds=1), tick=False):
        response = _me(api, tokens.access_token)

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_a_remembered_access_token_is_refused_once_its_session_is_revoked(api, tokens):
    assert _me(api, tokens.access_token).status_code == 200  # verified and remembered
    AuthSession.objects.filter(pk=tokens.session_id).update(revoked_at=NOW)

    assert _me(api, tokens.access_token).status_code == 401


def test_a_tampered_copy_of_a_remembered_access_token_is_refused(api, customer, tokens):
    assert _me(api, tokens.access_token).status_code == 200  # verified and remembered

    assert _me(api, _tamper(tokens.access_token, user_id=customer.pk + 1)).status_code == 401


@pytest.mark.parametrize("addresses", [0, 20])
def test_refresh_statements_do_not_grow_with_the_profile(
    api, customer, tokens, addresses, django_assert_max_num_queries
):
    """Lock the token, retire it, insert its successor, touch the session, read the profile
    (one statement: addresses and store credit)."""
    from decimal import Decimal

    from payments.services.balances import store_credit_grant
    from tests.factories import AddressFactory

    for _ in range(addresses):
        AddressFactory(user=customer)
    store_credit_grant(user=customer, amount=Decimal("5.00"), currency="USD")
    api.get("/countries")  # the publishable key is read into its cache

    with django_assert_max_num_queries(7) as queries:
        response = api.post("/auth/refresh", {"refresh_token": tokens.refresh_token})

    assert response.status_code == 200
    assert len(response.json()["user"]["addresses"]) == addresses
    assert len(queries.captured_queries) == 7  # and the rotation's SAVEPOINT and RELEASE
