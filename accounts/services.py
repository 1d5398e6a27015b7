"""Writes of accounts: registration, login with lockout, sessions and refresh-token rotation,
profile changes and password resets. Each function is one transaction."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.emails import PASSWORD_RESET as PASSWORD_RESET_EMAIL
from accounts.errors import (
    AuthenticationFailed,
    CurrentPasswordInvalid,
    InvalidRefreshToken,
    PasswordResetTokenInvalid,
)
from accounts.models import AuthSession, PasswordResetToken, RefreshToken, User, normalize_email
from accounts.tokens import (
    IssuedTokens,
    access_token_claims,
    digest,
    issue_access_token,
    new_refresh_token,
    new_reset_salt,
    reset_token_from,
)
from outbox.services import email_enqueue
from storeapi import sql
from storeapi.errors import ValidationFailed
from storeapi.sql import Select

logger = logging.getLogger("accounts")

PASSWORD_MESSAGES = {
    "password_too_short": "is too short (minimum is {min_length} characters)",
    "password_too_similar": "is too similar to the email",
    "password_too_common": "is too common",
    "password_entirely_numeric": "can't be entirely numeric",
}


@dataclass(frozen=True)
class SessionContext:
    ip_address: str | None
    user_agent: str


# --- validation helpers -------------------------------------------------------------------


def _password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        messages = []
        for error in exc.error_list:
            template = PASSWORD_MESSAGES.get(error.code)
            if template:
                messages.append(template.format(**(error.params or {})))
            else:
                messages.append(error.messages[0].rstrip("."))
        return messages
    return []


def _email_errors(email: str, *, exclude_user_id: int | None = None) -> list[str]:
    if not email:
        return ["can't be blank"]
    try:
        validate_email(email)
    except DjangoValidationError:
        return ["is invalid"]
    taken = User.objects.filter(email=email)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        return ["has already been taken"]
    return []


def _check_new_password(
    errors: dict[str, list[str]], user: User, password: Any, confirmation: Any
) -> None:
    if not password:
        errors.setdefault("password", []).append("can't be blank")
        return
    errors_for_password = _password_errors(password, user)
    if errors_for_password:
        errors.setdefault("password", []).extend(errors_for_password)
    if confirmation is not None and confirmation != password:
        errors.setdefault("password_confirmation", []).append("doesn't match Password")


def _ip(value: str | None) -> str | None:
    from django.core.validators import validate_ipv46_address

    try:
        validate_ipv46_address(value)
    except DjangoValidationError:
        return None
    return value


# --- sessions -----------------------------------------------------------------------------


def _refresh_expiry(now: datetime, session: AuthSession) -> datetime:
    return min(now + settings.REFRESH_TOKEN_SLIDING_LIFETIME, session.expires_at)


def session_start(*, user: User, context: SessionContext) -> IssuedTokens:
    """Open a session (login, registration, reset) with its first refresh token."""
    now = timezone.now()
    with transaction.atomic():
        session = AuthSession.objects.create(
            user=user,
            last_used_at=now,
            expires_at=now + settings.SESSION_ABSOLUTE_LIFETIME,
            ip_address=_ip(context.ip_address),
            user_agent=context.user_agent,
        )
        raw = new_refresh_token()
        RefreshToken.objects.create(
            session=session, digest=digest(raw), expires_at=_refresh_expiry(now, session)
        )
    access = issue_access_token(
        user_id=user.pk, session_id=session.pk, session_expires_at=session.expires_at
    )
    return IssuedTokens(access_token=access, refresh_token=raw, session_id=session.pk)


def session_mark_used(*, session: AuthSession, now: datetime | None = None) -> None:
    """Record that a session was used now (a browser's page view; the API's refresh does its
    own bookkeeping)."""
    AuthSession.objects.filter(pk=session.pk).update(last_used_at=now or timezone.now())


def session_revoke(*, session: AuthSession, reason: str) -> None:
    """End one session: its access tokens stop working at once, its refresh chain is dead."""
    AuthSession.objects.filter(pk=session.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def sessions_revoke_all(*, user: User, reason: str, except_session_id: int | None = None) -> int:
    """End every live session of the customer but `except_session_id`; returns how many."""
    sessions = AuthSession.objects.filter(user=user, revoked_at__isnull=True)
    if except_session_id is not None:
        sessions = sessions.exclude(pk=except_session_id)
    return sessions.update(revoked_at=timezone.now(), revoked_reason=reason)


def _is_lock_unavailable(exc: DatabaseError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "55P03"


# The refresh token row, locked (NOWAIT: a concurrent rotation holds it and wins), with its
# session and user. Precompiled (storeapi/sql.py): building this queryset cost a third of a
# refresh.
_REFRESH_TOKEN_FOR_ROTATION = Select(
    [(RefreshToken, "r"), (AuthSession, "s"), (User, "u")],
    'FROM "accounts_refreshtoken" r INNER JOIN "accounts_authsession" s ON s.id = r.session_id '
    'INNER JOIN "accounts_user" u ON u.id = s.user_id WHERE r.digest = %s',
    lock="FOR UPDATE OF r NOWAIT",
)


def session_refresh(*, refresh_token: str, context: SessionContext) -> tuple[User, IssuedTokens]:
    """Rotate a refresh token: retire it, issue its successor and a new access token.

    A retired token presented again is treated as theft and ends the whole session. A refresh
    racing another with the same token on PostgreSQL (row locked, NOWAIT) simply loses with
    401; exactly one of them rotates. Raises InvalidRefreshToken.
    """
    if not refresh_token or not isinstance(refresh_token, str):
        raise InvalidRefreshToken("refresh_token is required")
    now = timezone.now()
    outcome = "invalid"
    try:
        with transaction.atomic():
            found = _REFRESH_TOKEN_FOR_ROTATION.first([digest(refresh_token)])
            row = None
            if found is not None:
                row, session, user = found
                session.user = user
                row.session = session
            if row is None:
                outcome = "invalid"
            elif row.retired_at is not None:
                session_revoke(session=row.session, reason="refresh_token_reuse")
                logger.warning("refresh token reuse: session %s revoked", row.session_id)
                outcome = "reused"
            elif (
                row.expires_at <= now
                or not row.session.is_active(now)
                or not row.session.user.is_active
            ):
                outcome = "invalid"
            else:
                # Precompiled writes (storeapi/sql.py): through the ORM these three cost
                # half of a refresh's CPU. None of these models has signal receivers.
                claimed = sql.update(RefreshToken, {"retired_at": now}, pk=row.pk, retired_at=None)
                if claimed:
                    session = row.session
                    raw = new_refresh_token()
                    sql.insert(
                        RefreshToken(
                            session=session,
                            digest=digest(raw),
                            expires_at=_refresh_expiry(now, session),
                        )
                    )
                    sql.update(
                        AuthSession,
                        {
                            "last_used_at": now,
                            "ip_address": _ip(context.ip_address),
                            "user_agent": context.user_agent,
                        },
                        pk=session.pk,
                    )
                    outcome = "rotated"
    except IntegrityError:  # a concurrent rotation inserted the successor first
        outcome = "invalid"
    except DatabaseError as exc:
        if not _is_lock_unavailable(exc):
            raise
        outcome = "invalid"  # a concurrent rotation holds the row: it wins
    if outcome != "rotated":
        raise InvalidRefreshToken()
    session = row.session
    access = issue_access_token(
        user_id=session.user_id, session_id=session.pk, session_expires_at=session.expires_at
    )
    return session.user, IssuedTokens(access, raw, session.pk)


def access_token_exchange(*, token: str) -> tuple[User, IssuedTokens]:
    """The seed's refresh form: a still-valid access JWT of a live session -> a fresh one in the
    same session. Raises InvalidRefreshToken."""
    from accounts.selectors import session_get_active

    claims = access_token_claims(token) if isinstance(token, str) and token else None
    if claims is None:
        raise InvalidRefreshToken()
    session = session_get_active(session_id=claims["sid"], user_id=claims["user_id"])
    if session is None:
        raise InvalidRefreshToken()
    AuthSession.objects.filter(pk=session.pk).update(last_used_at=timezone.now())
    access = issue_access_token(
        user_id=session.user_id, session_id=session.pk, session_expires_at=session.expires_at
    )
    return session.user, IssuedTokens(access, None, session.pk)


def session_logout(*, refresh_token: str | None, session: AuthSession | None) -> None:
    """Logout: end the session of the refresh token (and of the caller's JWT). Never fails."""
    if isinstance(refresh_token, str) and refresh_token:
        row = RefreshToken.objects.select_related("session").filter(digest=digest(refresh_token))
        row = row.first()
        if row is not None:
            session_revoke(session=row.session, reason="logout")
    if session is not None:
        session_revoke(session=session, reason="logout")


# --- registration and login ---------------------------------------------------------------


def customer_register(
    *,
    email: str,
    password: str,
    password_confirmation: str | None = None,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    accepts_email_marketing: bool = False,
    metadata: dict | None = None,
    context: SessionContext,
) -> tuple[User, IssuedTokens]:
    """Create a customer and sign them in. Raises ValidationFailed (email taken, weak password)."""
    email = normalize_email(email)
    user = User(
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        phone=(phone or "").strip(),
        accepts_email_marketing=bool(accepts_email_marketing),
        private_metadata=metadata or {},
    )
    errors: dict[str, list[str]] = {}
    email_errors = _email_errors(email)
    if email_errors:
        errors["email"] = email_errors
    _check_new_password(errors, user, password, password_confirmation)
    if errors:
        raise ValidationFailed.from_details(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a concurrent registration took the email
        raise ValidationFailed.from_details({"email": ["has already been taken"]}) from None
    return user, session_start(user=user, context=context)


@lru_cache(maxsize=1)
def _dummy_password_hash() -> str:
    return make_password("not-a-real-password-but-costs-the-same")


def customer_authenticate(*, email: Any, password: Any) -> User:
    """Check an email and password with lockout (API login and storefront sign-in alike).
    Every failure (unknown email, wrong password, locked or inactive account) is the same
    AuthenticationFailed and costs the same hashing time."""
    if not email or not isinstance(email, str):
        raise AuthenticationFailed("Email is required")
    if not password or not isinstance(password, str):
        raise AuthenticationFailed("Password is required")
    lookup = normalize_email(email)
    # PostgreSQL refuses NUL in a string parameter; such an email cannot exist anyway.
    user = User.objects.filter(email=lookup).first() if "\x00" not in lookup else None
    if user is None:
        check_password(password, _dummy_password_hash())
        raise AuthenticationFailed()
    now = timezone.now()
    password_ok = user.check_password(password)
    if user.is_locked(now) or not user.is_active:
        raise AuthenticationFailed()
    if not password_ok:
        _record_failed_login(user=user, now=now)
        raise AuthenticationFailed()
    if user.failed_login_count:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    return user


def auth_login(*, email: Any, password: Any, context: SessionContext) -> tuple[User, IssuedTokens]:
    """API login: authenticate (with lockout), then open a session with its tokens."""
    user = customer_authenticate(email=email, password=password)
    return user, session_start(user=user, context=context)


def _record_failed_login(*, user: User, now: datetime) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        locked = User.objects.select_for_update().only("failed_login_count").get(pk=user.pk)
        if locked.failed_login_count >= settings.LOGIN_LOCKOUT_THRESHOLD:
            User.objects.filter(pk=user.pk).update(
                failed_login_count=0, locked_until=now + settings.LOGIN_LOCKOUT_DURATION
            )
            logger.warning("account %s locked after repeated failed logins", user.pk)


# --- profile ------------------------------------------------------------------------------

PROFILE_FIELDS = ("first_name", "last_name", "phone", "accepts_email_marketing")


def customer_update(*, user: User, data: dict[str, Any], current_session_id: int | None) -> User:
    """Update the profile. Changing the password or the email needs `current_password`
    (422 current_password_invalid); a password change ends every other session."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        new_email = normalize_email(data["email"]) if data.get("email") else None
        password = data.get("password")
        wants_email = new_email is not None and new_email != user.email
        if password or wants_email:
            current = data.get("current_password")
            if not isinstance(current, str) or not current or not user.check_password(current):
                raise CurrentPasswordInvalid()
        errors: dict[str, list[str]] = {}
        if wants_email:
            email_errors = _email_errors(new_email, exclude_user_id=user.pk)
            if email_errors:
                errors["email"] = email_errors
            user.email = new_email
        if password:
            _check_new_password(errors, user, password, data.get("password_confirmation"))
        if errors:
            raise ValidationFailed.from_details(errors)
        for field in PROFILE_FIELDS:
            if field in data:
                value = data[field]
                setattr(user, field, value.strip() if isinstance(value, str) else value)
        if "metadata" in data and isinstance(data["metadata"], dict):
            user.private_metadata = {**user.private_metadata, **data["metadata"]}
        if password:
            user.set_password(password)
            sessions_revoke_all(
                user=user, reason="password_changed", except_session_id=current_session_id
            )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationFailed.from_details({"email": ["has already been taken"]}) from None
    return user


# --- password resets ----------------------------------------------------------------------


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password.encode()).hexdigest()


def _redirect_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    storefront = urlsplit(settings.STOREFRONT_URL)
    allowed = {f"{storefront.scheme}://{storefront.netloc}", *settings.CORS_ALLOWED_ORIGINS}
    return origin in allowed


def password_reset_link(*, token: str, redirect_url: str | None) -> str:
    if redirect_url and _redirect_allowed(redirect_url):
        separator = "&" if "?" in redirect_url else "?"
        return f"{redirect_url}{separator}{urlencode({'token': token})}"
    return f"{settings.STOREFRONT_URL.rstrip('/')}/account/password/reset/{token}/"


def password_reset_request(*, email: Any, redirect_url: Any = None) -> None:
    """Mail a single-use reset link if the account exists; the caller learns nothing either way.
    `redirect_url` is used only when its origin is the storefront or an allowed CORS origin.

    The email goes through the outbox, queued in the transaction that stores the token: the
    request neither waits on the mail server (a known address would answer slower than an
    unknown one) nor fails or loses the email when it is down."""
    if not isinstance(email, str) or not email:
        return
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        return
    salt = new_reset_salt()
    redirect = ""
    if isinstance(redirect_url, str) and _redirect_allowed(redirect_url):
        redirect = redirect_url
    with transaction.atomic():
        row = PasswordResetToken.objects.create(
            user=user,
            digest=digest(reset_token_from(salt)),
            password_fingerprint=_password_fingerprint(user),
            salt=salt,
            redirect_url=redirect,
            expires_at=timezone.now() + settings.PASSWORD_RESET_TOKEN_LIFETIME,
        )
        email_enqueue(kind=PASSWORD_RESET_EMAIL, object_id=row.pk, recipient=user.email)


def password_reset_token_live(row: PasswordResetToken, *, now=None) -> bool:
    """Unused, unexpired, its customer active and their password the one it was issued for."""
    return (
        row.used_at is None
        and row.expires_at > (now or timezone.now())
        and row.user.is_active
        and row.password_fingerprint == _password_fingerprint(row.user)
    )


def password_reset_complete(
    *, token: str, password: Any, password_confirmation: Any, context: SessionContext
) -> tuple[User, IssuedTokens]:
    """Set a new password with a reset token, end every session and sign in anew.
    Raises PasswordResetTokenInvalid (unknown, used, expired, or the password changed since)
    or ValidationFailed (the token is then still usable)."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            PasswordResetToken.objects.select_for_update()
            .select_related("user")
            .filter(digest=digest(token or ""))
            .first()
        )
        if row is None or not password_reset_token_live(row, now=now):
            raise PasswordResetTokenInvalid()
        user = row.user
        errors: dict[str, list[str]] = {}
        if password is not None and not isinstance(password, str):
            errors["password"] = ["must be a string"]
        else:
            _check_new_password(errors, user, password, password_confirmation)
        if errors:
            raise ValidationFailed.from_details(errors)
        user.set_password(password)
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["password", "failed_login_count", "locked_until", "updated_at"])
        row.used_at = now
        row.save(update_fields=["used_at"])
        PasswordResetToken.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        sessions_revoke_all(user=user, reason="password_reset")
        tokens = session_start(user=user, context=context)
    return user, tokens
