"""Routes, expected answers and table snapshots shared by the wishlist tests."""

from __future__ import annotations

from typing import Any

from catalog.models import Variant
from wishlists.models import Wishlist, WishlistItem

WISHLISTS = "/wishlists"


def table() -> dict[str, list[dict[str, Any]]]:
    """Every wishlist and item row, to prove a denied call changed nothing at all."""
    return {
        "wishlists": list(Wishlist.objects.order_by("pk").values()),
        "items": list(WishlistItem.objects.order_by("pk").values()),
    }


def defaults_of(user) -> list[str]:
    """Names of the customer's default wishlists (at most one, by the constraint)."""
    return list(Wishlist.objects.filter(user=user, is_default=True).values_list("name", flat=True))


AUTHENTICATION_REQUIRED = {
    "error": {"code": "authentication_required", "message": "Authentication required"}
}
WISHLIST_NOT_FOUND = {"error": {"code": "record_not_found", "message": "Wishlist not found"}}
ITEM_NOT_FOUND = {"error": {"code": "record_not_found", "message": "Wished item not found"}}


def validation_error(message: str, details: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"code": "validation_error", "message": message, "details": details}}


def wishlist_shape(wishlist: Wishlist, **overrides) -> dict[str, Any]:
    """The Wishlist representation of a row (without items)."""
    wishlist.refresh_from_db()
    return {
        "id": wishlist.public_id,
        "name": wishlist.name,
        "token": wishlist.token,
        "is_default": wishlist.is_default,
        "is_private": wishlist.is_private,
        **overrides,
    }


def create_wishlist(client, name: str = "Birthday Ideas", **fields) -> Wishlist:
    """A wishlist created through the API (so the default rules apply)."""
    response = client.post(WISHLISTS, {"name": name, **fields})
    assert response.status_code == 201, response.json()
    return Wishlist.objects.get(token=response.json()["token"])


def add_item(client, wishlist: Wishlist, variant: Variant, quantity: int = 1) -> WishlistItem:
    response = client.post(
        f"{WISHLISTS}/{wishlist.public_id}/items",
        {"variant_id": variant.public_id, "quantity": quantity},
    )
    assert response.status_code == 201, response.json()
    return WishlistItem.objects.get(wishlist=wishlist, variant=variant)
