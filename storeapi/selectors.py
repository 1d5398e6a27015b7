"""Reads of the Store API machinery."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from storeapi.models import ApiKey

API_KEY_CACHE_SECONDS = 60
# Every request presents its key; a process-local copy of an active key saves the round trip to
# the shared cache. The price: a revoked key keeps working for at most this long on the other
# app servers (on the one that revoked it, at once). Only active keys are kept, a bounded number.
API_KEY_LOCAL_SECONDS = 5
API_KEY_LOCAL_MAX = 256
_local_keys: dict[str, tuple[float, ActiveApiKey]] = {}


@dataclass(frozen=True)
class ActiveApiKey:
    id: int
    token: str
    last_used_at: datetime | None


def _cache_key(token: str) -> str:
    return f"apikey:v1:{token}"


def api_key_get_active(token: str) -> ActiveApiKey | None:
    """The active publishable key with this token, or None (revoked, secret or unknown).

    Cached for a minute in the shared cache, so a request costs no query for its key (revoking
    clears the entry), and an active key for a few seconds in the process.
    """
    if not token.startswith("pk_") or len(token) > 64:
        return None
    local = _local_keys.get(token)
    if local is not None and local[0] > time.monotonic():
        return local[1]
    key = _cache_key(token)
    cached = cache.get(key)
    if cached is not None:
        if cached:
            _keep_local(cached)
        return cached or None
    row = (
        ApiKey.objects.filter(token=token, key_type=ApiKey.PUBLISHABLE, revoked_at__isnull=True)
        .values("id", "token", "last_used_at")
        .first()
    )
    value = ActiveApiKey(**row) if row else None
    cache.set(key, value or False, API_KEY_CACHE_SECONDS)
    if value is not None:
        _keep_local(value)
    return value


def _keep_local(active: ActiveApiKey) -> None:
    if len(_local_keys) >= API_KEY_LOCAL_MAX:
        _local_keys.clear()
    _local_keys[active.token] = (time.monotonic() + API_KEY_LOCAL_SECONDS, active)


def api_key_forget(token: str) -> None:
    _local_keys.pop(token, None)
    cache.delete(_cache_key(token))


def api_key_remember(active: ActiveApiKey) -> None:
    cache.set(_cache_key(active.token), active, API_KEY_CACHE_SECONDS)
    _keep_local(active)
