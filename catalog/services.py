"""Writes of the catalog: taking stock for a completed order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import IntegrityError, transaction

from catalog.errors import InsufficientStock
from catalog.models import StockItem, StockLocation, Variant
from storeapi import sql
from storeapi.sql import Select


@dataclass(frozen=True)
class Allocation:
    variant_id: int
    stock_location_id: int | None
    quantity: int


# The precompiled reads (storeapi/sql.py) of stock_allocate, one statement per number of
# variants; bounded, as carts have no cap on their lines.


@lru_cache(maxsize=64)
def _variants_select(count: int) -> Select:
    placeholders = ", ".join(["%s"] * count)
    return Select([(Variant, "v")], f'FROM "catalog_variant" v WHERE v.id IN ({placeholders})')


@lru_cache(maxsize=64)
def _stock_for_update_select(count: int) -> Select:
    # `OF s`: the stock rows only, not their locations (joined for is_default): locking a shared
    # location row would serialize every checkout and could deadlock two of them. Locked in
    # primary-key order.
    placeholders = ", ".join(["%s"] * count)
    return Select(
        [(StockItem, "s"), (StockLocation, "sl")],
        'FROM "catalog_stockitem" s INNER JOIN "catalog_stocklocation" sl '
        "ON sl.id = s.stock_location_id "
        f"WHERE sl.is_active = %s AND s.variant_id IN ({placeholders}) ORDER BY s.id",
        lock="FOR UPDATE OF s",
    )


# Relative, so it stays right where rows cannot be locked (SQLite); an item of a backorderable
# variant becomes backorderable when it is taken below zero (the check constraint's condition).
_STOCK_TAKE = (
    'UPDATE "catalog_stockitem" SET "count_on_hand" = "count_on_hand" - %s, '
    '"backorderable" = ("backorderable" OR %s) WHERE "id" = %s'
)


def stock_allocate(
    *, quantities: dict[int, int], variants: dict[int, Variant] | None = None
) -> list[Allocation]:
    """Take `quantities` (variant id -> units) out of stock, inside the caller's transaction.

    Stock rows are locked in primary-key order (the last step of CONVENTIONS.md's lock order),
    so two checkouts racing for the last unit serialize and exactly one gets it; counters move
    by relative updates, and a check constraint refuses negative stock that is not
    backorderable. Units come from the default location first. Raises InsufficientStock
    naming the variants that fall short; the caller's transaction then rolls back. `variants`
    are the variants the caller read in this transaction (by id), else they are read here.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_allocate must run inside the caller's transaction")
    pks = sorted(quantities)
    if not pks:
        return []
    if variants is None or not set(pks) <= variants.keys():
        variants = {v.pk: v for (v,) in _variants_select(len(pks)).all(pks)}
    items = []
    location_field = StockItem._meta.get_field("stock_location")
    # Only tracked variants' stock is taken, so only their rows are locked (none: no read).
    tracked = [pk for pk in pks if pk in variants and variants[pk].track_inventory]
    if tracked:
        for item, location in _stock_for_update_select(len(tracked)).all([True, *tracked]):
            location_field.set_cached_value(item, location)
            items.append(item)
    by_variant: dict[int, list[StockItem]] = {}
    for item in items:
        by_variant.setdefault(item.variant_id, []).append(item)

    allocations: list[Allocation] = []
    deltas: dict[int, int] = {}
    short: list[int] = []
    for variant_id, wanted in sorted(quantities.items()):
        variant = variants.get(variant_id)
        if variant is None:
            short.append(variant_id)
            continue
        if not variant.track_inventory:
            allocations.append(Allocation(variant_id, None, wanted))
            continue
        candidates = sorted(
            by_variant.get(variant_id, []),
            key=lambda i: (not i.stock_location.is_default, -i.count_on_hand, i.pk),
        )
        remaining = wanted
        for item in candidates:
            take = min(remaining, max(item.count_on_hand, 0))
            if take:
                allocations.append(Allocation(variant_id, item.stock_location_id, take))
                deltas[item.pk] = deltas.get(item.pk, 0) + take
                remaining -= take
            if not remaining:
                break
        if remaining:
            backorder = next((i for i in candidates if i.backorderable), None)
            if backorder is None and variant.backorderable and candidates:
                backorder = candidates[0]
            if backorder is None:
                short.append(variant_id)
                continue
            deltas[backorder.pk] = deltas.get(backorder.pk, 0) + remaining
            allocations.append(Allocation(variant_id, backorder.stock_location_id, remaining))
    if short:
        raise InsufficientStock(
            "Some items are no longer in stock in the requested quantity", variant_ids=short
        )
    backorder_ok = {v.pk for v in variants.values() if v.backorderable}
    if not deltas:  # nothing tracked to take (e.g. no variant tracks its inventory)
        return allocations
    # No savepoint of its own: on a failure the caller's whole transaction rolls back.
    try:
        for item in items:
            if item.pk in deltas:
                backorder = item.variant_id in backorder_ok
                sql.execute(_STOCK_TAKE, [deltas[item.pk], backorder, item.pk])
    except IntegrityError:  # a concurrent writer got there first (databases without row locks)
        raise InsufficientStock(
            "Some items are no longer in stock in the requested quantity",
            variant_ids=sorted(quantities),
        ) from None
    return allocations
