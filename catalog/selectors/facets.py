"""Counts for a product filter UI (GET /products/filters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet

from catalog.models import OptionType, OptionValue, Price, Product, Variant
from catalog.selectors.products import (
    ProductQuery,
    _in_stock,
    _option_groups,
    _priced_variants,
    _products_matching,
    _with_option_groups,
)


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


def product_facets(
    queryset: QuerySet[Product], *, currency: str, query: ProductQuery
) -> ProductFacets:
    """Counts for a filter UI over `queryset` narrowed by `query`: price range, availability and
    option values. An option value's count ignores the selection in its own option type, so
    choosing Blue still shows how many products come in Red (Spree's FiltersAggregator)."""
    before_options = _products_matching(queryset, currency=currency, query=query)
    groups = _option_groups(query.option_value_ids) if query.option_value_ids else {}
    if query.option_value_ids and not groups:
        scope = before_options.none()
    else:
        scope = _with_option_groups(before_options, groups, currency)

    total = scope.count()
    in_stock = scope.filter(_in_stock(currency)).count() if total else 0
    prices = Price.objects.filter(
        variant__product__in=scope.values("pk"), currency=currency
    ).aggregate(low=Min("amount"), high=Max("amount"))

    values = list(
        OptionValue.objects.select_related("option_type").order_by(
            "option_type__position", "option_type_id", "position", "pk"
        )
    )
    counts: dict[int, int] = {}
    if values and not (query.option_value_ids and not groups):
        # One count per distinct "other selections" scope: types without a selection share one.
        scopes: dict[tuple[int, ...], list[int]] = {}
        for value in values:
            others = tuple(sorted(t for t in groups if t != value.option_type_id))
            scopes.setdefault(others, []).append(value.pk)
        for others, value_ids in scopes.items():
            narrowed = _with_option_groups(before_options, {t: groups[t] for t in others}, currency)
            counts.update(_option_value_counts(narrowed, value_ids, currency))

    facets: list[OptionFacet] = []
    for value in values:
        count = counts.get(value.pk, 0)
        if not count:
            continue
        if not facets or facets[-1].option_type.pk != value.option_type_id:
            facets.append(OptionFacet(value.option_type, []))
        facets[-1].values.append((value, count))

    return ProductFacets(
        total_count=total,
        price_min=prices["low"],
        price_max=prices["high"],
        in_stock_count=in_stock,
        out_of_stock_count=total - in_stock,
        options=facets,
    )


def _option_value_counts(
    products: QuerySet[Product], value_ids: list[int], currency: str
) -> dict[int, int]:
    """Products per option value among `products`, in one grouped query."""
    through = Variant.option_values.through
    rows = (
        through.objects.filter(
            optionvalue_id__in=value_ids,
            variant__in=_priced_variants(currency).filter(
                product__in=products.order_by().values("pk")
            ),
        )
        .values("optionvalue_id")
        .annotate(products=Count("variant__product_id", distinct=True))
        .order_by()
    )
    return {row["optionvalue_id"]: row["products"] for row in rows}
