"""ProductFilters (GET /products/filters)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from catalog.models import OptionType
from catalog.selectors import (
    DEFAULT_PRODUCT_SORT,
    PRODUCT_SORT_OPTIONS,
    ProductFacets,
)
from catalog.serializers.fields import blank_to_none, context_currency

#: The filters response has no record behind it; Spree sends `id: null`, which the SDK's Zod
#: schema (`id: string`) refuses, so it gets a fixed name.
PRODUCT_FILTERS_ID = "product_filters"


class ProductFiltersSerializer(serializers.Serializer):
    """GET /products/filters: price range, availability and option filters, sort options."""

    id = serializers.SerializerMethodField()
    default_sort = serializers.SerializerMethodField()
    total_count = serializers.IntegerField()
    filters = serializers.SerializerMethodField()
    sort_options = serializers.SerializerMethodField()

    def get_id(self, facets: ProductFacets) -> str:
        return PRODUCT_FILTERS_ID

    def get_default_sort(self, facets: ProductFacets) -> str:
        return DEFAULT_PRODUCT_SORT

    def get_filters(self, facets: ProductFacets) -> list[dict[str, Any]]:
        filters: list[dict[str, Any]] = []
        if facets.price_min is not None and facets.price_max is not None:
            filters.append(
                {
                    "id": "price",
                    "type": "price_range",
                    "min": float(facets.price_min),
                    "max": float(facets.price_max),
                    "currency": context_currency(self.context),
                }
            )
        if facets.in_stock_count or facets.out_of_stock_count:
            filters.append(
                {
                    "id": "availability",
                    "type": "availability",
                    "options": [
                        {"id": "in_stock", "count": facets.in_stock_count},
                        {"id": "out_of_stock", "count": facets.out_of_stock_count},
                    ],
                }
            )
        for facet in facets.options:
            option_type: OptionType = facet.option_type
            filters.append(
                {
                    "id": option_type.public_id,
                    "type": "option",
                    "name": option_type.name,
                    "label": option_type.label,
                    "kind": option_type.kind,
                    "options": [
                        {
                            "id": value.public_id,
                            "name": value.name,
                            "label": value.label,
                            "position": value.position,
                            "color_code": blank_to_none(value.color_code),
                            "image_url": None,
                            "count": count,
                        }
                        for value, count in facet.values
                    ],
                }
            )
        return filters

    def get_sort_options(self, facets: ProductFacets) -> list[dict[str, Any]]:
        return [{"id": sort, "label": None} for sort in PRODUCT_SORT_OPTIONS]
