"""Price, OptionType, OptionValue and Variant, as `@spree/sdk/zod` defines them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import OptionType, OptionValue, Price, Variant
from catalog.selectors import (
    PriceFigures,
    VariantView,
    availability,
    option_value_sort_key,
    variant_price,
    variant_view,
)
from catalog.serializers.fields import (
    FalseField,
    NullField,
    ZeroField,
    blank_to_none,
    context_currency,
)
from storeapi.ids import encode_id
from storeapi.money import amount_in_cents, amount_string, display_money


def options_text(option_values: list[OptionValue]) -> str:
    """`Size: M, Color: Red, and Fit: Slim` as Spree's `Variant#options_text`."""
    parts = [f"{v.option_type.label}: {v.label}" for v in option_values]
    if len(parts) <= 2:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


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
        return blank_to_none(value.color_code)

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
        return blank_to_none(variant.sku)

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
