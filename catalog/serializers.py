"""Shapes of the catalog as `@spree/sdk/zod` defines them: Price, OptionType, OptionValue,
Variant, Product and ProductFilters.

The currency comes from the context: `context["currency"]` (a cart's), else the request's
(`storeapi.http.request_currency`), else the store's. Only prefetched data is read: variants from
`variants_for_display()`, products from `products_for_display()`. We have no media, so the
optional `media` and `primary_media` keys are left out even when expanded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import OptionType, OptionValue, Price, Product, Variant
from catalog.selectors import (
    DEFAULT_PRODUCT_SORT,
    PRODUCT_SORT_OPTIONS,
    ProductDisplay,
    ProductFacets,
    availability,
    option_value_sort_key,
    product_display,
    product_is_available,
    variant_price,
)
from storeapi.http import request_currency
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


def price_data(price: Price | None, currency: str) -> dict[str, Any]:
    return PriceSerializer(price).data if price is not None else missing_price(currency)


class OptionTypeSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    label = serializers.CharField()
    position = serializers.IntegerField()
    kind = serializers.CharField()


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
        # Computed once per product; every method field below reads it.
        self._display: ProductDisplay = product_display(product, self._currency())
        data = super().to_representation(product)
        expand = self._expand()
        variant_context = {**self.context, "currency": self._currency()}
        if "variants" in expand:
            data["variants"] = VariantSerializer(
                self._display.option_variants, many=True, context=variant_context
            ).data
        if "default_variant" in expand and self._display.default_variant is not None:
            data["default_variant"] = VariantSerializer(
                self._display.default_variant, context=variant_context
            ).data
        if "option_types" in expand:
            data["option_types"] = OptionTypeSerializer(product.option_types.all(), many=True).data
        if "option_values" in expand:
            data["option_values"] = OptionValueSerializer(
                self._display.option_values, many=True
            ).data
        return data

    def _currency(self) -> str:
        return context_currency(self.context)

    def _expand(self) -> set[str]:
        return {name.split(".")[0] for name in self.context.get("expand") or ()}

    def _availabilities(self):
        return [availability(v) for v in self._display.variants]

    def get_meta_title(self, product: Product) -> str | None:
        return _blank_to_none(product.meta_title)

    def get_meta_description(self, product: Product) -> str | None:
        return _blank_to_none(product.meta_description)

    def get_meta_keywords(self, product: Product) -> str | None:
        return _blank_to_none(product.meta_keywords)

    def get_variant_count(self, product: Product) -> int:
        return len(self._display.option_variants)

    def get_purchasable(self, product: Product) -> bool:
        return any(a.purchasable for a in self._availabilities())

    def get_in_stock(self, product: Product) -> bool:
        return any(a.in_stock for a in self._availabilities())

    def get_backorderable(self, product: Product) -> bool:
        return any(a.backorderable for a in self._availabilities())

    def get_available(self, product: Product) -> bool:
        return product_is_available(product)

    def get_description(self, product: Product) -> str | None:
        return _blank_to_none(product.description_text)

    def get_description_html(self, product: Product) -> str | None:
        return _blank_to_none(product.description)

    def get_default_variant_id(self, product: Product) -> str:
        default = self._display.default_variant
        return default.public_id if default is not None else ""

    def get_tags(self, product: Product) -> list[str]:
        return [str(tag) for tag in product.tags or []]

    @extend_schema_field(PriceSerializer)
    def get_price(self, product: Product) -> dict[str, Any]:
        currency = self._currency()
        default = self._display.default_variant
        price = variant_price(default, currency) if default is not None else None
        return price_data(price, currency)

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
