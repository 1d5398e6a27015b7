"""Counts for a product filter UI (GET /products/filters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from catalog.models import (
    OptionType,
    OptionValue,
    Price,
    Product,
    Variant,
)
from catalog.selectors.products import (
    ProductQuery,
    _in_stock,
    _option_groups,
    _priced_variants,
    _products_matching,
    _with_option_groups,
)
from catalog.selectors.variants import option_value_sort_key


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
