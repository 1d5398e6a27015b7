"""Product, as `@spree/sdk/zod` defines it, with its expansions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Product, html_to_text
from catalog.selectors import (
    VARIANT_EXPANSIONS,
    ProductVariants,
    product_is_available,
    product_option_types,
    product_variants,
)
from catalog.serializers.fields import (
    DATETIME_FIELD,
    FalseField,
    NullField,
    blank_to_none,
    context_currency,
)
from catalog.serializers.variants import (
    PriceSerializer,
    option_type_representation,
    option_value_representation,
    price_data,
    variant_representation,
)
from storeapi.ids import encode_id


class ProductSerializer(serializers.Serializer):
    """A Product in the context's currency. `context["expand"]` may name `variants`,
    `default_variant`, `option_types` and `option_values`; only those keys are added."""

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
        shown = product_variants(
            product, currency, with_option_values=bool(expand & VARIANT_EXPANSIONS)
        )
        default = shown.default_variant
        data = {
            "id": encode_id("prod", product.pk),
            "name": product.name,
            "slug": product.slug,
            "meta_title": product.meta_title or None,
            "meta_description": product.meta_description or None,
            "meta_keywords": product.meta_keywords or None,
            "variant_count": shown.variant_count,
            "available_on": DATETIME_FIELD.to_representation(product.available_on),
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
        return blank_to_none(product.meta_title)

    def get_meta_description(self, product: Product) -> str | None:
        return blank_to_none(product.meta_description)

    def get_meta_keywords(self, product: Product) -> str | None:
        return blank_to_none(product.meta_keywords)

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
        return blank_to_none(product.description_text)

    def get_description_html(self, product: Product) -> str | None:
        return blank_to_none(product.description)

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
