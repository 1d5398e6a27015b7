"""Shapes of the catalog as `@spree/sdk/zod` defines them: Price, OptionType, OptionValue,
Variant, Product and ProductFilters.

The currency comes from the context: `context["currency"]` (a cart's), else the request's
(`storeapi.http.request_currency`), else the store's. Only prefetched data is read: variants from
`variants_for_display()`, products from `products_for_display()` or
`products_prefetch_for_display()`. We have no media, so the optional `media` and
`primary_media` keys are left out even when expanded.

The declared fields describe the shapes (the OpenAPI document is generated from them); the
representations are written out by hand in `to_representation`, in the declared key order,
because DRF's field machinery (a deep copy of the declared fields per serializer instance and a
call per field and row) cost most of a product page.
"""

from catalog.serializers.fields import (
    FalseField,
    NullField,
    ZeroField,
    context_currency,
)
from catalog.serializers.filters import PRODUCT_FILTERS_ID, ProductFiltersSerializer
from catalog.serializers.products import ProductSerializer
from catalog.serializers.variants import (
    OptionTypeSerializer,
    OptionValueSerializer,
    PriceSerializer,
    VariantSerializer,
    missing_price,
    option_type_representation,
    option_value_representation,
    options_text,
    price_data,
    price_representation,
    variant_representation,
)

__all__ = [
    "PRODUCT_FILTERS_ID",
    "FalseField",
    "NullField",
    "OptionTypeSerializer",
    "OptionValueSerializer",
    "PriceSerializer",
    "ProductFiltersSerializer",
    "ProductSerializer",
    "VariantSerializer",
    "ZeroField",
    "context_currency",
    "missing_price",
    "option_type_representation",
    "option_value_representation",
    "options_text",
    "price_data",
    "price_representation",
    "variant_representation",
]
