"""Store API endpoints of wishlists (STORE_API.md §1.7; all publishable key + JWT) and the
shared wishlist (OUR_CONTRACT.md; publishable key only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from storeapi.errors import InvalidRequest
from storeapi.views import CustomerAPIView, StoreAPIView
from wishlists import selectors, services
from wishlists.serializers import (
    WishlistInputSerializer,
    WishlistItemCreateInputSerializer,
    WishlistItemSerializer,
    WishlistItemUpdateInputSerializer,
    WishlistSerializer,
)

TAGS = ["Wishlists"]
_EXPAND = OpenApiParameter(
    "expand", OpenApiTypes.STR, description="items, items.product (comma-separated)"
)
_ITEM_EXPAND = OpenApiParameter("expand", OpenApiTypes.STR, description="product")


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return request.data


def _wishlist_input(request, *, partial: bool) -> dict:
    serializer = WishlistInputSerializer(data=_body(request), partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class WishlistAPIView(CustomerAPIView):
    """A customer-only wishlist route. `expand=items.product` also names its parent `items`, so
    `fields=` keeps the expanded key."""

    @property
    def expand(self) -> set[str]:
        paths = super().expand
        return paths | {path.split(".")[0] for path in paths}


class WishlistListView(WishlistAPIView):
    sort_fields = {"name": "name", "created_at": "created_at", "updated_at": "updated_at"}
    filter_fields = {
        "name": "name",
        "is_default": "is_default",
        "is_private": "is_private",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }

    @extend_schema(parameters=[_EXPAND], responses=WishlistSerializer(many=True), tags=TAGS)
    def get(self, request):
        wishlists = selectors.wishlists_for_customer(user=request.user, expand=self.expand)
        return self.list_response(wishlists, WishlistSerializer)

    @extend_schema(request=WishlistInputSerializer, responses={201: WishlistSerializer}, tags=TAGS)
    def post(self, request):
        data = _wishlist_input(request, partial=False)
        wishlist = services.wishlist_create(user=request.user, **data)
        wishlist = selectors.wishlist_get_for_customer(
            user=request.user, public_id=wishlist.public_id, expand=self.expand
        )
        return Response(
            self.represent(WishlistSerializer, wishlist), status=status.HTTP_201_CREATED
        )


class WishlistDetailView(WishlistAPIView):
    @extend_schema(parameters=[_EXPAND], responses=WishlistSerializer, tags=TAGS)
    def get(self, request, wishlist_id: str):
        wishlist = selectors.wishlist_get_for_customer(
            user=request.user, public_id=wishlist_id, expand=self.expand
        )
        return Response(self.represent(WishlistSerializer, wishlist))

    @extend_schema(request=WishlistInputSerializer, responses=WishlistSerializer, tags=TAGS)
    def patch(self, request, wishlist_id: str):
        wishlist = selectors.wishlist_get_for_customer(user=request.user, public_id=wishlist_id)
        changes = _wishlist_input(request, partial=True)
        services.wishlist_update(user=request.user, wishlist=wishlist, changes=changes)
        wishlist = selectors.wishlist_get_for_customer(
            user=request.user, public_id=wishlist_id, expand=self.expand
        )
        return Response(self.represent(WishlistSerializer, wishlist))

    @extend_schema(responses={204: None}, tags=TAGS)
    def delete(self, request, wishlist_id: str):
        wishlist = selectors.wishlist_get_for_customer(user=request.user, public_id=wishlist_id)
        services.wishlist_delete(user=request.user, wishlist=wishlist)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WishlistItemListView(WishlistAPIView):
    @extend_schema(
        parameters=[_ITEM_EXPAND],
        request=WishlistItemCreateInputSerializer,
        responses={201: WishlistItemSerializer},
        tags=TAGS,
    )
    def post(self, request, wishlist_id: str):
        wishlist = selectors.wishlist_get_for_customer(user=request.user, public_id=wishlist_id)
        body = _body(request)
        item = services.wishlist_item_add(
            user=request.user,
            wishlist=wishlist,
            variant_id=body.get("variant_id"),
            quantity=body.get("quantity"),
        )
        item = selectors.wishlist_item_for_display(item=item, expand=self.expand)
        return Response(
            self.represent(WishlistItemSerializer, item), status=status.HTTP_201_CREATED
        )


class WishlistItemDetailView(WishlistAPIView):
    @extend_schema(
        parameters=[_ITEM_EXPAND],
        request=WishlistItemUpdateInputSerializer,
        responses=WishlistItemSerializer,
        tags=TAGS,
    )
    def patch(self, request, wishlist_id: str, item_id: str):
        item = selectors.wishlist_item_get_for_customer(
            user=request.user, wishlist_id=wishlist_id, item_id=item_id, expand=self.expand
        )
        body = _body(request)
        item = services.wishlist_item_update(
            user=request.user, item=item, quantity=body.get("quantity")
        )
        return Response(self.represent(WishlistItemSerializer, item))

    @extend_schema(responses={204: None}, tags=TAGS)
    def delete(self, request, wishlist_id: str, item_id: str):
        item = selectors.wishlist_item_get_for_customer(
            user=request.user, wishlist_id=wishlist_id, item_id=item_id
        )
        services.wishlist_item_remove(user=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedWishlistView(StoreAPIView):
    """Ours: a wishlist that is not private, by its share token, with its items."""

    @extend_schema(
        parameters=[OpenApiParameter("expand", OpenApiTypes.STR, description="items.product")],
        responses=WishlistSerializer,
        tags=TAGS,
    )
    def get(self, request, token: str):
        wishlist = selectors.wishlist_get_shared(token=token, expand=self.expand)
        return Response(self.represent(WishlistSerializer, wishlist))

    @property
    def expand(self) -> set[str]:
        # Items are always part of a shared wishlist, whatever else is expanded.
        paths = super().expand
        return {"items", *paths, *(path.split(".")[0] for path in paths)}
