"""What a product shows: its variants in a currency, from prefetched models
(`products_for_display`) or read in a few plain queries (`products_prefetch_for_display`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from catalog.models import (
    OptionType,
    OptionValue,
    Price,
    Product,
    StockItem,
    StockLocation,
    Variant,
)
from catalog.selectors.variants import (
    Availability,
    availability,
    option_value_sort_key,
    variant_price,
    variants_for_display,
)
from storeapi.sql import column_reader, fetch_all


@dataclass(frozen=True)
class ProductDisplay:
    """A product as shown in one currency, computed from its prefetched variants."""

    #: Variants priced in the currency, by position.
    variants: list[Variant]
    #: Those with option values: Spree's `variants` (a product without any has only a "master").
    option_variants: list[Variant]
    default_variant: Variant | None


def products_for_display(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """`queryset` with everything the product serializer reads prefetched: a fixed number of
    queries per page, whatever its size. Variants get their product from the prefetch."""
    return queryset.prefetch_related(_variants_prefetch(), "option_types")


def _variants_prefetch() -> Prefetch:
    return Prefetch("variants", queryset=variants_for_display().select_related(None))


def product_is_available(product: Product) -> bool:
    """The rule of `Product.objects.available()` for one loaded product."""
    now = timezone.now()
    return (
        product.status == Product.ACTIVE
        and product.available_on is not None
        and product.available_on <= now
        and (product.discontinue_on is None or product.discontinue_on > now)
    )


def _default_of[T](candidates: list[T], purchasable: Callable[[T], bool]) -> T | None:
    """The first purchasable candidate, else the first one (Spree's `Product#default_variant`)."""
    return next((c for c in candidates if purchasable(c)), candidates[0] if candidates else None)


def product_display(product: Product, currency: str) -> ProductDisplay:
    """The variants a shopper sees in `currency` and the default one: the first purchasable
    variant with options, else the first one (Spree's `Product#default_variant`)."""
    variants = [v for v in product.variants.all() if variant_price(v, currency) is not None]
    option_variants = [v for v in variants if v.option_values.all()]
    default = _default_of(option_variants or variants, lambda v: availability(v).purchasable)
    return ProductDisplay(variants, option_variants, default)


# --- variant views: variants as the Store API shows them, read without the models --------


@dataclass(frozen=True, slots=True)
class PriceFigures:
    """A price's figures, read without building a Price: what its representation shows."""

    pk: int
    currency: str
    amount: Decimal
    compare_at_amount: Decimal | None


@dataclass(frozen=True, slots=True)
class VariantView:
    """A variant as shown in one currency: its own fields, what stock can supply, its price
    in the currency and its option values (by option type; `None` when not read)."""

    pk: int
    product_id: int
    sku: str | None
    track_inventory: bool
    weight: Decimal | None
    height: Decimal | None
    width: Decimal | None
    depth: Decimal | None
    availability: Availability
    price: Price | PriceFigures | None
    has_option_values: bool
    option_values: list[OptionValue] | None


def variant_view(variant: Variant, currency: str) -> VariantView:
    """The view of a variant from `variants_for_display()` (its prefetched relations)."""
    option_values = sorted(variant.option_values.all(), key=option_value_sort_key)
    return VariantView(
        pk=variant.pk,
        product_id=variant.product_id,
        sku=variant.sku,
        track_inventory=variant.track_inventory,
        weight=variant.weight,
        height=variant.height,
        width=variant.width,
        depth=variant.depth,
        availability=availability(variant),
        price=variant_price(variant, currency),
        has_option_values=bool(option_values),
        option_values=option_values,
    )


@dataclass(frozen=True, slots=True)
class ProductVariants:
    """A product's variants as shown in one currency (see `product_display`): those priced
    in it by position, those with option values (Spree's `variants`) and the default one."""

    currency: str
    variants: list[VariantView]
    option_variants: list[VariantView]
    default_variant: VariantView | None
    #: Whether the variants' option values were read (else their `option_values` are None).
    with_option_values: bool

    @property
    def variant_count(self) -> int:
        return len(self.option_variants)

    @property
    def purchasable(self) -> bool:
        return any(v.availability.purchasable for v in self.variants)

    @property
    def in_stock(self) -> bool:
        return any(v.availability.in_stock for v in self.variants)

    @property
    def backorderable(self) -> bool:
        return any(v.availability.backorderable for v in self.variants)

    @property
    def option_values(self) -> list[OptionValue]:
        """Every option value of `option_variants` once (they must have been read)."""
        seen: dict[int, OptionValue] = {}
        for variant in self.option_variants:
            for value in variant.option_values or ():
                seen.setdefault(value.pk, value)
        return sorted(seen.values(), key=option_value_sort_key)


def _product_variants(
    currency: str, variants: list[VariantView], *, with_option_values: bool
) -> ProductVariants:
    option_variants = [v for v in variants if v.has_option_values]
    default = _default_of(option_variants or variants, lambda v: v.availability.purchasable)
    return ProductVariants(currency, variants, option_variants, default, with_option_values)


#: Where `products_prefetch_for_display` leaves a product's variants (as a `to_attr`).
VARIANTS_ATTR = "shown_variants"
#: Expansions that show variants' option values, which are then read too.
VARIANT_EXPANSIONS = frozenset({"variants", "default_variant", "option_values"})


def product_variants(
    product: Product, currency: str, *, with_option_values: bool = False
) -> ProductVariants:
    """The variants `products_prefetch_for_display` attached to `product` for `currency` (with
    their option values if asked), else the ones worked out from its prefetched variants
    (`products_for_display`)."""
    shown = getattr(product, VARIANTS_ATTR, None)
    if (
        shown is not None
        and shown.currency == currency
        and (shown.with_option_values or not with_option_values)
    ):
        return shown
    display = product_display(product, currency)
    views = [variant_view(v, currency) for v in display.variants]
    return _product_variants(currency, views, with_option_values=True)


def _quoted_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@lru_cache(maxsize=8)
def _variant_views_sql(vendor: str) -> str:
    """Per priced variant of some products: its fields, its stock summed over active locations
    and its price, in one round trip. Plain SQL (valid on PostgreSQL and SQLite): the ORM takes
    milliseconds to build and compile these subqueries, and every product request runs it."""
    del vendor  # the cache key: quoting is per backend
    in_active_location = (
        f"FROM {_quoted_table(StockItem)} s INNER JOIN {_quoted_table(StockLocation)} l "
        "ON l.id = s.stock_location_id WHERE s.variant_id = v.id AND l.is_active"
    )
    through = _quoted_table(Variant.option_values.through)
    # Only table names from the models' metadata are spliced in; values are parameters.
    return (
        "SELECT v.id, v.product_id, v.sku, v.track_inventory, v.backorderable, "  # noqa: S608
        "v.weight, v.height, v.width, v.depth, p.id, p.amount, p.compare_at_amount, "
        f"EXISTS (SELECT 1 FROM {through} o WHERE o.variant_id = v.id), "
        f"(SELECT COALESCE(SUM(s.count_on_hand), 0) {in_active_location}), "
        f"EXISTS (SELECT 1 {in_active_location} AND s.backorderable) "
        f"FROM {_quoted_table(Variant)} v INNER JOIN {_quoted_table(Price)} p "
        "ON p.variant_id = v.id AND p.currency = %s "
        "WHERE v.product_id IN ({ids}) ORDER BY v.product_id, v.position, v.id"
    )


@lru_cache(maxsize=8)
def _option_values_sql(vendor: str) -> str:
    """The option values (with their types) of some variants."""
    del vendor
    return (
        "SELECT o.variant_id, ov.id, ov.name, ov.label, ov.position, ov.color_code, "  # noqa: S608
        "ot.id, ot.name, ot.label, ot.position, ot.kind "
        f"FROM {_quoted_table(Variant.option_values.through)} o "
        f"INNER JOIN {_quoted_table(OptionValue)} ov ON ov.id = o.optionvalue_id "
        f"INNER JOIN {_quoted_table(OptionType)} ot ON ot.id = ov.option_type_id "
        "WHERE o.variant_id IN ({ids})"
    )


def _fetch(sql: str, first: list[Any], ids: list[int]) -> list[tuple]:
    return fetch_all(sql.replace("{ids}", ", ".join(["%s"] * len(ids))), [*first, *ids])


def _variant_views(
    product_ids: list[int], currency: str, *, with_option_values: bool
) -> dict[int, list[VariantView]]:
    """The priced variants of `product_ids` by product, in position order; their option
    values too when asked (one more query)."""
    rows = _fetch(_variant_views_sql(connection.vendor), [currency], product_ids)
    option_values = (
        _option_values_by_variant([row[0] for row in rows]) if with_option_values and rows else {}
    )
    amount = column_reader(Price, "amount")
    compare_at = column_reader(Price, "compare_at_amount")
    size = column_reader(Variant, "weight")  # the four dimensions are alike
    views: dict[int, list[VariantView]] = {}
    for (
        pk,
        product_id,
        sku,
        track_inventory,
        backorderable,
        weight,
        height,
        width,
        depth,
        price_pk,
        price_amount,
        price_compare_at,
        has_option_values,
        on_hand,
        stock_backorderable,
    ) in rows:
        values = option_values.get(pk, []) if with_option_values else None
        views.setdefault(product_id, []).append(
            VariantView(
                pk=pk,
                product_id=product_id,
                sku=sku,
                track_inventory=bool(track_inventory),
                weight=size(weight),
                height=size(height),
                width=size(width),
                depth=size(depth),
                availability=Availability(
                    track_inventory=bool(track_inventory),
                    on_hand=int(on_hand),
                    backorderable=bool(backorderable) or bool(stock_backorderable),
                ),
                price=PriceFigures(
                    price_pk, currency, amount(price_amount), compare_at(price_compare_at)
                ),
                has_option_values=bool(has_option_values),
                option_values=values,
            )
        )
    return views


def _option_values_by_variant(variant_ids: list[int]) -> dict[int, list[OptionValue]]:
    """Option values (with their option type loaded) of `variant_ids`, by option type."""
    types: dict[int, OptionType] = {}
    values: dict[int, OptionValue] = {}
    by_variant: dict[int, list[OptionValue]] = {}
    for row in _fetch(_option_values_sql(connection.vendor), [], variant_ids):
        variant_id, value_pk, name, label, position, color_code, type_pk = row[:7]
        option_type = types.get(type_pk)
        if option_type is None:
            type_name, type_label, type_position, kind = row[7:]
            option_type = types[type_pk] = OptionType(
                pk=type_pk, name=type_name, label=type_label, position=type_position, kind=kind
            )
        value = values.get(value_pk)
        if value is None:
            value = values[value_pk] = OptionValue(
                pk=value_pk,
                option_type=option_type,
                name=name,
                label=label,
                position=position,
                color_code=color_code,
            )
        by_variant.setdefault(variant_id, []).append(value)
    for option_values in by_variant.values():
        option_values.sort(key=option_value_sort_key)
    return by_variant


def products_prefetch_for_display(
    products: list[Product], *, currency: str, expand: Iterable[str] = ()
) -> None:
    """Loads what the product serializer shows of `products` in `currency` with `expand`, in
    a fixed number of queries whatever their number: their priced variants with stock and
    price (one query), those variants' option values when an expansion shows them (one),
    the products' option types when expanded (one)."""
    if not products:
        return
    expand = set(expand)
    with_option_values = bool(expand & VARIANT_EXPANSIONS)
    views = _variant_views(
        [product.pk for product in products], currency, with_option_values=with_option_values
    )
    for product in products:
        shown = _product_variants(
            currency, views.get(product.pk, []), with_option_values=with_option_values
        )
        setattr(product, VARIANTS_ATTR, shown)
    if "option_types" in expand:
        option_types = _option_types_by_product([product.pk for product in products])
        for product in products:
            setattr(product, OPTION_TYPES_ATTR, option_types.get(product.pk, []))


#: Where `products_prefetch_for_display` leaves a product's option types (as a `to_attr`).
OPTION_TYPES_ATTR = "shown_option_types"


def product_option_types(product: Product) -> list[OptionType]:
    """The option types `products_prefetch_for_display` attached to `product`, else its
    (prefetched) `option_types`."""
    attached = getattr(product, OPTION_TYPES_ATTR, None)
    return attached if attached is not None else list(product.option_types.all())


@lru_cache(maxsize=8)
def _option_types_sql(vendor: str) -> str:
    """The option types of some products, in `OptionType.Meta.ordering`."""
    del vendor
    return (
        "SELECT o.product_id, ot.id, ot.name, ot.label, ot.position, ot.kind "  # noqa: S608
        f"FROM {_quoted_table(Product.option_types.through)} o "
        f"INNER JOIN {_quoted_table(OptionType)} ot ON ot.id = o.optiontype_id "
        "WHERE o.product_id IN ({ids}) ORDER BY ot.position, ot.id"
    )


def _option_types_by_product(product_ids: list[int]) -> dict[int, list[OptionType]]:
    types: dict[int, OptionType] = {}
    by_product: dict[int, list[OptionType]] = {}
    rows = _fetch(_option_types_sql(connection.vendor), [], product_ids)
    for product_id, pk, name, label, position, kind in rows:
        option_type = types.get(pk)
        if option_type is None:
            option_type = types[pk] = OptionType(
                pk=pk, name=name, label=label, position=position, kind=kind
            )
        by_product.setdefault(product_id, []).append(option_type)
    return by_product
