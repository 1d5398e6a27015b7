"""Shapes of wishlists as `@spree/sdk/zod` defines them (WishlistSchema, WishlistItemSchema),
and the request bodies.

`context["expand"]` decides the optional keys: a Wishlist has `items` only with
`expand=items` (or a path under it, `items.product`); a WishlistItem always has its `variant`
and has `product` only when `product` is expanded. Give them rows from
`wishlists.selectors` (which prefetch what is expanded) and a page costs a fixed number of
queries.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.serializers import ProductSerializer, VariantSerializer
from storeapi.ids import encode_id
from storeapi.serializers import InputSerializer, StrictBooleanField, StrictCharField
from wishlists.models import Wishlist, WishlistItem
from wishlists.selectors import expand_under


class WishlistItemSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    variant_id = serializers.SerializerMethodField()
    product_id = serializers.SerializerMethodField()
    wishlist_id = serializers.SerializerMethodField()
    quantity = serializers.IntegerField()
    variant = serializers.SerializerMethodField()

    def to_representation(self, item: WishlistItem) -> dict[str, Any]:
        data = super().to_representation(item)
        product_expand = expand_under(self.context.get("expand") or (), "product")
        if product_expand is not None:
            context = {**self.context, "expand": product_expand}
            data["product"] = ProductSerializer(item.variant.product, context=context).data
        return data

    def get_variant_id(self, item: WishlistItem) -> str:
        return encode_id("variant", item.variant_id)

    def get_product_id(self, item: WishlistItem) -> str:
        return encode_id("prod", item.variant.product_id)

    def get_wishlist_id(self, item: WishlistItem) -> str:
        return encode_id("wl", item.wishlist_id)

    @extend_schema_field(VariantSerializer)
    def get_variant(self, item: WishlistItem) -> dict[str, Any]:
        return VariantSerializer(item.variant, context={**self.context, "expand": set()}).data


class WishlistSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    token = serializers.CharField()
    is_default = serializers.BooleanField()
    is_private = serializers.BooleanField()

    def to_representation(self, wishlist: Wishlist) -> dict[str, Any]:
        data = super().to_representation(wishlist)
        item_expand = expand_under(self.context.get("expand") or (), "items")
        if item_expand is not None:
            context = {**self.context, "expand": item_expand}
            data["items"] = WishlistItemSerializer(
                wishlist.items.all(), many=True, context=context
            ).data
        return data


class WishlistInputSerializer(InputSerializer):
    """POST and PATCH /wishlists bodies (PATCH: every field optional)."""

    name = StrictCharField(max_length=255)
    is_private = StrictBooleanField(required=False)
    is_default = StrictBooleanField(required=False)


class WishlistItemCreateInputSerializer(serializers.Serializer):
    """POST /wishlists/:id/items body, for the API docs; the service validates it (422 with
    `details.variant`, `details.quantity` or `details.variant_id`)."""

    variant_id = serializers.CharField(help_text="variant_… id")
    quantity = serializers.IntegerField(required=False, min_value=1, help_text="Default 1")


class WishlistItemUpdateInputSerializer(serializers.Serializer):
    """PATCH /wishlists/:id/items/:item_id body, for the API docs (the service validates)."""

    quantity = serializers.IntegerField(min_value=1)
