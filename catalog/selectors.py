"""Reads of the catalog: purchasable variants, their prices and stock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.errors import ProductNotFound, VariantNotFound
from catalog.models import (
    OptionType,
    OptionValue,
    Price,
    Product,
    StockItem,
    StockLocation,
    Variant,
    published,
)
from storeapi.ids import decode_id


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


def variant_get_purchasable(*, public_id: object, currency: str) -> Variant:
    """A variant of an available product with a price in `currency`; else 404
    variant_not_found. Accepts `variant_…` ids (plain integers too, as Spree does)."""
    pk = decode_id(public_id, "variant")
    if pk is None and isinstance(public_id, int) and not isinstance(public_id, bool):
        pk = public_id
    if pk is None:
        raise VariantNotFound()
    variant = variants_for_display().filter(pk=pk, product__in=Product.objects.available()).first()
    if variant is None or variant_price(variant, currency) is None:
        raise VariantNotFound()
    return variant


def on_hand_by_variant(variant_ids: list[int]) -> dict[int, int]:
    """Units on hand per variant across active locations, in one query."""
    rows = (
        StockItem.objects.filter(variant_id__in=variant_ids, stock_location__is_active=True)
        .values("variant_id")
        .annotate(total=Sum("count_on_hand"))
    )
    return {row["variant_id"]: row["total"] or 0 for row in rows}


def money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")


# --- products: what the Store API lists, shows and counts ----------------------------------

#: Spree's `Taxon::SORT_ORDERS` in API form, offered by GET /products/filters.
PRODUCT_SORT_OPTIONS = (
    "manual",
    "best_selling",
    "price",
    "-price",
    "-available_on",
    "available_on",
    "name",
    "-name",
)
DEFAULT_PRODUCT_SORT = "manual"
_PLAIN_SORTS = {"name", "available_on", "created_at", "updated_at"}
_NO_PRICE_LAST = Decimal("999999999")


@dataclass(frozen=True)
class ProductQuery:
    """The product scopes of Spree's `q[...]` (search, price range, stock, option values)."""

    search: str = ""
    price_gte: Decimal | None = None
    price_lte: Decimal | None = None
    in_stock: bool = False
    out_of_stock: bool = False
    option_value_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductDisplay:
    """A product as shown in one currency, computed from its prefetched variants."""

    #: Variants priced in the currency, by position.
    variants: list[Variant]
    #: Those with option values: Spree's `variants` (a product without any has only a "master").
    option_variants: list[Variant]
    default_variant: Variant | None

    @property
    def option_values(self) -> list[OptionValue]:
        seen: dict[int, OptionValue] = {}
        for variant in self.option_variants:
            for value in variant.option_values.all():
                seen.setdefault(value.pk, value)
        return sorted(seen.values(), key=option_value_sort_key)


@dataclass(frozen=True)
class OptionFacet:
    option_type: OptionType
    #: (option value, number of products having it), only values with products.
    values: list[tuple[OptionValue, int]]


@dataclass(frozen=True)
class ProductFacets:
    total_count: int
    price_min: Decimal | None
    price_max: Decimal | None
    in_stock_count: int
    out_of_stock_count: int
    options: list[OptionFacet] = field(default_factory=list)


def option_value_sort_key(value: OptionValue) -> tuple[int, int, int, int]:
    return (value.option_type.position, value.option_type_id, value.position, value.pk)


def currency_is_sold(currency: str) -> bool:
    """True when some variant has a price in `currency`: the store sells in it."""
    return Price.objects.filter(currency=currency).exists()


def _priced_variants(currency: str) -> QuerySet[Variant]:
    return Variant.objects.filter(
        Exists(Price.objects.filter(variant=OuterRef("pk"), currency=currency))
    )


def _purchasable(variants: QuerySet[Variant]) -> QuerySet[Variant]:
    """`Availability.purchasable` in SQL: untracked, backorderable, or units on hand somewhere
    active (a location may only go negative when backorderable, so "some row > 0" is "sum > 0")."""
    stocked = StockItem.objects.filter(
        variant=OuterRef("pk"), stock_location__is_active=True
    ).filter(Q(count_on_hand__gt=0) | Q(backorderable=True))
    return variants.filter(Q(track_inventory=False) | Q(backorderable=True) | Exists(stocked))


def _in_stock(currency: str) -> Exists:
    return Exists(_purchasable(_priced_variants(currency)).filter(product=OuterRef("pk")))


def products_available(*, currency: str) -> QuerySet[Product]:
    """Published products (`Product.objects.available()`) with a variant priced in `currency`,
    as Spree's `Product.available(now, currency)`; in creation order."""
    return Product.objects.filter(
        published(timezone.now()), pk__in=_priced_product_ids(currency)
    ).order_by("pk")


def _priced_product_ids(currency: str) -> RawSQL:
    """The products with a variant priced in `currency`, as a plain subquery. Every product
    request filters on it, and the ORM takes about half a millisecond to build and compile
    the equivalent `Exists` (its cost is per lookup, join and subquery level)."""
    sql = _priced_product_ids_sql(connection.vendor)
    return RawSQL(sql, (currency,), output_field=BigIntegerField())  # noqa: S611 (no input)


@lru_cache(maxsize=8)
def _priced_product_ids_sql(vendor: str) -> str:
    del vendor  # the cache key: quoting is per backend
    quote = connection.ops.quote_name
    variants, prices = quote(Variant._meta.db_table), quote(Price._meta.db_table)
    # Only table names from the models' metadata are spliced in; the currency is a parameter.
    return (
        f"SELECT v.product_id FROM {variants} v INNER JOIN {prices} p "  # noqa: S608
        "ON p.variant_id = v.id WHERE p.currency = %s"
    )


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


def _product_variants(currency: str, variants: list[VariantView]) -> ProductVariants:
    option_variants = [v for v in variants if v.has_option_values]
    default = _default_of(option_variants or variants, lambda v: v.availability.purchasable)
    return ProductVariants(currency, variants, option_variants, default)


#: Where `products_prefetch_for_display` leaves a product's variants (as a `to_attr`).
VARIANTS_ATTR = "shown_variants"
#: Expansions that show variants' option values, which are then read too.
VARIANT_EXPANSIONS = frozenset({"variants", "default_variant", "option_values"})


def product_variants(product: Product, currency: str) -> ProductVariants:
    """The variants `products_prefetch_for_display` attached to `product` for `currency`,
    else the ones worked out from its prefetched variants (`products_for_display`)."""
    shown = getattr(product, VARIANTS_ATTR, None)
    if shown is not None and shown.currency == currency:
        return shown
    display = product_display(product, currency)
    return _product_variants(currency, [variant_view(v, currency) for v in display.variants])


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


def _column_reader(model, field_name: str) -> Callable[[Any], Any]:
    """Turns a raw column value into what the ORM would return for `model.field_name` (a
    Decimal for a decimal column: SQLite hands back floats)."""
    column = model._meta.get_field(field_name).get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    if not converters:
        return lambda value: value

    def read(value: Any) -> Any:
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return read


def _fetch(sql: str, first: list[Any], ids: list[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{ids}", ", ".join(["%s"] * len(ids))), [*first, *ids])
        return cursor.fetchall()


def _variant_views(
    product_ids: list[int], currency: str, *, with_option_values: bool
) -> dict[int, list[VariantView]]:
    """The priced variants of `product_ids` by product, in position order; their option
    values too when asked (one more query)."""
    rows = _fetch(_variant_views_sql(connection.vendor), [currency], product_ids)
    option_values = (
        _option_values_by_variant([row[0] for row in rows]) if with_option_values and rows else {}
    )
    amount = _column_reader(Price, "amount")
    compare_at = _column_reader(Price, "compare_at_amount")
    size = _column_reader(Variant, "weight")  # the four dimensions are alike
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
    views = _variant_views(
        [product.pk for product in products],
        currency,
        with_option_values=bool(expand & VARIANT_EXPANSIONS),
    )
    for product in products:
        setattr(product, VARIANTS_ATTR, _product_variants(currency, views.get(product.pk, [])))
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


def product_get_available(
    *, id_or_slug: str, currency: str, expand: Iterable[str] | None = None
) -> Product:
    """An available product priced in `currency`, by `prod_` id or by slug, prefetched for
    display: everything (`products_for_display`), or only what `expand` shows when given
    (`products_prefetch_for_display`). Anything else (unknown, draft, archived, not yet
    published, discontinued, not sold in the currency) raises ProductNotFound (404
    record_not_found)."""
    queryset = products_available(currency=currency)
    if expand is None:
        queryset = products_for_display(queryset)
    if id_or_slug.startswith("prod_"):
        pk = decode_id(id_or_slug, "prod")
        product = queryset.filter(pk=pk).first() if pk is not None else None
    else:
        product = queryset.filter(slug=id_or_slug).first()
    if product is None:
        raise ProductNotFound()
    if expand is not None:
        products_prefetch_for_display([product], currency=currency, expand=expand)
    return product


def _option_groups(raw_ids: Iterable[str]) -> dict[int, list[int]]:
    """Selected option values (`optval_` ids or plain integers) grouped by option type."""
    pks: list[int] = []
    for raw in raw_ids:
        pk = int(raw) if raw.isdigit() else decode_id(raw, "optval")
        if pk is not None:
            pks.append(pk)
    groups: dict[int, list[int]] = {}
    if not pks:
        return groups
    for type_id, value_id in OptionValue.objects.filter(pk__in=pks).values_list(
        "option_type_id", "pk"
    ):
        groups.setdefault(type_id, []).append(value_id)
    return groups


def _with_option_groups(
    queryset: QuerySet[Product], groups: dict[int, list[int]], currency: str
) -> QuerySet[Product]:
    """OR within an option type, AND across types (Spree's `with_option_value_ids`)."""
    for value_ids in groups.values():
        matching = _priced_variants(currency).filter(
            product=OuterRef("pk"), option_values__in=value_ids
        )
        queryset = queryset.filter(Exists(matching))
    return queryset


def _products_matching(
    queryset: QuerySet[Product], *, currency: str, query: ProductQuery
) -> QuerySet[Product]:
    """Every scope of `query` except the option values."""
    search = query.search.strip()
    if search:
        by_sku = Variant.objects.filter(product=OuterRef("pk"), sku__icontains=search)
        queryset = queryset.filter(Q(name__icontains=search) | Exists(by_sku))
    if query.price_gte is not None or query.price_lte is not None:
        prices = Price.objects.filter(variant__product=OuterRef("pk"), currency=currency)
        if query.price_gte is not None:
            prices = prices.filter(amount__gte=query.price_gte)
        if query.price_lte is not None:
            prices = prices.filter(amount__lte=query.price_lte)
        queryset = queryset.filter(Exists(prices))
    if query.in_stock:
        queryset = queryset.filter(_in_stock(currency))
    if query.out_of_stock:
        queryset = queryset.filter(~_in_stock(currency))
    return queryset


def products_search(
    queryset: QuerySet[Product], *, currency: str, query: ProductQuery
) -> QuerySet[Product]:
    """Narrows `queryset` by `query`. `in_stock` means purchasable (in stock or backorderable) as
    in Spree; `in_stock=false` filters nothing; option value ids that name nothing match nothing.
    """
    queryset = _products_matching(queryset, currency=currency, query=query)
    if query.option_value_ids:
        groups = _option_groups(query.option_value_ids)
        if not groups:
            return queryset.none()
        queryset = _with_option_groups(queryset, groups, currency)
    return queryset


def products_sort(queryset: QuerySet[Product], *, sort: str | None, currency: str):
    """Spree's product sorts (`price`, `-price`, `name`, `available_on`, ... comma-separated).
    `price` is the lowest non-zero price in `currency`, `-price` the highest. `manual` (the
    default) is creation order. `best_selling` is newest first until orders record sales.
    Unknown sorts are ignored; ties go by creation order."""
    ordering: list[str] = []
    for part in (sort or "").split(","):
        part = part.strip()
        if part in ("price", "-price"):
            prices = Price.objects.filter(
                variant__product=OuterRef("pk"), currency=currency, amount__gt=0
            )
            if part == "price":
                lowest = prices.order_by("amount").values("amount")[:1]
                queryset = queryset.annotate(
                    sort_low_price=Coalesce(Subquery(lowest), Value(_NO_PRICE_LAST))
                )
                ordering.append("sort_low_price")
            else:
                highest = prices.order_by("-amount").values("amount")[:1]
                queryset = queryset.annotate(
                    sort_high_price=Coalesce(Subquery(highest), Value(Decimal("0")))
                )
                ordering.append("-sort_high_price")
        elif part == "best_selling":
            ordering.append("-created_at")
        elif part.lstrip("-") in _PLAIN_SORTS:
            ordering.append(part)
    return queryset.order_by(*ordering, "pk")


def product_facets(
    queryset: QuerySet[Product], *, currency: str, query: ProductQuery
) -> ProductFacets:
    """Counts for a filter UI over `queryset` narrowed by `query`: price range, availability and
    option values. An option value's count ignores the selection in its own option type, so
    choosing Blue still shows how many products come in Red (Spree's FiltersAggregator)."""
    before_options = _products_matching(queryset, currency=currency, query=query)
    groups = _option_groups(query.option_value_ids) if query.option_value_ids else {}
    if query.option_value_ids and not groups:
        return ProductFacets(0, None, None, 0, 0, [])
    scope = _with_option_groups(before_options, groups, currency)

    # The counts and the price range in one query: the range is the lowest (highest) of each
    # product's lowest (highest) price in the currency.
    prices = Price.objects.filter(variant__product=OuterRef("pk"), currency=currency)
    figures = scope.order_by().aggregate(
        total=Count("pk"),
        in_stock=Count("pk", filter=_in_stock(currency)),
        low=Min(Subquery(prices.order_by("amount").values("amount")[:1])),
        high=Max(Subquery(prices.order_by("-amount").values("amount")[:1])),
    )
    total = figures["total"]
    return ProductFacets(
        total_count=total,
        price_min=figures["low"],
        price_max=figures["high"],
        in_stock_count=figures["in_stock"],
        out_of_stock_count=total - figures["in_stock"],
        options=_option_facets(before_options, groups, currency),
    )


def _option_facets(
    before_options: QuerySet[Product], groups: dict[int, list[int]], currency: str
) -> list[OptionFacet]:
    """The option values of the products, with their number of products, by option type.
    A value's products are narrowed by the selections in the other types only: one grouped
    query per distinct set of other selections (the unselected types share one)."""
    selected = sorted(groups)
    of_type = "optionvalue__option_type_id"
    unselected = ~Q(**{f"{of_type}__in": selected}) if selected else Q()
    scopes: list[tuple[list[int], Q]] = [(selected, unselected)]
    scopes += [([t for t in selected if t != kind], Q(**{of_type: kind})) for kind in selected]
    counted: list[tuple[OptionValue, int]] = []
    for others, values_of_scope in scopes:
        narrowed = _with_option_groups(before_options, {t: groups[t] for t in others}, currency)
        counted.extend(_option_value_counts(narrowed, values_of_scope, currency))
    counted.sort(key=lambda pair: option_value_sort_key(pair[0]))

    facets: list[OptionFacet] = []
    for value, count in counted:
        if not facets or facets[-1].option_type.pk != value.option_type_id:
            facets.append(OptionFacet(value.option_type, []))
        facets[-1].values.append((value, count))
    return facets


_VALUE_FIELDS = ("name", "label", "position", "color_code")
_TYPE_FIELDS = ("name", "label", "position", "kind")


def _option_value_counts(
    products: QuerySet[Product], values: Q, currency: str
) -> list[tuple[OptionValue, int]]:
    """The option values matching `values` that products among `products` have (in a variant
    priced in `currency`), each with its number of products, in one grouped query."""
    through = Variant.option_values.through
    rows = (
        through.objects.filter(
            values,
            variant__in=_priced_variants(currency).filter(
                product__in=products.order_by().values("pk")
            ),
        )
        .values(
            "optionvalue_id",
            "optionvalue__option_type_id",
            *(f"optionvalue__{name}" for name in _VALUE_FIELDS),
            *(f"optionvalue__option_type__{name}" for name in _TYPE_FIELDS),
        )
        .annotate(products=Count("variant__product_id", distinct=True))
        .order_by()
    )
    types: dict[int, OptionType] = {}
    counted = []
    for row in rows:
        type_id = row["optionvalue__option_type_id"]
        option_type = types.get(type_id)
        if option_type is None:
            option_type = types[type_id] = OptionType(
                pk=type_id,
                **{name: row[f"optionvalue__option_type__{name}"] for name in _TYPE_FIELDS},
            )
        value = OptionValue(
            pk=row["optionvalue_id"],
            option_type=option_type,
            **{name: row[f"optionvalue__{name}"] for name in _VALUE_FIELDS},
        )
        counted.append((value, row["products"]))
    return counted
