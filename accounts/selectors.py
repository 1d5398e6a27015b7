"""Reads of accounts and sessions, always scoped to their owner."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuthSession, User
from storeapi.errors import NotFound
from storeapi.ids import get_by_public_id
from storeapi.sql import Select

# Every authenticated request runs this read, so it is precompiled (storeapi/sql.py). The
# customer profile's one-statement read (customers.selectors) extends the same FROM and WHERE.
ACTIVE_SESSION_FROM = (
    'FROM "accounts_authsession" s INNER JOIN "accounts_user" u ON u.id = s.user_id'
)
ACTIVE_SESSION_WHERE = (
    "s.id = %s AND s.user_id = %s AND u.is_active = %s "
    "AND s.revoked_at IS NULL AND s.expires_at > %s"
)
_ACTIVE_SESSION = Select(
    [(AuthSession, "s"), (User, "u")], f"{ACTIVE_SESSION_FROM} WHERE {ACTIVE_SESSION_WHERE}"
)


def active_session_params(*, session_id: int, user_id: int) -> list:
    """The parameters of ACTIVE_SESSION_WHERE: live means not revoked and not past its cap,
    with an active user."""
    return [session_id, user_id, True, timezone.now()]


def session_get_active(*, session_id: int, user_id: int) -> AuthSession | None:
    """The live session with its active user, in one query."""
    found = _ACTIVE_SESSION.first(active_session_params(session_id=session_id, user_id=user_id))
    if found is None:
        return None
    session, user = found
    session.user = user
    return session


def sessions_active_for_user(*, user: User) -> QuerySet[AuthSession]:
    """The customer's live sessions, most recently used first."""
    return AuthSession.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-last_used_at", "-pk")


def session_get_for_user(*, user: User, public_id: str) -> AuthSession:
    """One live session of the customer; another customer's or an ended one is 404."""
    return get_by_public_id(
        sessions_active_for_user(user=user),
        public_id,
        "sess",
        not_found=NotFound("Session not found"),
    )


def user_get_by_email(*, email: str) -> User | None:
    from accounts.models import normalize_email

    return User.objects.filter(email=normalize_email(email)).first()
