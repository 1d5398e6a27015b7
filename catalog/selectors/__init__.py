"""Reads of the catalog: purchasable variants, their prices and stock; products as the Store API
lists, shows and counts them. One module per sub-domain; every read is importable from here."""

from catalog.selectors.display import (
    OPTION_TYPES_ATTR,
    VARIANT_EXPANSIONS,
    VARIANTS_ATTR,
    PriceFigures,
    ProductDisplay,
    ProductVariants,
    VariantView,
    product_display,
    product_is_available,
    product_option_types,
    product_variants,
    products_for_display,
    products_prefetch_for_display,
    variant_view,
)
from catalog.selectors.facets import OptionFacet, ProductFacets, product_facets
from catalog.selectors.locations import stock_locations_active
from catalog.selectors.products import (
    DEFAULT_PRODUCT_SORT,
    PRODUCT_SORT_OPTIONS,
    ProductQuery,
    product_get_available,
    products_available,
    products_search,
    products_sort,
)
from catalog.selectors.variants import (
    Availability,
    availability,
    currency_is_sold,
    option_value_sort_key,
    variant_price,
    variants_for_display,
)

__all__ = [
    "DEFAULT_PRODUCT_SORT",
    "OPTION_TYPES_ATTR",
    "PRODUCT_SORT_OPTIONS",
    "VARIANTS_ATTR",
    "VARIANT_EXPANSIONS",
    "Availability",
    "OptionFacet",
    "PriceFigures",
    "ProductDisplay",
    "ProductFacets",
    "ProductQuery",
    "ProductVariants",
    "VariantView",
    "availability",
    "currency_is_sold",
    "option_value_sort_key",
    "product_display",
    "product_facets",
    "product_get_available",
    "product_is_available",
    "product_option_types",
    "product_variants",
    "products_available",
    "products_for_display",
    "products_prefetch_for_display",
    "products_search",
    "products_sort",
    "stock_locations_active",
    "variant_price",
    "variant_view",
    "variants_for_display",
]
