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

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import OptionType, OptionValue, Price, Product, Variant, html_to_text
from catalog.selectors import (
    DEFAULT_PRODUCT_SORT,
    PRODUCT_SORT_OPTIONS,
    PriceFigures,
    ProductFacets,
    ProductVariants,
    VariantView,
    availability,
    option_value_sort_key,
    product_is_available,
    product_option_types,
    product_variants,
    variant_price,
    variant_view,
)
from storeapi.http import request_currency
from storeapi.ids import encode_id
from storeapi.money import amount_in_cents, amount_string, display_money

#: The filters response has no record behind it; Spree sends `id: null`, which the SDK's Zod
#: schema (`id: string`) refuses, so it gets a fixed name.
PRODUCT_FILTERS_ID = "product_filters"


def context_currency(context: dict[str, Any]) -> str:
    """The currency a serializer shows prices in (see the module docstring)."""
    currency = context.get("currency")
    if currency:
        return currency
    request = context.get("request")
    if request is not None:
        return request_currency(request)
    return settings.STORE_CURRENCY


#: DRF's rendering of a datetime (ISO 8601 in the current time zone, `Z` for UTC), shared.
_DATETIME = serializers.DateTimeField()


def _blank_to_none(value: str | None) -> str | None:
    return value or None


def options_text(option_values: list[OptionValue]) -> str:
    """`Size: M, Color: Red, and Fit: Slim` as Spree's `Variant#options_text`."""
    parts = [f"{v.option_type.label}: {v.label}" for v in option_values]
    if len(parts) <= 2:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


class _ConstantField(serializers.Field):
    """A read-only key whose value never varies here: we have no media, pre-orders or price
    lists."""

    value: Any = None

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, _instance: Any) -> Any:
        return self.value


@extend_schema_field({"type": "string", "nullable": True})
class NullField(_ConstantField):
    value = None


@extend_schema_field(OpenApiTypes.BOOL)
class FalseField(_ConstantField):
    value = False


@extend_schema_field(OpenApiTypes.INT)
class ZeroField(_ConstantField):
    value = 0


class PriceSerializer(serializers.Serializer):
    """A Price: decimal strings in the currency's minor units, display strings, cents."""

    id = serializers.CharField(source="public_id")
    amount = serializers.SerializerMethodField()
    amount_in_cents = serializers.SerializerMethodField()
    compare_at_amount = serializers.SerializerMethodField()
    compare_at_amount_in_cents = serializers.SerializerMethodField()
    currency = serializers.CharField()
    display_amount = serializers.SerializerMethodField()
    display_compare_at_amount = serializers.SerializerMethodField()
    price_list_id = NullField()

    def get_amount(self, price: Price) -> str | None:
        return amount_string(price.amount, price.currency)

    def get_amount_in_cents(self, price: Price) -> int | None:
        return amount_in_cents(price.amount, price.currency)

    def get_compare_at_amount(self, price: Price) -> str | None:
        return amount_string(price.compare_at_amount, price.currency)

    def get_compare_at_amount_in_cents(self, price: Price) -> int | None:
        return amount_in_cents(price.compare_at_amount, price.currency)

    def get_display_amount(self, price: Price) -> str | None:
        return display_money(price.amount, price.currency)

    def get_display_compare_at_amount(self, price: Price) -> str | None:
        return display_money(price.compare_at_amount, price.currency)

    def to_representation(self, price: Price | PriceFigures) -> dict[str, Any]:
        return price_representation(price)


def price_representation(price: Price | PriceFigures) -> dict[str, Any]:
    """The fields of PriceSerializer, written out."""
    currency, amount, compare_at = price.currency, price.amount, price.compare_at_amount
    return {
        "id": encode_id("price", price.pk),
        "amount": amount_string(amount, currency),
        "amount_in_cents": amount_in_cents(amount, currency),
        "compare_at_amount": amount_string(compare_at, currency),
        "compare_at_amount_in_cents": amount_in_cents(compare_at, currency),
        "currency": currency,
        "display_amount": display_money(amount, currency),
        "display_compare_at_amount": display_money(compare_at, currency),
        "price_list_id": None,
    }


def missing_price(currency: str) -> dict[str, Any]:
    """The Price of a variant not sold in `currency`: the schema needs an object, so every
    money field is null (the id is empty: there is no row)."""
    return {
        "id": "",
        "amount": None,
        "amount_in_cents": None,
        "compare_at_amount": None,
        "compare_at_amount_in_cents": None,
        "currency": currency,
        "display_amount": None,
        "display_compare_at_amount": None,
        "price_list_id": None,
    }


def price_data(price: Price | PriceFigures | None, currency: str) -> dict[str, Any]:
    return price_representation(price) if price is not None else missing_price(currency)


class OptionTypeSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    label = serializers.CharField()
    position = serializers.IntegerField()
    kind = serializers.CharField()

    def to_representation(self, option_type: OptionType) -> dict[str, Any]:
        return option_type_representation(option_type)


def option_type_representation(option_type: OptionType) -> dict[str, Any]:
    """The fields of OptionTypeSerializer, written out."""
    return {
        "id": encode_id("opt", option_type.pk),
        "name": option_type.name,
        "label": option_type.label,
        "position": option_type.position,
        "kind": option_type.kind,
    }


class OptionValueSerializer(serializers.Serializer):
    """An option value; reads `option_type` (prefetch `option_values__option_type`)."""

    id = serializers.CharField(source="public_id")
    option_type_id = serializers.CharField(source="option_type.public_id")
    name = serializers.CharField()
    label = serializers.CharField()
    position = serializers.IntegerField()
    color_code = serializers.SerializerMethodField()
    option_type_name = serializers.CharField(source="option_type.name")
    option_type_label = serializers.CharField(source="option_type.label")
    image_url = NullField()

    def get_color_code(self, value: OptionValue) -> str | None:
        return _blank_to_none(value.color_code)

    def to_representation(self, value: OptionValue) -> dict[str, Any]:
        return option_value_representation(value)


def option_value_representation(value: OptionValue) -> dict[str, Any]:
    """The fields of OptionValueSerializer, written out."""
    option_type = value.option_type
    return {
        "id": encode_id("optval", value.pk),
        "option_type_id": encode_id("opt", option_type.pk),
        "name": value.name,
        "label": value.label,
        "position": value.position,
        "color_code": value.color_code or None,
        "option_type_name": option_type.name,
        "option_type_label": option_type.label,
        "image_url": None,
    }


class VariantSerializer(serializers.Serializer):
    """A Variant in the context's currency. Self-contained: carts (LineItem.variant) and
    wishlists (WishlistItem.variant) reuse it on querysets from `variants_for_display()`."""

    id = serializers.CharField(source="public_id")
    product_id = serializers.CharField(source="product.public_id")
    sku = serializers.SerializerMethodField()
    options_text = serializers.SerializerMethodField()
    track_inventory = serializers.BooleanField()
    media_count = ZeroField()
    preorder_ships_at = NullField()
    thumbnail_url = NullField()
    purchasable = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()
    backorderable = serializers.SerializerMethodField()
    preorder = FalseField()
    weight = serializers.FloatField(allow_null=True)
    height = serializers.FloatField(allow_null=True)
    width = serializers.FloatField(allow_null=True)
    depth = serializers.FloatField(allow_null=True)
    price = serializers.SerializerMethodField()
    original_price = serializers.SerializerMethodField()
    option_values = serializers.SerializerMethodField()

    def _option_values(self, variant: Variant) -> list[OptionValue]:
        return sorted(variant.option_values.all(), key=option_value_sort_key)

    def get_sku(self, variant: Variant) -> str | None:
        return _blank_to_none(variant.sku)

    def get_options_text(self, variant: Variant) -> str:
        return options_text(self._option_values(variant))

    def get_purchasable(self, variant: Variant) -> bool:
        return availability(variant).purchasable

    def get_in_stock(self, variant: Variant) -> bool:
        return availability(variant).in_stock

    def get_backorderable(self, variant: Variant) -> bool:
        return availability(variant).backorderable

    @extend_schema_field(PriceSerializer)
    def get_price(self, variant: Variant) -> dict[str, Any]:
        currency = context_currency(self.context)
        return price_data(variant_price(variant, currency), currency)

    @extend_schema_field(PriceSerializer(allow_null=True))
    def get_original_price(self, variant: Variant) -> dict[str, Any] | None:
        # Spree fills this only when a price list changed the price; we have no price lists.
        # A compare-at ("was") price is `price.compare_at_amount`, as in Spree.
        return None

    @extend_schema_field(OptionValueSerializer(many=True))
    def get_option_values(self, variant: Variant) -> list[dict[str, Any]]:
        return OptionValueSerializer(self._option_values(variant), many=True).data

    def to_representation(self, variant: Variant) -> dict[str, Any]:
        currency = context_currency(self.context)
        return variant_representation(variant_view(variant, currency), currency)


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def variant_representation(variant: VariantView, currency: str) -> dict[str, Any]:
    """The fields of VariantSerializer in `currency`, written out (option values read)."""
    stock = variant.availability
    option_values = variant.option_values or []
    return {
        "id": encode_id("variant", variant.pk),
        "product_id": encode_id("prod", variant.product_id),
        "sku": variant.sku or None,
        "options_text": options_text(option_values),
        "track_inventory": variant.track_inventory,
        "media_count": 0,
        "preorder_ships_at": None,
        "thumbnail_url": None,
        "purchasable": stock.purchasable,
        "in_stock": stock.in_stock,
        "backorderable": stock.backorderable,
        "preorder": False,
        "weight": _float(variant.weight),
        "height": _float(variant.height),
        "width": _float(variant.width),
        "depth": _float(variant.depth),
        "price": price_data(variant.price, currency),
        # Spree fills this only when a price list changed the price; we have no price lists.
        "original_price": None,
        "option_values": [option_value_representation(value) for value in option_values],
    }


class ProductSerializer(serializers.Serializer):
    """A Product in the context's currency. `context["expand"]` may name `variants`,
    `default_variant`, `option_types` and `option_values`; only those keys are added."""

    EXPANDABLE = ("variants", "default_variant", "option_types", "option_values")

    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    slug = serializers.CharField()
    meta_title = serializers.SerializerMethodField()
    meta_description = serializers.SerializerMethodField()
    meta_keywords = serializers.SerializerMethodField()
    variant_count = serializers.SerializerMethodField()
    available_on = serializers.DateTimeField(allow_null=True)
    preorder_ships_at = NullField()
    purchasable = serializers.SerializerMethodField()
    preorder = FalseField()
    in_stock = serializers.SerializerMethodField()
    backorderable = serializers.SerializerMethodField()
    available = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    description_html = serializers.SerializerMethodField()
    default_variant_id = serializers.SerializerMethodField()
    thumbnail_url = NullField()
    tags = serializers.SerializerMethodField()
    price = serializers.SerializerMethodField()
    original_price = serializers.SerializerMethodField()

    def to_representation(self, product: Product) -> dict[str, Any]:
        currency = self._currency()
        expand = self._expand()
        shown = product_variants(product, currency)
        default = shown.default_variant
        data = {
            "id": encode_id("prod", product.pk),
            "name": product.name,
            "slug": product.slug,
            "meta_title": product.meta_title or None,
            "meta_description": product.meta_description or None,
            "meta_keywords": product.meta_keywords or None,
            "variant_count": shown.variant_count,
            "available_on": _DATETIME.to_representation(product.available_on),
            "preorder_ships_at": None,
            "purchasable": shown.purchasable,
            "preorder": False,
            "in_stock": shown.in_stock,
            "backorderable": shown.backorderable,
            "available": product_is_available(product),
            "description": html_to_text(product.description) or None,
            "description_html": product.description or None,
            "default_variant_id": encode_id("variant", default.pk) if default else "",
            "thumbnail_url": None,
            "tags": [str(tag) for tag in product.tags or []],
            "price": price_data(default.price if default else None, currency),
            "original_price": None,  # as VariantSerializer's
        }
        if "variants" in expand:
            data["variants"] = [variant_representation(v, currency) for v in shown.option_variants]
        if "default_variant" in expand and default is not None:
            data["default_variant"] = variant_representation(default, currency)
        if "option_types" in expand:
            data["option_types"] = [
                option_type_representation(t) for t in product_option_types(product)
            ]
        if "option_values" in expand:
            data["option_values"] = [
                option_value_representation(value) for value in shown.option_values
            ]
        return data

    def _currency(self) -> str:
        return context_currency(self.context)

    def _expand(self) -> set[str]:
        return {name.split(".")[0] for name in self.context.get("expand") or ()}

    # The getters give the OpenAPI document its types; to_representation does the work.

    def _shown(self, product: Product) -> ProductVariants:
        return product_variants(product, self._currency())

    def get_meta_title(self, product: Product) -> str | None:
        return _blank_to_none(product.meta_title)

    def get_meta_description(self, product: Product) -> str | None:
        return _blank_to_none(product.meta_description)

    def get_meta_keywords(self, product: Product) -> str | None:
        return _blank_to_none(product.meta_keywords)

    def get_variant_count(self, product: Product) -> int:
        return self._shown(product).variant_count

    def get_purchasable(self, product: Product) -> bool:
        return self._shown(product).purchasable

    def get_in_stock(self, product: Product) -> bool:
        return self._shown(product).in_stock

    def get_backorderable(self, product: Product) -> bool:
        return self._shown(product).backorderable

    def get_available(self, product: Product) -> bool:
        return product_is_available(product)

    def get_description(self, product: Product) -> str | None:
        return _blank_to_none(product.description_text)

    def get_description_html(self, product: Product) -> str | None:
        return _blank_to_none(product.description)

    def get_default_variant_id(self, product: Product) -> str:
        default = self._shown(product).default_variant
        return encode_id("variant", default.pk) if default else ""

    def get_tags(self, product: Product) -> list[str]:
        return [str(tag) for tag in product.tags or []]

    @extend_schema_field(PriceSerializer)
    def get_price(self, product: Product) -> dict[str, Any]:
        default = self._shown(product).default_variant
        return price_data(default.price if default else None, self._currency())

    @extend_schema_field(PriceSerializer(allow_null=True))
    def get_original_price(self, product: Product) -> dict[str, Any] | None:
        return None  # as VariantSerializer.get_original_price


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
                            "color_code": _blank_to_none(value.color_code),
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
