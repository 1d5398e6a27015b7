"""Reads of accounts and sessions, always scoped to their owner."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuthSession, User
from storeapi.errors import NotFound
from storeapi.ids import get_by_public_id


def session_get_active(*, session_id: int, user_id: int) -> AuthSession | None:
    """The live (not revoked, not past its cap) session with its active user, in one query."""
    return (
        AuthSession.objects.select_related("user")
        .filter(
            pk=session_id,
            user_id=user_id,
            user__is_active=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


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
