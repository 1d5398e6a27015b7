"""Reads of stock locations."""

from __future__ import annotations

from catalog.models import StockLocation
from storeapi.settings_cache import settings_cached
from storeapi.sql import Select

_ACTIVE_LOCATIONS = Select(
    [(StockLocation, "l")],
    'FROM "catalog_stocklocation" l WHERE l.is_active = %s ORDER BY l.is_default DESC, l.id',
)


@settings_cached(StockLocation)
def stock_locations_active() -> tuple[StockLocation, ...]:
    """The active stock locations, the default first, then by id. Kept a few seconds in the
    process (storeapi/settings_cache.py): the instances are shared, read-only."""
    return tuple(location for (location,) in _ACTIVE_LOCATIONS.all([True]))
