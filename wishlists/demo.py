"""Demo wishlist: the demo customer's default wishlist with one variant on it."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import User
from wishlists.models import Wishlist
from wishlists.services import wishlist_create, wishlist_item_add

DEMO_WISHLIST_NAME = "My Wishlist"


def seed_wishlist(
    *, user: User, variant_id: str, write: Callable[[str], object] = print
) -> dict[str, str]:
    """Idempotent: a customer who already has a wishlist keeps it as it is. Otherwise creates
    the default wishlist with `variant_id` on it. Returns `wishlist_id` of the default."""
    wishlist = Wishlist.objects.filter(user=user, is_default=True).first()
    if wishlist is None:
        wishlist = Wishlist.objects.filter(user=user).order_by("created_at", "pk").first()
    if wishlist is None:
        wishlist = wishlist_create(user=user, name=DEMO_WISHLIST_NAME, is_default=True)
        wishlist_item_add(user=user, wishlist=wishlist, variant_id=variant_id, quantity=1)
        write(f"Created demo wishlist {wishlist.public_id}")
    return {"wishlist_id": wishlist.public_id}
