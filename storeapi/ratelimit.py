"""Fixed-window rate limits kept in Django's cache (Redis in production, shared by app servers).

Modelled on Spree's fixed behaviour (5-6-stable #14426): over-limit requests are really refused
with 429 `rate_limit_exceeded`, `Retry-After`, `X-RateLimit-Limit` and `X-RateLimit-Remaining`,
and each auth action has its own counter. If the cache is unreachable the limit fails open with a
logged warning: losing rate limiting for a moment is better than refusing every shopper.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from storeapi.errors import RateLimitExceeded

logger = logging.getLogger("storeapi.ratelimit")


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    retry_after: int


def rate_limits_enabled() -> bool:
    return bool(settings.RATE_LIMITS_ENABLED)


def hit(scope: str, identity: str) -> RateLimitState | None:
    """Count one request of `identity` in `scope`; raise RateLimitExceeded past the limit."""
    if not rate_limits_enabled():
        return None
    limit, window = settings.RATE_LIMITS[scope]
    now = time.time()
    window_start = int(now // window) * window
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"rl:{scope}:{digest}:{window_start}"
    try:
        added = cache.add(key, 1, timeout=window + 1)
        if added:
            count = 1
        elif added is None:  # the cache swallowed an error
            count = None
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window + 1)
                count = 1
    except Exception:  # the cache is down: fail open, loudly
        logger.warning("rate limit cache unavailable; %s not enforced", scope, exc_info=True)
        return None
    if not isinstance(count, int):  # a cache that swallowed its error (IGNORE_EXCEPTIONS)
        logger.warning("rate limit cache unavailable; %s not enforced", scope)
        return None
    retry_after = max(1, math.ceil(window_start + window - now))
    state = RateLimitState(limit=limit, remaining=max(0, limit - count), retry_after=retry_after)
    if count > limit:
        raise RateLimitExceeded(
            headers={
                "Retry-After": str(retry_after),
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": "0",
            }
        )
    return state


def apply_headers(response, state: RateLimitState | None) -> None:
    if state is None:
        return
    response["X-RateLimit-Limit"] = str(state.limit)
    response["X-RateLimit-Remaining"] = str(state.remaining)
    if state.remaining == 0:
        response["Retry-After"] = str(state.retry_after)
