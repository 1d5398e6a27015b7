"""Writes of the Store API machinery: publishable keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from storeapi.models import ApiKey
from storeapi.selectors import ActiveApiKey, api_key_forget, api_key_remember
from storeapi.tokens import base58_token

LAST_USED_RESOLUTION = timedelta(hours=1)


def api_key_create(*, name: str, created_by=None) -> ApiKey:
    """Create a publishable key `pk_` + 24 base58 characters."""
    return ApiKey.objects.create(name=name, token=f"pk_{base58_token(24)}", created_by=created_by)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key; it stops working at once on this app server and within
    API_KEY_LOCAL_SECONDS on the others sharing the cache."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        transaction.on_commit(lambda: api_key_forget(api_key.token))
    return api_key


def api_key_touch(*, active: ActiveApiKey) -> None:
    """Record use of a key at most once an hour (as Spree), so reads stay write-free."""
    now = timezone.now()
    if active.last_used_at and now - active.last_used_at < LAST_USED_RESOLUTION:
        return
    still_active = ApiKey.objects.filter(pk=active.id, revoked_at__isnull=True).update(
        last_used_at=now
    )
    if still_active:  # never re-cache a key revoked since this request looked it up
        api_key_remember(replace(active, last_used_at=now))
