"""Account pages: sign up, sign in (rate limit, lockout, one generic failure message, the guest
cart taken over), sign out, forgotten password and reset, profile, email, password and
sessions. Every denied or refused request also proves the database did not change."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from accounts.browser_sessions import SESSION_KEY
from accounts.models import AuthSession, User
from accounts.services import SessionContext, password_reset_request, session_start
from accounts.views import INVALID_CREDENTIALS, LOCKOUT_HINT, TOO_MANY_ATTEMPTS
from orders.middleware import CART_COOKIE, CART_COOKIE_SALT
from orders.services.carts import CART_ADOPTED, cart_create, cart_item_add
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.orders.conftest import make_variant
from tests.pages import (
    assert_redirects_to_sign_in,
    field_errors,
    messages_of,
    queries_for,
    sign_in,
)

NEW_PASSWORD = "a brand new passphrase"


def _users() -> list[dict]:
    return list(User.objects.order_by("pk").values())


def _sessions() -> list[dict]:
    return list(AuthSession.objects.order_by("pk").values())


def _signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def _signed_cart_cookie(token: str) -> str:
    """The cart cookie a storefront page sets for a guest cart."""
    response = HttpResponse()
    response.set_signed_cookie(CART_COOKIE, token, salt=CART_COOKIE_SALT)
    return response.cookies[CART_COOKIE].value


def _sign_up_data(**overrides) -> dict:
    return {
        "first_name": "Katherine",
        "last_name": "Johnson",
        "email": "katherine@example.com",
        "password": NEW_PASSWORD,
        "password_confirmation": NEW_PASSWORD,
        "accepts_email_marketing": "on",
        **overrides,
    }


# --- who may see which page ------------------------------------------------------------------

ACCOUNT_PAGES = [
    "/account/",
    "/account/profile/",
    "/account/email/",
    "/account/password/",
    "/account/sessions/",
]


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_send_an_anonymous_visitor_to_sign_in(client, db, path):
    assert_redirects_to_sign_in(client.get(path), path)


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_render_for_their_owner(client, customer, path):
    sign_in(client, customer)

    response = client.get(path)

    assert response.status_code == 200
    assert b'<nav aria-label="Account"' in response.content


@pytest.mark.parametrize(
    "path", ["/account/sign-in/", "/account/sign-up/", "/account/password/forgot/"]
)
def test_public_pages_render_with_a_csrf_protected_form(client, db, path):
    response = client.get(path)

    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert b"<label" in response.content


def test_account_home_shows_the_customer_and_their_store_credit(client, customer):
    sign_in(client, customer)

    response = client.get("/account/")

    assert b"Hello, Ada" in response.content
    assert b"Signed in as ada@example.com" in response.content
    assert b"$0.00" in response.content


def test_forms_refuse_a_post_without_csrf_token(customer):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/account/sign-in/", {"email": customer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 403
    assert _signed_in_user_id(browser) is None


# --- sign up ---------------------------------------------------------------------------------


def test_sign_up_creates_the_customer_and_signs_the_browser_in(client, db):
    response = client.post("/account/sign-up/", _sign_up_data(), HTTP_USER_AGENT="Firefox 140")

    assert response.status_code == 302 and response["Location"] == "/account/"
    user = User.objects.get(email="katherine@example.com")
    assert (user.first_name, user.last_name, user.accepts_email_marketing) == (
        "Katherine",
        "Johnson",
        True,
    )
    assert user.check_password(NEW_PASSWORD)
    assert _signed_in_user_id(client) == user.pk
    session = AuthSession.objects.get(user=user)
    assert client.session[SESSION_KEY] == session.pk
    assert session.user_agent == "Firefox 140"
    assert messages_of(response) == ["Welcome! Your account is ready."]


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"email": "ada@example.com"}, "email", "Email has already been taken"),
        ({"email": "not-an-email"}, "email", "Email is invalid"),
        (
            {"password": "short", "password_confirmation": "short"},
            "password",
            "Password is too short (minimum is 8 characters)",
        ),
        (
            {"password_confirmation": "something else"},
            "password_confirmation",
            "Confirm password doesn't match Password",
        ),
        ({"email": ""}, "email", "This field is required."),
    ],
)
def test_sign_up_with_bad_input_shows_the_error_next_to_the_field_and_creates_nothing(
    client, customer, overrides, field, error
):
    users, sessions = _users(), _sessions()

    response = client.post("/account/sign-up/", _sign_up_data(**overrides))

    assert response.status_code == 200
    assert field_errors(response)[field] == [error]
    assert f'id="id_{field}_error"'.encode() in response.content
    assert messages_of(response) == ["Please correct the errors below."]
    assert _users() == users and _sessions() == sessions
    assert _signed_in_user_id(client) is None


def test_sign_up_has_the_api_registration_rate_limit(client, db):
    limit, _window = settings.RATE_LIMITS["register"]
    for number in range(limit):
        client.post("/account/sign-up/", _sign_up_data(email=f"taken{number}@", password="x"))
    users = _users()

    response = client.post("/account/sign-up/", _sign_up_data())

    assert response.status_code == 429
    assert messages_of(response) == [TOO_MANY_ATTEMPTS]
    assert _users() == users


# --- sign in ---------------------------------------------------------------------------------


def test_sign_in_opens_an_auth_session_for_this_browser(client, customer):
    response = client.post(
        "/account/sign-in/",
        {"email": " ADA@example.com ", "password": DEFAULT_PASSWORD},
        HTTP_USER_AGENT="Chromium 140",
    )

    assert response.status_code == 302 and response["Location"] == "/account/"
    assert _signed_in_user_id(client) == customer.pk
    session = AuthSession.objects.get(user=customer)
    assert client.session[SESSION_KEY] == session.pk
    assert (session.user_agent, session.ip_address) == ("Chromium 140", "127.0.0.1")
    assert messages_of(response) == ["You are signed in."]


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/account/orders/", "/account/orders/"),
        ("https://evil.example/phish", "/account/"),
        ("//evil.example/", "/account/"),
    ],
)
def test_sign_in_returns_to_next_only_on_this_site(client, customer, next_url, location):
    response = client.post(
        "/account/sign-in/",
        {"email": customer.email, "password": DEFAULT_PASSWORD, "next": next_url},
    )

    assert response["Location"] == location


@pytest.mark.parametrize(
    "data",
    [
        {"email": "ada@example.com", "password": "wrong password"},
        {"email": "nobody@example.com", "password": DEFAULT_PASSWORD},
    ],
    ids=["wrong password", "unknown email"],
)
def test_every_failed_sign_in_gets_the_same_generic_message(client, customer, data):
    sessions = _sessions()

    response = client.post("/account/sign-in/", data)

    assert response.status_code == 200
    assert field_errors(response) == {"__all__": [INVALID_CREDENTIALS]}
    assert _signed_in_user_id(client) is None
    assert _sessions() == sessions


def test_a_wrong_password_counts_towards_the_lockout(client, customer):
    client.post("/account/sign-in/", {"email": customer.email, "password": "wrong password"})

    customer.refresh_from_db()
    assert customer.failed_login_count == 1


def test_a_locked_account_gets_the_same_message_and_a_hint_even_with_the_right_password(
    client, customer, settings
):
    settings.RATE_LIMITS_ENABLED = False  # the lockout, not the per-IP limit, is under test
    for _attempt in range(settings.LOGIN_LOCKOUT_THRESHOLD):
        client.post("/account/sign-in/", {"email": customer.email, "password": "wrong password"})
    customer.refresh_from_db()
    assert customer.locked_until is not None and customer.locked_until > timezone.now()
    sessions = _sessions()

    response = client.post(
        "/account/sign-in/", {"email": customer.email, "password": DEFAULT_PASSWORD}
    )

    assert field_errors(response) == {"__all__": [INVALID_CREDENTIALS, LOCKOUT_HINT]}
    assert _signed_in_user_id(client) is None
    assert _sessions() == sessions


def test_the_lockout_hint_depends_on_this_browser_only_not_on_the_account(client, db, settings):
    """An unknown email gets the hint after as many failures as a real one: no enumeration."""
    settings.RATE_LIMITS_ENABLED = False
    for _attempt in range(settings.LOGIN_LOCKOUT_THRESHOLD - 1):
        response = client.post(
            "/account/sign-in/", {"email": "nobody@example.com", "password": "x"}
        )
        assert field_errors(response) == {"__all__": [INVALID_CREDENTIALS]}

    response = client.post("/account/sign-in/", {"email": "nobody@example.com", "password": "x"})

    assert field_errors(response) == {"__all__": [INVALID_CREDENTIALS, LOCKOUT_HINT]}


def test_sign_in_has_the_api_login_rate_limit_per_ip(client, customer):
    limit, _window = settings.RATE_LIMITS["login"]
    for _attempt in range(limit):
        client.post("/account/sign-in/", {"email": "nobody@example.com", "password": "x"})

    response = client.post(
        "/account/sign-in/", {"email": customer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 429
    assert messages_of(response) == [TOO_MANY_ATTEMPTS]
    assert _signed_in_user_id(client) is None
    assert not AuthSession.objects.exists()


def test_the_api_and_the_sign_in_page_share_the_login_rate_limit(client, api, customer):
    limit, _window = settings.RATE_LIMITS["login"]
    for _attempt in range(limit):
        api.post("/auth/login", {"email": "nobody@example.com", "password": "x"})

    response = client.post(
        "/account/sign-in/", {"email": customer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 429


def test_sign_in_with_a_missing_field_shows_it_next_to_the_field(client, customer):
    response = client.post("/account/sign-in/", {"email": customer.email})

    assert field_errors(response) == {"password": ["This field is required."]}
    assert _signed_in_user_id(client) is None
    customer.refresh_from_db()
    assert customer.failed_login_count == 0


def test_sign_in_takes_the_guest_cart_of_this_browser_over(client, customer):
    variant = make_variant()
    guest = cart_create(user=None, data={}, currency="USD")
    cart_item_add(cart=guest, variant_id=variant.public_id, quantity=2)
    client.cookies[CART_COOKIE] = _signed_cart_cookie(guest.token)

    response = client.post(
        "/account/sign-in/", {"email": customer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.user_id == customer.pk
    assert messages_of(response) == ["You are signed in.", CART_ADOPTED]


def test_a_signed_in_visitor_is_sent_on_from_the_sign_in_page(client, customer):
    sign_in(client, customer)

    assert client.get("/account/sign-in/")["Location"] == "/account/"


# --- sign out --------------------------------------------------------------------------------


def test_sign_out_ends_the_auth_session_and_forgets_the_cart(client, customer):
    session_id = sign_in(client, customer)

    response = client.post("/account/sign-out/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_user_id(client) is None
    session = AuthSession.objects.get(pk=session_id)
    assert (session.revoked_at is not None, session.revoked_reason) == (True, "logout")
    assert response.cookies[CART_COOKIE]["max-age"] == 0
    assert messages_of(response) == ["You have been signed out."]


def test_sign_out_is_post_only(client, customer):
    sign_in(client, customer)

    assert client.get("/account/sign-out/").status_code == 405
    assert _signed_in_user_id(client) == customer.pk


# --- forgotten password and reset ------------------------------------------------------------


def test_forgotten_password_sends_the_mail_with_the_page_link(
    client, customer, settings, django_capture_on_commit_callbacks
):
    settings.STOREFRONT_URL = "https://shop.example"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password/forgot/", {"email": customer.email})

    assert response.status_code == 302 and response["Location"] == "/account/sign-in/"
    assert messages_of(response) == [
        "If an account exists for that email, password reset instructions have been sent."
    ]
    assert len(mail.outbox) == 1
    assert re.search(
        r"https://shop\.example/account/password/reset/[A-Za-z0-9]+/", mail.outbox[0].body
    )


def test_forgotten_password_for_an_unknown_email_says_the_same_and_sends_nothing(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password/forgot/", {"email": "nobody@example.com"})

    assert messages_of(response) == [
        "If an account exists for that email, password reset instructions have been sent."
    ]
    assert mail.outbox == []


def _reset_token(customer, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=customer.email)
    return re.search(r"/account/password/reset/([A-Za-z0-9]+)/", mail.outbox[-1].body).group(1)


def test_reset_page_sets_the_password_ends_other_sessions_and_signs_in(
    client, customer, django_capture_on_commit_callbacks
):
    token = _reset_token(customer, django_capture_on_commit_callbacks)
    other = session_start(user=customer, context=SessionContext("10.0.0.1", "phone app"))
    assert client.get(f"/account/password/reset/{token}/").status_code == 200

    response = client.post(
        f"/account/password/reset/{token}/",
        {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == "/account/"
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)
    assert AuthSession.objects.get(pk=other.session_id).revoked_reason == "password_reset"
    assert _signed_in_user_id(client) == customer.pk
    assert AuthSession.objects.get(pk=client.session[SESSION_KEY]).revoked_at is None


def test_reset_page_with_an_unknown_token_changes_nothing(client, customer):
    users = _users()

    response = client.post(
        "/account/password/reset/not-a-real-token/",
        {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        "This reset link is invalid or has expired. Please ask for a new one."
    ]
    assert b"Ask for a new reset link" in response.content
    assert _users() == users
    assert _signed_in_user_id(client) is None


def test_reset_page_with_a_weak_password_shows_it_and_keeps_the_token_usable(
    client, customer, django_capture_on_commit_callbacks
):
    token = _reset_token(customer, django_capture_on_commit_callbacks)
    users = _users()

    response = client.post(
        f"/account/password/reset/{token}/",
        {"password": "short", "password_confirmation": "short"},
    )

    assert field_errors(response) == {
        "password": ["New password is too short (minimum is 8 characters)"]
    }
    assert _users() == users
    response = client.post(
        f"/account/password/reset/{token}/",
        {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert response.status_code == 302


# --- profile, email and password -------------------------------------------------------------


def test_profile_saves_name_phone_and_marketing_consent(client, customer):
    sign_in(client, customer)

    response = client.post(
        "/account/profile/",
        {
            "first_name": " Augusta ",
            "last_name": "King",
            "phone": "+44 20 7946 0000",
            "accepts_email_marketing": "on",
        },
    )

    assert response["Location"] == "/account/profile/"
    customer.refresh_from_db()
    assert (
        customer.first_name,
        customer.last_name,
        customer.phone,
        customer.accepts_email_marketing,
    ) == ("Augusta", "King", "+44 20 7946 0000", True)
    assert messages_of(response) == ["Your profile has been saved."]


def test_profile_with_too_long_a_name_changes_nothing(client, customer):
    sign_in(client, customer)
    users = _users()

    response = client.post("/account/profile/", {"first_name": "A" * 101, "last_name": "King"})

    assert response.status_code == 200
    assert list(field_errors(response)) == ["first_name"]
    assert messages_of(response) == ["Please correct the errors below."]
    assert _users() == users


def test_email_change_needs_the_current_password(client, customer):
    sign_in(client, customer)
    users = _users()

    response = client.post(
        "/account/email/", {"email": "augusta@example.com", "current_password": "wrong"}
    )

    assert field_errors(response) == {"current_password": ["Current password is incorrect."]}
    assert messages_of(response) == ["Your email was not changed. Please correct the errors below."]
    assert _users() == users


def test_email_change_to_a_taken_email_changes_nothing(client, customer, other_customer):
    sign_in(client, customer)
    users = _users()

    response = client.post(
        "/account/email/", {"email": other_customer.email, "current_password": DEFAULT_PASSWORD}
    )

    assert field_errors(response) == {"email": ["New email has already been taken"]}
    assert _users() == users


def test_email_change_with_the_current_password(client, customer):
    sign_in(client, customer)

    response = client.post(
        "/account/email/",
        {"email": "Augusta@Example.com", "current_password": DEFAULT_PASSWORD},
    )

    assert response["Location"] == "/account/"
    customer.refresh_from_db()
    assert customer.email == "augusta@example.com"


def test_password_change_ends_every_other_session_and_keeps_this_browser(client, customer):
    current = sign_in(client, customer)
    api_session = session_start(user=customer, context=SessionContext("10.0.0.2", "app"))
    second = Client()  # another browser of the same customer
    second_id = sign_in(second, customer)

    response = client.post(
        "/account/password/",
        {
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert response["Location"] == "/account/"
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)
    revoked = dict(
        AuthSession.objects.filter(revoked_at__isnull=False).values_list("pk", "revoked_reason")
    )
    assert revoked == {
        api_session.session_id: "password_changed",
        second_id: "password_changed",
    }
    assert client.get("/account/").status_code == 200
    assert AuthSession.objects.get(pk=current).revoked_at is None
    assert_redirects_to_sign_in(second.get("/account/"), "/account/")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"current_password": "wrong", "password": NEW_PASSWORD},
            {"current_password": ["Current password is incorrect."]},
        ),
        (
            {"current_password": DEFAULT_PASSWORD, "password": "short"},
            {"password": ["New password is too short (minimum is 8 characters)"]},
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "password": NEW_PASSWORD,
                "password_confirmation": "different",
            },
            {"password_confirmation": ["Confirm new password doesn't match Password"]},
        ),
    ],
    ids=["wrong current password", "weak password", "confirmation differs"],
)
def test_password_change_refused_changes_nothing(client, customer, data, errors):
    sign_in(client, customer)
    other = session_start(user=customer, context=SessionContext("10.0.0.2", "app"))
    data = {"password_confirmation": data["password"], **data}
    users, sessions = _users(), _sessions()

    response = client.post("/account/password/", data)

    assert field_errors(response) == errors
    assert _users() == users and _sessions() == sessions
    assert AuthSession.objects.get(pk=other.session_id).revoked_at is None


# --- sessions --------------------------------------------------------------------------------


def test_sessions_page_lists_api_sessions_and_marks_this_browser(client, customer, other_customer):
    sign_in(client, customer)
    session_start(user=customer, context=SessionContext("10.0.0.7", "Storefront app/2.1"))
    session_start(user=other_customer, context=SessionContext("10.9.9.9", "Someone else"))

    response = client.get("/account/sessions/")

    content = response.content.decode()
    assert "This browser" in content
    assert "Storefront app/2.1" in content and "10.0.0.7" in content
    assert "Someone else" not in content
    assert content.count("Sign out<span") == 1  # only the other session has a button


def test_sessions_page_costs_the_same_queries_for_one_session_or_many(client, customer):
    sign_in(client, customer)
    one = queries_for(client, "/account/sessions/")
    for number in range(4):
        session_start(user=customer, context=SessionContext(f"10.0.0.{number}", "app"))

    assert queries_for(client, "/account/sessions/") == one


def test_signing_out_another_session(client, customer):
    sign_in(client, customer)
    other = session_start(user=customer, context=SessionContext("10.0.0.7", "app"))
    public_id = AuthSession.objects.get(pk=other.session_id).public_id

    response = client.post(f"/account/sessions/{public_id}/sign-out/")

    assert response["Location"] == "/account/sessions/"
    assert AuthSession.objects.get(pk=other.session_id).revoked_reason == "signed_out"
    assert client.get("/account/").status_code == 200


def test_another_customers_session_is_not_found_and_stays(client, customer, other_customer):
    sign_in(client, customer)
    theirs = session_start(user=other_customer, context=SessionContext("10.0.0.8", "app"))
    public_id = AuthSession.objects.get(pk=theirs.session_id).public_id
    sessions = _sessions()

    response = client.post(f"/account/sessions/{public_id}/sign-out/")

    assert response.status_code == 404
    assert _sessions() == sessions


def test_sign_out_everywhere_else_keeps_only_this_browser(client, customer, other_customer):
    current = sign_in(client, customer)
    for number in range(2):
        session_start(user=customer, context=SessionContext(f"10.0.0.{number}", "app"))
    theirs = session_start(user=other_customer, context=SessionContext("10.0.1.1", "app"))

    response = client.post("/account/sessions/sign-out-others/")

    assert messages_of(response) == ["Signed out of 2 other sessions."]
    live = set(AuthSession.objects.filter(revoked_at__isnull=True).values_list("pk", flat=True))
    assert live == {current, theirs.session_id}


def test_a_browser_whose_session_was_ended_elsewhere_is_signed_out(client, customer):
    session_id = sign_in(client, customer)
    AuthSession.objects.filter(pk=session_id).update(
        revoked_at=timezone.now(), revoked_reason="signed_out"
    )

    response = client.get("/account/")

    assert_redirects_to_sign_in(response, "/account/")
    assert _signed_in_user_id(client) is None


def test_a_browser_marks_its_session_used_at_most_every_few_minutes(client, customer):
    session_id = sign_in(client, customer)
    long_ago = timezone.now() - timedelta(hours=1)
    AuthSession.objects.filter(pk=session_id).update(last_used_at=long_ago)

    client.get("/account/")
    first = AuthSession.objects.get(pk=session_id).last_used_at
    client.get("/account/")

    assert first > long_ago
    assert AuthSession.objects.get(pk=session_id).last_used_at == first


def test_sign_in_through_the_admin_is_not_tied_to_an_auth_session(client, db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    assert client.get("/account/").status_code == 200
    assert not AuthSession.objects.filter(user=staff).exists()
