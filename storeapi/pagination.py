"""Page-number pagination with Spree's `meta` object (Pagy): page, limit, count, pages, from, to,
in, previous, next. `limit` defaults to 25 and is capped at 100."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from storeapi.errors import InvalidRequest

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
#: Offsets past a signed 64-bit integer cannot be sent to the database (PostgreSQL's bigint,
#: SQLite's INTEGER) and lie past any table's last row: such a page is empty without a read.
_MAX_OFFSET = 2**63 - 1 - MAX_LIMIT


def _positive_int(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidRequest(f"{name} must be a positive integer") from None
    if value < 1:
        raise InvalidRequest(f"{name} must be a positive integer")
    return value


def paginate(
    queryset: QuerySet, params, *, count_only_when_needed: bool = False
) -> tuple[list[Any], dict[str, Any]]:
    """One page of `queryset` and its meta. Two queries: the count and the page.

    With `count_only_when_needed`, the page is read first and the count only when the page
    does not tell it: a page with rows that is not full ends the list, so the count is its
    offset plus its rows. One query then for a short list, whose count costs as much as its
    page."""
    return paginate_reads(
        lambda offset, limit: list(queryset[offset : offset + limit]),
        queryset.count,
        params,
        count_only_when_needed=count_only_when_needed,
    )


def _nothing(offset: int, limit: int) -> list[Any]:
    return []


def paginate_reads(
    read_page: Callable[[int, int], list[Any]],
    count_all: Callable[[], int],
    params,
    *,
    count_only_when_needed: bool = False,
) -> tuple[list[Any], dict[str, Any]]:
    """`paginate` over reads of its own: `read_page(offset, limit)` and `count_all()`."""
    page = _positive_int(params.get("page"), "page", 1)
    limit = min(_positive_int(params.get("limit"), "limit", DEFAULT_LIMIT), MAX_LIMIT)
    offset = (page - 1) * limit
    if offset > _MAX_OFFSET:
        read_page = _nothing
    if count_only_when_needed:
        items = read_page(offset, limit)
        if 0 < len(items) < limit or (not items and offset == 0):
            count = offset + len(items)
        else:
            count = count_all()
    else:
        count = count_all()
        items = read_page(offset, limit) if offset < count else []
    pages = max(1, math.ceil(count / limit))
    in_page = len(items)
    meta = {
        "page": page,
        "limit": limit,
        "count": count,
        "pages": pages,
        "from": offset + 1 if in_page else 0,
        "to": offset + in_page if in_page else 0,
        "in": in_page,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None,
    }
    return items, meta
