"""Reads of variants: what they cost in a currency and what stock can supply."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Prefetch,
    QuerySet,
)

from catalog.models import (
    OptionValue,
    Price,
    StockItem,
    Variant,
)


@dataclass(frozen=True)
class Availability:
    """What a variant can supply right now, summed over active stock locations."""

    track_inventory: bool
    on_hand: int
    backorderable: bool

    @property
    def in_stock(self) -> bool:
        return not self.track_inventory or self.on_hand > 0

    @property
    def purchasable(self) -> bool:
        return self.in_stock or self.backorderable

    def can_supply(self, quantity: int) -> bool:
        return not self.track_inventory or self.backorderable or self.on_hand >= quantity


def variants_for_display() -> QuerySet[Variant]:
    """Variants with product, prices, option values and stock prefetched for serializing."""
    return Variant.objects.select_related("product").prefetch_related(
        "prices",
        "option_values__option_type",
        Prefetch(
            "stock_items",
            queryset=StockItem.objects.filter(stock_location__is_active=True),
            to_attr="active_stock_items",
        ),
    )


def availability(variant: Variant) -> Availability:
    """Availability from prefetched `active_stock_items` (variants_for_display), else a query."""
    items = getattr(variant, "active_stock_items", None)
    if items is None:
        items = list(variant.stock_items.filter(stock_location__is_active=True))
    return Availability(
        track_inventory=variant.track_inventory,
        on_hand=sum(item.count_on_hand for item in items),
        backorderable=variant.backorderable or any(item.backorderable for item in items),
    )


def variant_price(variant: Variant, currency: str) -> Price | None:
    """The variant's price in `currency` (uses prefetched prices when present)."""
    for price in variant.prices.all():
        if price.currency == currency:
            return price
    return None


def option_value_sort_key(value: OptionValue) -> tuple[int, int, int, int]:
    return (value.option_type.position, value.option_type_id, value.position, value.pk)


def currency_is_sold(currency: str) -> bool:
    """True when some variant has a price in `currency`: the store sells in it."""
    return Price.objects.filter(currency=currency).exists()
