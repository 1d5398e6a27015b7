"""Writes of wishlists: lists with their default, items with their quantity.

Rules:
- One default wishlist per customer. The first one created is the default whatever the body
  says; `is_default: true` on create or update moves the default there; `is_default: false` on
  the default is ignored (the default only moves by choosing another one, so a customer with
  wishlists always has one); deleting the default promotes the most recently updated remaining
  wishlist. A partial unique constraint holds "at most one" even if something slipped past.
- A variant appears at most once per wishlist. Adding it again is refused with 422
  validation_error, `details.variant_id: ["has already been taken"]`, and nothing changes: the
  same answer as Spree's uniqueness validation, so a storefront written for Spree sees what it
  expects (raising the quantity is what PATCH of the item is for).
- Quantities are positive integers (`2` or `"2"`; not 0, negative, 1.5 or true).

Lock order (CONVENTIONS.md): the customer row, then that customer's wishlist rows. Locking the
customer serializes every default move of one customer; item writes lock only their wishlist,
which keeps the same order.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from storeapi.errors import ValidationFailed
from wishlists.errors import WishlistItemNotFound, WishlistNotFound
from wishlists.models import Wishlist, WishlistItem
from wishlists.selectors import variant_get_wishable

NAME_MAX_LENGTH = Wishlist._meta.get_field("name").max_length
#: The largest value the quantity column holds on every database we run on.
MAX_QUANTITY = 2_147_483_647
_INTEGER = re.compile(r"\A[+-]?\d+\Z")
_NUMBER = re.compile(r"\A[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")

DUPLICATE_VARIANT = {"variant_id": ["has already been taken"]}
#: The name of the wishlist the storefront's "Add to wishlist" creates for a first wish.
DEFAULT_WISHLIST_NAME = "My wishlist"


def _lock_customer(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()


def _lock_wishlist(user: User, wishlist_id: int) -> Wishlist:
    """The wishlist row, locked; gone meanwhile (deleted, or never the customer's) is a 404."""
    locked = Wishlist.objects.select_for_update().filter(pk=wishlist_id, user=user).first()
    if locked is None:
        raise WishlistNotFound()
    return locked


def _touch(wishlist: Wishlist) -> None:
    """An item change counts as an update of its wishlist (it decides which one is promoted
    when the default is deleted)."""
    Wishlist.objects.filter(pk=wishlist.pk).update(updated_at=timezone.now())


def _name_errors(name: Any) -> list[str]:
    if not isinstance(name, str):
        return ["can't be blank"] if name is None else ["must be a string"]
    if not name.strip():
        return ["can't be blank"]
    if len(name.strip()) > NAME_MAX_LENGTH:
        return [f"is too long (maximum is {NAME_MAX_LENGTH} characters)"]
    return []


def _clean_name(name: Any) -> str:
    errors = _name_errors(name)
    if errors:
        raise ValidationFailed.from_details({"name": errors})
    return name.strip()


def quantity_errors(value: Any) -> list[str]:
    """Rails' `numericality: { only_integer: true, greater_than: 0 }` messages for `value`."""
    if isinstance(value, bool) or value is None:
        return ["is not a number"]
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.match(text):
            value = int(text)
        elif _NUMBER.match(text):
            return ["must be an integer"]
        else:
            return ["is not a number"]
    if isinstance(value, float):
        return ["must be an integer"]
    if not isinstance(value, int):
        return ["is not a number"]
    if value <= 0:
        return ["must be greater than 0"]
    if value > MAX_QUANTITY:
        return [f"must be less than or equal to {MAX_QUANTITY}"]
    return []


def _clean_quantity(value: Any) -> int:
    errors = quantity_errors(value)
    if errors:
        raise ValidationFailed.from_details({"quantity": errors})
    return int(value.strip()) if isinstance(value, str) else int(value)


def wishlist_create(
    *, user: User, name: Any, is_private: bool = True, is_default: bool = False
) -> Wishlist:
    """Create a wishlist. The customer's first one is the default; `is_default` moves the
    default here. Raises ValidationFailed (422, `details.name`) for a blank name."""
    name = _clean_name(name)
    with transaction.atomic():
        _lock_customer(user)
        current = list(Wishlist.objects.select_for_update().filter(user=user, is_default=True))
        make_default = is_default or not current
        if make_default and current:
            Wishlist.objects.filter(pk__in=[w.pk for w in current]).update(is_default=False)
        return Wishlist.objects.create(
            user=user, name=name, is_private=is_private, is_default=make_default
        )


def wishlist_update(*, user: User, wishlist: Wishlist, changes: dict[str, Any]) -> Wishlist:
    """Change `name`, `is_private` and `is_default` (keys absent from `changes` stay as they
    are). `is_default: true` moves the default here; `false` on the default is ignored.
    Raises ValidationFailed (422, `details.name`), WishlistNotFound if it is gone."""
    name = _clean_name(changes["name"]) if "name" in changes else None
    with transaction.atomic():
        _lock_customer(user)
        wishlist = _lock_wishlist(user, wishlist.pk)
        if name is not None:
            wishlist.name = name
        if "is_private" in changes:
            wishlist.is_private = bool(changes["is_private"])
        if changes.get("is_default") is True and not wishlist.is_default:
            Wishlist.objects.filter(user=user, is_default=True).update(is_default=False)
            wishlist.is_default = True
        wishlist.save()
        return wishlist


def wishlist_delete(*, user: User, wishlist: Wishlist) -> None:
    """Delete a wishlist and its items. Deleting the default promotes the most recently
    updated remaining wishlist. Raises WishlistNotFound if it is already gone."""
    with transaction.atomic():
        _lock_customer(user)
        wishlist = _lock_wishlist(user, wishlist.pk)
        was_default = wishlist.is_default
        wishlist.delete()
        if was_default:
            successor = (
                Wishlist.objects.select_for_update()
                .filter(user=user)
                .order_by("-updated_at", "-pk")
                .first()
            )
            if successor is not None:
                Wishlist.objects.filter(pk=successor.pk).update(is_default=True)


def wishlists_delete_for_customer(*, user: User) -> int:
    """Delete every wishlist of the customer with its items (account closing); returns how
    many wishlists there were."""
    with transaction.atomic():
        _lock_customer(user)
        count = Wishlist.objects.filter(user=user).count()
        WishlistItem.objects.filter(wishlist__user=user).delete()
        Wishlist.objects.filter(user=user).delete()
        return count


def wishlist_item_add(
    *, user: User, wishlist: Wishlist, variant_id: Any, quantity: Any = None
) -> WishlistItem:
    """Put a variant on the wishlist (quantity 1 unless given). Raises ValidationFailed (422):
    `details.variant` for a missing or unknown variant (or one of an unpublished product),
    `details.quantity` for anything but a positive integer, `details.variant_id` when the
    variant is already on this wishlist (see the module docstring); WishlistNotFound if the
    wishlist is gone."""
    details: dict[str, list[str]] = {}
    variant = None
    if variant_id is None or variant_id == "":
        details["variant"] = ["can't be blank"]
    else:
        variant = variant_get_wishable(variant_id=variant_id)
        if variant is None:
            details["variant"] = ["is invalid"]
    if quantity is not None:
        errors = quantity_errors(quantity)
        if errors:
            details["quantity"] = errors
    if details:
        raise ValidationFailed.from_details(details)
    amount = 1 if quantity is None else _clean_quantity(quantity)

    with transaction.atomic():
        wishlist = _lock_wishlist(user, wishlist.pk)
        if WishlistItem.objects.filter(wishlist=wishlist, variant=variant).exists():
            raise ValidationFailed.from_details(DUPLICATE_VARIANT)
        try:
            with transaction.atomic():
                item = WishlistItem.objects.create(
                    wishlist=wishlist, variant=variant, quantity=amount
                )
        except IntegrityError:
            # Only reachable if the row lock was bypassed; the constraint still decides.
            raise ValidationFailed.from_details(DUPLICATE_VARIANT) from None
        _touch(wishlist)
        return item


def wishlist_item_add_to_default(
    *, user: User, variant_id: Any, quantity: Any = None
) -> WishlistItem:
    """Put a variant on the customer's default wishlist (the storefront's "Add to wishlist"),
    creating one named DEFAULT_WISHLIST_NAME when they have none. Raises as wishlist_item_add;
    a refused add creates no wishlist either."""
    with transaction.atomic():
        _lock_customer(user)
        wishlist = Wishlist.objects.filter(user=user, is_default=True).first()
        if wishlist is None:
            wishlist = wishlist_create(user=user, name=DEFAULT_WISHLIST_NAME)
        return wishlist_item_add(
            user=user, wishlist=wishlist, variant_id=variant_id, quantity=quantity
        )


def wishlist_item_update(*, user: User, item: WishlistItem, quantity: Any) -> WishlistItem:
    """Set the quantity of an item. Raises ValidationFailed (422, `details.quantity`) unless
    it is a positive integer; WishlistItemNotFound if the item is gone."""
    if quantity is None:
        raise ValidationFailed.from_details({"quantity": ["can't be blank"]})
    amount = _clean_quantity(quantity)
    with transaction.atomic():
        wishlist = _lock_wishlist(user, item.wishlist_id)
        updated = WishlistItem.objects.filter(pk=item.pk, wishlist=wishlist).update(
            quantity=amount, updated_at=timezone.now()
        )
        if not updated:
            raise WishlistItemNotFound()
        _touch(wishlist)
        item.quantity = amount
        return item


def wishlist_item_remove(*, user: User, item: WishlistItem) -> None:
    """Take an item off its wishlist. Raises WishlistItemNotFound if it is already gone."""
    with transaction.atomic():
        wishlist = _lock_wishlist(user, item.wishlist_id)
        deleted, _ = WishlistItem.objects.filter(pk=item.pk, wishlist=wishlist).delete()
        if not deleted:
            raise WishlistItemNotFound()
        _touch(wishlist)
