"""Small request helpers shared by every Store API view and middleware."""

import re

from django.conf import settings
from django.http import HttpRequest

_CURRENCY_CODE = re.compile(r"\A[A-Z]{3}\Z")


def client_ip(request: HttpRequest) -> str:
    """The caller's IP: REMOTE_ADDR, or the address our trusted proxies saw (X-Forwarded-For)."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


def api_key_header(request: HttpRequest) -> str:
    return request.headers.get("X-Spree-Api-Key", "").strip()


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def request_currency(request: HttpRequest) -> str:
    """The currency the caller asked for (`x-spree-currency`, else `?currency=`), upper-cased,
    if the store sells in it (some price exists in it); otherwise `settings.STORE_CURRENCY`.

    Spree ignores an unsupported currency the same way (STORE_API.md §2.6). The answer is kept on
    the request, so asking twice costs at most one query.
    """
    raw_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    cached = getattr(raw_request, "_store_currency", None)
    if cached is not None:
        return cached
    default = settings.STORE_CURRENCY
    requested = request.headers.get("X-Spree-Currency", "") or raw_request.GET.get("currency", "")
    requested = requested.strip().upper()
    currency = default
    if requested and requested != default and _CURRENCY_CODE.match(requested):
        from catalog.selectors import currency_is_sold  # the catalog knows what is for sale

        if currency_is_sold(requested):
            currency = requested
    raw_request._store_currency = currency
    return currency
