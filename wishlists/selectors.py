"""Reads of wishlists: owner-scoped lookups, shared lookups by token, the prefetches that keep
a page of wishlists with their items a fixed number of queries, and the data export."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from catalog.models import Product, Variant
from catalog.selectors import products_for_display, variants_for_display
from storeapi.ids import decode_id, get_by_public_id
from storeapi.tokens import BASE58_ALPHABET
from wishlists.errors import WishlistItemNotFound, WishlistNotFound
from wishlists.models import SHARE_TOKEN_LENGTH, Wishlist, WishlistItem

_SHARE_TOKEN = re.compile(rf"\A[{BASE58_ALPHABET}]{{{SHARE_TOKEN_LENGTH}}}\Z")


def expand_under(expand: Iterable[str], name: str) -> set[str] | None:
    """The expansions nested under `name` (`items.product` under `items` is `{"product"}`), or
    None when `name` is not expanded at all. A nested path expands its parents too."""
    nested: set[str] | None = None
    prefix = f"{name}."
    for path in expand:
        if path == name:
            nested = nested or set()
        elif path.startswith(prefix):
            nested = (nested or set()) | {path[len(prefix) :]}
    return nested


def _variants(item_expand: set[str]) -> QuerySet[Variant]:
    if "product" not in item_expand:
        return variants_for_display()
    products = products_for_display(Product.objects.all())
    return (
        variants_for_display()
        .select_related(None)
        .prefetch_related(Prefetch("product", queryset=products))
    )


def items_for_display(item_expand: Iterable[str] = ()) -> QuerySet[WishlistItem]:
    """Wishlist items in list order with everything WishlistItemSerializer reads prefetched
    (the product too when `product` is expanded): a fixed number of queries for any count."""
    return WishlistItem.objects.order_by("created_at", "pk").prefetch_related(
        Prefetch("variant", queryset=_variants(set(item_expand)))
    )


def _with_expansions(queryset: QuerySet[Wishlist], expand: Iterable[str]) -> QuerySet[Wishlist]:
    item_expand = expand_under(expand, "items")
    if item_expand is None:
        return queryset
    return queryset.prefetch_related(Prefetch("items", queryset=items_for_display(item_expand)))


def wishlists_for_customer(*, user: User, expand: Iterable[str] = ()) -> QuerySet[Wishlist]:
    """The customer's wishlists in creation order; items (and their products) prefetched when
    expanded, so a page costs the same number of queries whatever its size."""
    queryset = Wishlist.objects.filter(user=user).order_by("created_at", "pk")
    return _with_expansions(queryset, expand)


def wishlist_get_for_customer(
    *, user: User, public_id: object, expand: Iterable[str] = ()
) -> Wishlist:
    """One wishlist of the customer. Another customer's (even a public one), an unknown id or
    one with another prefix raise WishlistNotFound (404 "Wishlist not found")."""
    return get_by_public_id(
        wishlists_for_customer(user=user, expand=expand),
        public_id,
        "wl",
        not_found=WishlistNotFound(),
    )


def wishlist_item_get_for_customer(
    *, user: User, wishlist_id: object, item_id: object, expand: Iterable[str] = ()
) -> WishlistItem:
    """One item of one of the customer's wishlists. The wishlist is looked up first (404
    "Wishlist not found"), then the item inside it (404 "Wished item not found")."""
    wishlist = wishlist_get_for_customer(user=user, public_id=wishlist_id)
    return get_by_public_id(
        items_for_display(expand).filter(wishlist=wishlist),
        item_id,
        "wi",
        not_found=WishlistItemNotFound(),
    )


def wishlist_item_for_display(*, item: WishlistItem, expand: Iterable[str] = ()) -> WishlistItem:
    """`item` reloaded with its variant (and product, when expanded) prefetched."""
    return items_for_display(expand).get(pk=item.pk)


def wishlist_get_shared(*, token: object, expand: Iterable[str] = ()) -> Wishlist:
    """A wishlist that is not private, by its share token, with its items (always expanded).
    A private one, an unknown or malformed token raise WishlistNotFound (404)."""
    if not isinstance(token, str) or not _SHARE_TOKEN.match(token):
        raise WishlistNotFound()
    queryset = Wishlist.objects.filter(token=token, is_private=False)
    wishlist = _with_expansions(queryset, {"items", *expand}).first()
    if wishlist is None:
        raise WishlistNotFound()
    return wishlist


def variant_get_wishable(*, variant_id: object) -> Variant | None:
    """The variant a customer may put on a wishlist: one of a published product (draft,
    archived, scheduled and discontinued products are not offered). Accepts `variant_…` ids
    and plain integers, as Spree does; anything else is None."""
    pk = decode_id(variant_id, "variant")
    if pk is None and isinstance(variant_id, int) and not isinstance(variant_id, bool):
        pk = variant_id
    if pk is None:
        return None
    return Variant.objects.filter(pk=pk, product__in=Product.objects.available()).first()


def wishlists_export(*, user: User) -> list[dict[str, Any]]:
    """The customer's wishlists and their items, JSON-ready, for the personal data export."""
    wishlists = (
        Wishlist.objects.filter(user=user)
        .order_by("pk")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=WishlistItem.objects.select_related("variant__product").order_by("pk"),
            )
        )
    )
    return [
        {
            "id": wishlist.public_id,
            "name": wishlist.name,
            "token": wishlist.token,
            "is_default": wishlist.is_default,
            "is_private": wishlist.is_private,
            "created_at": wishlist.created_at.isoformat(),
            "updated_at": wishlist.updated_at.isoformat(),
            "items": [
                {
                    "id": item.public_id,
                    "variant_id": item.variant.public_id,
                    "product_id": item.variant.product.public_id,
                    "product_name": item.variant.product.name,
                    "sku": item.variant.sku,
                    "quantity": item.quantity,
                    "created_at": item.created_at.isoformat(),
                }
                for item in wishlist.items.all()
            ],
        }
        for wishlist in wishlists
    ]
