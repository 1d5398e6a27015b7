import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import AuthSession, PasswordResetToken, User
from accounts.services import SessionContext, session_start

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACCEPTED = {
    "message": "If an account exists for that email, password reset instructions have been sent."
}
TOKEN_INVALID = {
    "error": {
        "code": "password_reset_token_invalid",
        "message": "Password reset token is invalid or has expired.",
    }
}
NEW_PASSWORD = {"password": "brand new pass", "password_confirmation": "brand new pass"}
LINK = re.compile(r"http://127\.0\.0\.1:8000/account/password/reset/([1-9A-HJ-NP-Za-km-z]{32})/")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _storefront(settings):
    settings.STOREFRONT_URL = "http://127.0.0.1:8000"
    settings.CORS_ALLOWED_ORIGINS = ["https://shop.example"]


@pytest.fixture
def request_reset(api, django_capture_on_commit_callbacks):
    """POST /password_resets as the storefront does; returns the response (mail is sent)."""

    def send(email="ada@example.com", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return api.post("/password_resets", {"email": email, **extra})

    return send


@pytest.fixture
def reset_token(customer, request_reset):
    request_reset()
    return LINK.search(mail.outbox[-1].body).group(1)


def _complete(api, token, body=None):
    return api.patch(f"/password_resets/{token}", NEW_PASSWORD if body is None else body)


def _password_row(user):
    return User.objects.values_list("password", flat=True).get(pk=user.pk)


# --- request ------------------------------------------------------------------------------


def test_request_for_a_known_email_is_202_and_mails_a_link(customer, request_reset):
    response = request_reset(email="ADA@example.com")

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Reset your Demo Shop password"
    assert "within 15 minutes" in message.body
    assert LINK.search(message.body)
    assert PasswordResetToken.objects.filter(user=customer).count() == 1


def test_request_for_an_unknown_email_is_the_same_202_and_sends_nothing(customer, request_reset):
    known = request_reset()
    mail.outbox.clear()

    unknown = request_reset(email="nobody@example.com")

    assert unknown.status_code == 202
    assert unknown.content == known.content
    assert mail.outbox == []
    assert PasswordResetToken.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"email": ""}, {"email": "not-an-email"}])
def test_request_without_a_usable_email_is_still_202(api, customer, body):
    response = api.post("/password_resets", body)

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert mail.outbox == []
    assert PasswordResetToken.objects.count() == 0


def test_request_for_an_inactive_customer_sends_nothing(customer, request_reset):
    User.objects.filter(pk=customer.pk).update(is_active=False)

    assert request_reset().json() == ACCEPTED
    assert mail.outbox == []


def test_the_token_is_stored_only_as_a_digest(reset_token):
    assert not PasswordResetToken.objects.filter(digest=reset_token).exists()
    row = PasswordResetToken.objects.get()
    assert row.expires_at == NOW + timedelta(minutes=15)


def test_redirect_url_on_an_allowed_origin_is_used_for_the_link(api, customer, request_reset):
    request_reset(redirect_url="https://shop.example/account/reset?step=2")

    body = mail.outbox[0].body
    match = re.search(r"https://shop\.example/account/reset\?step=2&token=(\w{32})\n", body)
    assert match
    assert "127.0.0.1:8000" not in body
    assert _complete(api, match.group(1)).status_code == 200


def test_the_plain_text_mail_is_not_html_escaped(customer, request_reset):
    User.objects.filter(pk=customer.pk).update(first_name="D'Arcy")

    request_reset(redirect_url="https://shop.example/reset?a=1")

    body = mail.outbox[0].body
    assert body.startswith("Hello D'Arcy,")
    assert "&amp;" not in body
    assert "?a=1&token=" in body


@pytest.mark.parametrize(
    "redirect_url",
    [
        "https://evil.example/reset",
        "https://shop.example.evil.example/reset",
        "javascript:alert(1)",
        "//evil.example/reset",
        "http://shop.example/reset",
    ],
)
def test_redirect_url_on_another_origin_is_dropped(customer, request_reset, redirect_url):
    response = request_reset(redirect_url=redirect_url)

    assert response.status_code == 202
    body = mail.outbox[0].body
    assert LINK.search(body)
    assert "evil" not in body
    assert "javascript" not in body


# --- complete -----------------------------------------------------------------------------


def test_reset_sets_the_password_and_signs_in(api, customer, reset_token):
    response = _complete(api, reset_token)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "refresh_token", "user"}
    assert body["user"]["id"] == customer.public_id
    customer.refresh_from_db()
    assert customer.check_password("brand new pass")
    login = api.post("/auth/login", {"email": "ada@example.com", "password": "brand new pass"})
    assert login.status_code == 200
    me = api.get("/customers/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200


def test_reset_ends_every_existing_session(api, customer, customer_api, reset_token):
    phone = session_start(user=customer, context=SessionContext(None, "phone"))

    response = _complete(api, reset_token)

    assert response.status_code == 200
    for ended in (customer_api.session_id, phone.session_id):
        assert AuthSession.objects.get(pk=ended).revoked_reason == "password_reset"
    assert customer_api.get("/customers/me").status_code == 401
    assert api.post("/auth/refresh", {"refresh_token": phone.refresh_token}).status_code == 401
    live = AuthSession.objects.filter(user=customer, revoked_at__isnull=True)
    assert live.count() == 1


def test_reset_unlocks_a_locked_account(api, customer, reset_token):
    User.objects.filter(pk=customer.pk).update(
        failed_login_count=3, locked_until=NOW + timedelta(minutes=20)
    )

    _complete(api, reset_token)

    customer.refresh_from_db()
    assert (customer.failed_login_count, customer.locked_until) == (0, None)


def test_a_token_works_only_once(api, customer, reset_token):
    assert _complete(api, reset_token).status_code == 200
    password_after_first = _password_row(customer)

    second = _complete(
        api, reset_token, {"password": "third pass 3", "password_confirmation": "third pass 3"}
    )

    assert second.status_code == 422
    assert second.json() == TOKEN_INVALID
    assert _password_row(customer) == password_after_first


def test_a_token_marked_used_is_refused_even_if_the_password_is_unchanged(
    api, customer, reset_token
):
    PasswordResetToken.objects.update(used_at=NOW)
    before = _password_row(customer)

    response = _complete(api, reset_token)

    assert response.json() == TOKEN_INVALID
    assert _password_row(customer) == before


def test_a_token_expires_after_15_minutes(api, customer, reset_token, _clock):
    before = _password_row(customer)
    _clock.shift(timedelta(minutes=15, seconds=1))

    response = _complete(api, reset_token)

    assert response.status_code == 422
    assert response.json() == TOKEN_INVALID
    assert _password_row(customer) == before


def test_a_token_still_works_just_before_15_minutes(api, reset_token, _clock):
    _clock.shift(timedelta(minutes=14, seconds=59))

    assert _complete(api, reset_token).status_code == 200


def test_a_token_dies_when_the_password_changes(api, customer, customer_api, password, reset_token):
    changed = customer_api.patch(
        "/customers/me",
        {
            "password": "changed pass 1",
            "password_confirmation": "changed pass 1",
            "current_password": password,
        },
    )
    assert changed.status_code == 200
    before = _password_row(customer)

    response = _complete(api, reset_token)

    assert response.json() == TOKEN_INVALID
    assert _password_row(customer) == before


def test_using_one_token_kills_the_others(api, customer, request_reset, _clock):
    request_reset()
    request_reset()
    first, second = (LINK.search(message.body).group(1) for message in mail.outbox)
    _clock.shift(timedelta(minutes=1))  # a fresh rate-limit window

    assert _complete(api, second).status_code == 200

    assert _complete(api, first).json() == TOKEN_INVALID


@pytest.mark.parametrize("token", ["unknown", "x" * 32, "%20"])
def test_a_bad_token_is_422(api, customer, reset_token, token):
    before = _password_row(customer)

    response = _complete(api, token)

    assert response.status_code == 422
    assert response.json() == TOKEN_INVALID
    assert _password_row(customer) == before
    assert AuthSession.objects.count() == 0


def test_mismatched_confirmation_is_422_and_the_token_still_works(api, customer, reset_token):
    before = _password_row(customer)

    response = _complete(
        api, reset_token, {"password": "brand new pass", "password_confirmation": "different!"}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Password confirmation doesn't match Password",
            "details": {"password_confirmation": ["doesn't match Password"]},
        }
    }
    assert _password_row(customer) == before
    assert PasswordResetToken.objects.get().used_at is None
    assert _complete(api, reset_token).status_code == 200


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"password": "short", "password_confirmation": "short"},
         {"password": ["is too short (minimum is 8 characters)"]}),
        ({}, {"password": ["can't be blank"]}),
        ({"password": 12345678}, {"password": ["must be a string"]}),
    ],
)  # fmt: skip
def test_an_invalid_new_password_is_422_and_the_token_survives(
    api, customer, customer_api, reset_token, body, details
):
    before = _password_row(customer)

    response = _complete(api, reset_token, body)

    assert response.status_code == 422
    assert response.json()["error"]["details"] == details
    assert _password_row(customer) == before
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at is None
    assert _complete(api, reset_token).status_code == 200


# --- the email leaves through the outbox -----------------------------------------------------

UNREACHABLE = {"default": {"BACKEND": "tests.outbox.backends.UnreachableBackend"}}


def test_the_request_queues_the_email_with_the_token_and_nothing_secret_in_the_queue(
    api, customer, settings
):
    """With the outbox worker (production), the request writes the token row and the queued
    email and sends nothing itself: a known address costs no mail-server round trip."""
    from outbox.models import OutboxEmail

    settings.EMAIL_OUTBOX_WORKER = True
    response = api.post("/password_resets", {"email": "ada@example.com"})

    assert response.status_code == 202
    assert mail.outbox == []
    token = PasswordResetToken.objects.get()
    queued = OutboxEmail.objects.get()
    assert (queued.kind, queued.object_id, queued.recipient, queued.status) == (
        "password_reset",
        token.pk,
        "ada@example.com",
        OutboxEmail.PENDING,
    )
    assert len(token.salt) == 32 and token.salt not in token.digest


def test_the_worker_sends_a_link_that_resets_the_password(api, customer, settings):
    from outbox.services import outbox_send

    settings.EMAIL_OUTBOX_WORKER = True
    api.post("/password_resets", {"email": "ada@example.com"})

    assert outbox_send().sent == 1
    token = LINK.search(mail.outbox[0].body).group(1)
    assert mail.outbox[0].to == ["ada@example.com"]
    assert _complete(api, token).status_code == 200


def test_the_token_cannot_be_derived_from_the_row_without_the_secret_key(api, customer, settings):
    from accounts.tokens import digest, reset_token_from

    settings.EMAIL_OUTBOX_WORKER = True
    api.post("/password_resets", {"email": "ada@example.com"})
    row = PasswordResetToken.objects.get()

    assert digest(reset_token_from(row.salt)) == row.digest
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert digest(reset_token_from(row.salt)) != row.digest


def test_a_mail_server_that_is_down_does_not_fail_the_request_and_the_email_is_retried(
    customer, request_reset, settings
):
    """Sent right after commit (no worker): the server's failure is recorded on the queued row
    for a retry; the answer is the same 202."""
    from outbox.models import OutboxEmail

    settings.MAILERS = UNREACHABLE
    response = request_reset()

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    queued = OutboxEmail.objects.get()
    assert (queued.status, queued.attempts) == (OutboxEmail.PENDING, 1)
    assert queued.last_error


@pytest.mark.parametrize("change", ["used", "expired", "password_changed", "deactivated"])
def test_a_token_dead_before_its_email_leaves_is_never_mailed(api, customer, settings, change):
    from outbox.models import OutboxEmail
    from outbox.services import outbox_send

    settings.EMAIL_OUTBOX_WORKER = True
    api.post("/password_resets", {"email": "ada@example.com"})
    row = PasswordResetToken.objects.get()
    if change == "used":
        PasswordResetToken.objects.filter(pk=row.pk).update(used_at=NOW)
    elif change == "expired":
        PasswordResetToken.objects.filter(pk=row.pk).update(expires_at=NOW)
    elif change == "password_changed":
        customer.set_password("changed elsewhere 1")
        customer.save()
    else:
        User.objects.filter(pk=customer.pk).update(is_active=False)

    result = outbox_send()

    assert (result.sent, result.failed) == (0, 1)
    assert mail.outbox == []
    assert OutboxEmail.objects.get().status == OutboxEmail.FAILED
