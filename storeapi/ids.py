"""Prefixed public ids, exactly as Spree: `<prefix>_` + Sqids(min_length=10) of the primary key.

Unlike Spree 5.6.1 we check the prefix on lookup and accept only the canonical encoding, so
`cart_X` never finds an address and two strings never name the same row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Model, QuerySet
from sqids import Sqids

from storeapi.errors import NotFound

_sqids = Sqids(min_length=10)
_PREFIXED = re.compile(r"\A([a-z]+)_([a-zA-Z0-9]+)\Z")
#: The largest primary key a bigint column holds; a longer id body decodes past it.
_MAX_PK = 2**63 - 1


@lru_cache(maxsize=4096)
def encode_id(prefix: str, pk: int) -> str:
    return f"{prefix}_{_sqids.encode([int(pk)])}"


def decode_id(value: object, prefixes: str | tuple[str, ...]) -> int | None:
    """The primary key named by `value` if it carries one of `prefixes`, else None."""
    if not isinstance(value, str):
        return None
    match = _PREFIXED.match(value)
    if not match:
        return None
    prefix, body = match.groups()
    allowed = (prefixes,) if isinstance(prefixes, str) else prefixes
    if prefix not in allowed:
        return None
    return _decode_body(body)


@lru_cache(maxsize=4096)
def _decode_body(body: str) -> int | None:
    """The one primary key `body` encodes canonically, or None (Sqids costs ~70 us a decode and
    its check; a client repeats the same ids request after request)."""
    numbers = _sqids.decode(body)
    if len(numbers) != 1 or numbers[0] > _MAX_PK or _sqids.encode(numbers) != body:
        return None
    return numbers[0]


def decode_id_or_pk(value: object, prefixes: str | tuple[str, ...]) -> int | None:
    """`decode_id`, or a plain integer primary key as Spree also accepts (JSON numbers only,
    within a bigint: a larger one names no row rather than overflowing the query)."""
    pk = decode_id(value, prefixes)
    if pk is None and isinstance(value, int) and not isinstance(value, bool):
        pk = value if 0 < value <= _MAX_PK else None
    return pk


def get_by_public_id[M: Model](
    queryset: QuerySet[M],
    value: object,
    prefixes: str | tuple[str, ...],
    *,
    not_found: NotFound | None = None,
) -> M:
    """Look a row up by its prefixed id inside `queryset`; any miss raises `not_found` (404)."""
    pk = decode_id(value, prefixes)
    error = not_found or NotFound(f"{queryset.model._meta.verbose_name.capitalize()} not found")
    if pk is None:
        raise error
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise error
    return obj
