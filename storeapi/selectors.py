"""Reads of the Store API machinery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from storeapi.models import ApiKey

API_KEY_CACHE_SECONDS = 60


@dataclass(frozen=True)
class ActiveApiKey:
    id: int
    token: str
    last_used_at: datetime | None


def _cache_key(token: str) -> str:
    return f"apikey:v1:{token}"


def api_key_get_active(token: str) -> ActiveApiKey | None:
    """The active publishable key with this token, or None (revoked, secret or unknown).

    Cached for a minute so a request costs no query for its key; revoking clears the cache entry.
    """
    if not token.startswith("pk_") or len(token) > 64:
        return None
    key = _cache_key(token)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    row = (
        ApiKey.objects.filter(token=token, key_type=ApiKey.PUBLISHABLE, revoked_at__isnull=True)
        .values("id", "token", "last_used_at")
        .first()
    )
    value = ActiveApiKey(**row) if row else None
    cache.set(key, value or False, API_KEY_CACHE_SECONDS)
    return value


def api_key_forget(token: str) -> None:
    cache.delete(_cache_key(token))


def api_key_remember(active: ActiveApiKey) -> None:
    cache.set(_cache_key(active.token), active, API_KEY_CACHE_SECONDS)
