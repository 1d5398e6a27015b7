"""Reads of products: the available ones, searched and sorted as Spree's Store API does, and one
by id or slug."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.errors import ProductNotFound
from catalog.models import OptionValue, Price, Product, StockItem, Variant, published
from catalog.selectors.display import products_for_display, products_prefetch_for_display
from storeapi.ids import decode_id
from storeapi.sql import Select, fetch_all

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

# A plain integer id: ASCII digits only ("²".isdigit() is true) and within a bigint.
_PLAIN_ID = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class ProductQuery:
    """The product scopes of Spree's `q[...]` (search, price range, stock, option values)."""

    search: str = ""
    price_gte: Decimal | None = None
    price_lte: Decimal | None = None
    in_stock: bool = False
    out_of_stock: bool = False
    option_value_ids: tuple[str, ...] = ()


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
    # The SQL is ours (no input in it); the currency is a parameter.
    return RawSQL(sql, (currency,), output_field=BigIntegerField())  # noqa: S611


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


# The plain listing (no `q[...]`, the default sort) is a storefront's "all products" page and
# the SDK's `products.list()`: the same rows as products_available's queryset, in precompiled
# statements. Building and compiling that queryset was 60% of the request's CPU.
@lru_cache(maxsize=8)
def _available_reads(vendor: str) -> tuple[Select, str]:
    """The page (a Select) and the count of `published()` products priced in a currency."""
    where = (
        'FROM "catalog_product" product WHERE product."status" = %s '
        'AND product."available_on" IS NOT NULL AND product."available_on" <= %s '
        'AND (product."discontinue_on" IS NULL OR product."discontinue_on" > %s) '
        f'AND product."id" IN ({_priced_product_ids_sql(vendor)})'
    )
    page = Select([(Product, "product")], f'{where} ORDER BY product."id" LIMIT %s OFFSET %s')
    return page, f"SELECT COUNT(*) {where}"


def _available_params(currency: str) -> list:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return [Product.ACTIVE, now, now, currency]


def products_available_page(offset: int, limit: int, *, currency: str) -> list[Product]:
    """`products_available(currency)[offset:offset + limit]`, without building the queryset."""
    page, _ = _available_reads(connection.vendor)
    rows = page.all([*_available_params(currency), limit, offset])
    return [product for (product,) in rows]


def products_available_count(*, currency: str) -> int:
    """`products_available(currency).count()`, likewise."""
    _, count_sql = _available_reads(connection.vendor)
    ((count,),) = fetch_all(count_sql, _available_params(currency))
    return count


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
        pk = int(raw) if _PLAIN_ID.fullmatch(raw) else decode_id(raw, "optval")
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


def _completed_orders_with(currency: str) -> tuple[QuerySet, QuerySet]:
    """Per product (the outer query's row): how many completed orders have a line of one of its
    variants, and the sum of the totals of those in `currency`. Scalar subqueries."""
    from orders.models import LineItem, Order  # orders builds on the catalog, not the reverse

    lines = LineItem.objects.filter(variant__product=OuterRef(OuterRef("pk"))).values("order_id")
    orders = Order.objects.filter(state=Order.COMPLETE, pk__in=lines).order_by()
    whole = orders.annotate(whole=Value(1)).values("whole")  # one group: an aggregate row
    count = whole.annotate(count=Count("pk")).values("count")
    total = whole.filter(currency=currency).annotate(total=Sum("total")).values("total")
    return count, total


def products_sort(queryset: QuerySet[Product], *, sort: str | None, currency: str):
    """Spree's product sorts (`price`, `-price`, `name`, `available_on`, ... comma-separated).
    `price` is the lowest non-zero price in `currency`, `-price` the highest. `manual` (the
    default) is creation order. `best_selling` is Spree's `by_best_selling`: most completed orders
    first, then the highest sum of those orders' totals (in `currency`); canceled orders are not
    sales. Unknown sorts are ignored; ties go by creation order."""
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
            orders, total = _completed_orders_with(currency)
            queryset = queryset.annotate(
                sort_orders=Coalesce(Subquery(orders), Value(0)),
                sort_orders_total=Coalesce(Subquery(total), Value(Decimal("0"))),
            )
            ordering += ["-sort_orders", "-sort_orders_total"]
        elif part.lstrip("-") in _PLAIN_SORTS:
            ordering.append(part)
    return queryset.order_by(*ordering, "pk")
