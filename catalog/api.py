"""Store API endpoints of the catalog: GET /products, /products/:id_or_slug, /products/filters.

Publishable key only. Prices are in the request's currency (`x-spree-currency` or
`?currency=`, when the store sells in it; else the store's currency).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial

from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from catalog import selectors
from catalog.serializers import ProductFiltersSerializer, ProductSerializer
from storeapi.errors import InvalidRequest
from storeapi.http import request_currency
from storeapi.pagination import paginate, paginate_reads
from storeapi.querying import TRUE_VALUES, apply_filters, parse_list, select_fields
from storeapi.views import StoreAPIView

#: Ransackable product attributes (Spree's whitelist), for `q[name_cont]`, `q[slug_eq]`, ...
PRODUCT_FILTERS = {
    name: name
    for name in (
        "name",
        "slug",
        "description",
        "available_on",
        "discontinue_on",
        "created_at",
        "updated_at",
    )
}

_LIST_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number (default 1)"),
    OpenApiParameter("limit", int, description="Per page (default 25, max 100)"),
    OpenApiParameter(
        "sort",
        str,
        description="price, -price, best_selling, name, -name, available_on, -available_on, "
        "created_at, -created_at (comma-separated). best_selling: most completed orders first, "
        "then the highest sum of their totals; canceled orders are not sales",
    ),
    OpenApiParameter("q[name_cont]", str, description="Name contains (case-insensitive)"),
    OpenApiParameter("q[search]", str, description="Name or SKU contains (case-insensitive)"),
    OpenApiParameter("q[price_gte]", OpenApiTypes.NUMBER, description="Some price >= value"),
    OpenApiParameter("q[price_lte]", OpenApiTypes.NUMBER, description="Some price <= value"),
    OpenApiParameter("q[in_stock]", bool, description="Only purchasable products"),
    OpenApiParameter("q[out_of_stock]", bool, description="Only products that cannot be bought"),
    OpenApiParameter(
        "q[with_option_value_ids][]",
        str,
        many=True,
        description="optval_ ids: OR within an option type, AND across types",
    ),
]
_EXPAND_PARAMETERS = [
    OpenApiParameter(
        "expand", str, description="variants, default_variant, option_types, option_values"
    ),
    OpenApiParameter("fields", str, description="Top-level keys to keep (id always kept)"),
]
_CURRENCY_HEADER = OpenApiParameter(
    "x-spree-currency", str, OpenApiParameter.HEADER, description="ISO currency code"
)


def _decimal(params, key: str) -> Decimal | None:
    raw = params.get(key)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidRequest("A filter value has the wrong type.") from None
    if not value.is_finite():
        raise InvalidRequest("A filter value has the wrong type.")
    return value


def _flag(params, key: str) -> bool:
    return str(params.get(key, "")).strip().lower() in TRUE_VALUES


def product_query(params) -> selectors.ProductQuery:
    """The catalog scopes of `q[...]` (the plain attribute filters go through apply_filters)."""
    option_ids: list[str] = []
    for key in ("q[with_option_value_ids][]", "q[with_option_value_ids]"):
        for raw in params.getlist(key):
            option_ids.extend(parse_list(raw))
    return selectors.ProductQuery(
        search=str(params.get("q[search]", "")),
        price_gte=_decimal(params, "q[price_gte]"),
        price_lte=_decimal(params, "q[price_lte]"),
        in_stock=_flag(params, "q[in_stock]"),
        out_of_stock=_flag(params, "q[out_of_stock]"),
        option_value_ids=tuple(option_ids),
    )


class CatalogAPIView(StoreAPIView):
    @property
    def expand(self) -> set[str]:
        # `variants.option_values` expands `variants`: nested expands change nothing here.
        return {name.split(".")[0] for name in super().expand}

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "currency": request_currency(self.request)}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("x-spree-currency",))
        return response

    def matching_products(self):
        currency = request_currency(self.request)
        params = self.request.query_params
        queryset = apply_filters(
            selectors.products_available(currency=currency), params, PRODUCT_FILTERS
        )
        return queryset, currency, product_query(params)


def _plain_listing(params) -> bool:
    """No `q[...]` and the default sort: the available products in creation order, read by
    selectors.products_available_page (the same rows as the queryset path, without it)."""
    if (params.get("sort") or selectors.DEFAULT_PRODUCT_SORT) != selectors.DEFAULT_PRODUCT_SORT:
        return False
    return not any(key.startswith("q[") for key in params)


class ProductListView(CatalogAPIView):
    @extend_schema(
        parameters=[*_LIST_PARAMETERS, *_EXPAND_PARAMETERS, _CURRENCY_HEADER],
        responses=ProductSerializer(many=True),
        tags=["Product Catalog"],
    )
    def get(self, request):
        params = request.query_params
        if _plain_listing(params):
            currency = request_currency(request)
            items, meta = paginate_reads(
                partial(selectors.products_available_page, currency=currency),
                partial(selectors.products_available_count, currency=currency),
                params,
                count_only_when_needed=True,
            )
        else:
            queryset, currency, query = self.matching_products()
            queryset = selectors.products_search(queryset, currency=currency, query=query)
            queryset = selectors.products_sort(queryset, sort=params.get("sort"), currency=currency)
            items, meta = paginate(queryset, params, count_only_when_needed=True)
        selectors.products_prefetch_for_display(items, currency=currency, expand=self.expand)
        rows = ProductSerializer(items, many=True, context=self.get_serializer_context()).data
        data = [select_fields(row, self.fields, self.expand) for row in rows]
        return Response({"data": data, "meta": meta})


class ProductDetailView(CatalogAPIView):
    @extend_schema(
        parameters=[*_EXPAND_PARAMETERS, _CURRENCY_HEADER],
        responses=ProductSerializer,
        tags=["Product Catalog"],
    )
    def get(self, request, id_or_slug: str):
        product = selectors.product_get_available(
            id_or_slug=id_or_slug, currency=request_currency(request), expand=self.expand
        )
        return Response(self.represent(ProductSerializer, product))


class ProductFiltersView(CatalogAPIView):
    @extend_schema(
        parameters=[
            *_LIST_PARAMETERS[3:],
            OpenApiParameter("category_id", str, description="Ignored: no categories yet"),
            _CURRENCY_HEADER,
        ],
        responses=ProductFiltersSerializer,
        tags=["Product Catalog"],
    )
    def get(self, request):
        queryset, currency, query = self.matching_products()
        facets = selectors.product_facets(queryset, currency=currency, query=query)
        return Response(
            ProductFiltersSerializer(facets, context=self.get_serializer_context()).data
        )
