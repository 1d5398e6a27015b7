"""The cart and its items: create, update (email, addresses, items), delete, associate, and
the out-of-stock sweep every cart response starts with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accounts.models import User
from catalog.models import Price, Variant
from catalog.selectors import availability, variant_price
from customers.models import Address
from orders.errors import InvalidQuantity, LineItemNotFound
from orders.models import LineItem, Order
from orders.selectors import (
    CartAccess,
    cart_details_load,
    cart_details_loaded,
    cart_variant_purchasable,
    draft_commit_applies,
    mark_cart_details_loaded,
    related_list,
    related_set,
    variants_load_details,
)
from orders.services.checkout import cart_refresh, lock_cart
from orders.services.numbers import cart_token, order_number
from storeapi import sql
from storeapi.errors import NotFound, ValidationFailed
from storeapi.ids import decode_id

MAX_LINE_QUANTITY = 10_000


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    line_item_id: str | None = None
    variant_id: str | None = None


def _quantity(value: Any, *, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidQuantity()
    try:
        quantity = int(value)
    except ValueError:
        raise InvalidQuantity() from None
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    return quantity


def _email(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed.from_details({"email": ["is invalid"]})
    email = value.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed.from_details({"email": ["is invalid"]}) from None
    return email


# --- items ---------------------------------------------------------------------------------
#
# The item services lock the cart and load it once (cart_details_load); the helpers below then
# keep that loaded cart current as they write. On a cart that is not loaded (the upsert of
# cart_update, the merge at sign-in) they read and write the rows only.


def _lines(cart: Order) -> list[LineItem] | None:
    loaded = cart_details_loaded(cart, for_representation=True, in_this_transaction=True)
    return related_list(cart, "line_items") if loaded else None


def _add_item(
    cart: Order,
    variant_id: Any,
    quantity: int,
    metadata: dict | None,
    *,
    resolved: tuple[Variant, Price] | None = None,
) -> LineItem:
    """Add `quantity` of a variant (`resolved`: the variant and its price, when the caller
    has just read them with cart_variant_purchasable)."""
    from catalog.errors import InsufficientStock

    lines = _lines(cart)
    if resolved is None:
        known = {line.variant_id: line.variant for line in lines} if lines is not None else None
        resolved = cart_variant_purchasable(
            public_id=variant_id, currency=cart.currency, known=known
        )
    variant, price = resolved
    if lines is not None:
        item = next((line for line in lines if line.variant_id == variant.pk), None)
        if item is None:
            variants_load_details([variant])
    else:
        item = LineItem.objects.filter(order=cart, variant=variant).first()
    wanted = quantity + (item.quantity if item else 0)
    if wanted > MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    if not availability(variant).can_supply(wanted):
        raise InsufficientStock(f"{variant.product.name} does not have {wanted} available")
    if item:
        item.quantity = wanted
        if metadata:
            item.metadata = {**item.metadata, **metadata}
        sql.save_fields(item, ["quantity", "metadata", "updated_at"])
        return item
    item = LineItem(
        order=cart,
        variant=variant,
        quantity=quantity,
        price=price.amount,
        compare_at_amount=price.compare_at_amount,
        currency=cart.currency,
        metadata=metadata or {},
    )
    sql.insert(item)
    if lines is not None:
        lines.append(item)
        lines.sort(key=lambda line: (line.created_at, line.pk))
    return item


def _set_item_quantity(item: LineItem, quantity: int) -> None:
    from catalog.errors import InsufficientStock
    from catalog.selectors import variants_for_display

    loaded = LineItem._meta.get_field("variant").is_cached(item)
    if loaded and hasattr(item.variant, "active_stock_items"):  # loaded with the cart
        variant = item.variant
    else:
        variant = variants_for_display().get(pk=item.variant_id)
    if quantity > item.quantity and not availability(variant).can_supply(quantity):
        raise InsufficientStock(f"{variant.product.name} does not have {quantity} available")
    item.quantity = quantity
    sql.save_fields(item, ["quantity", "updated_at"])


def cart_item_add(
    *, cart: Order | CartAccess, variant_id: Any, quantity: Any, metadata: Any = None
) -> Order:
    """Add a variant (or more of it). Raises 404 variant_not_found, 422 invalid_quantity or
    insufficient_stock."""
    with transaction.atomic():
        cart = lock_cart(cart, draft=True)  # access first: 404 / 403 before any 422
        quantity = _quantity(quantity, default=1)
        cart = cart_details_load(cart)
        _add_item(cart, variant_id, quantity, metadata if isinstance(metadata, dict) else None)
        cart_refresh(cart)
    return cart


def _item_of(cart: Order, line_item_id: str) -> LineItem:
    pk = decode_id(line_item_id, "li") or 0
    item = next((line for line in related_list(cart, "line_items") if line.pk == pk), None)
    if item is None:
        raise LineItemNotFound()
    return item


def cart_item_update(
    *, cart: Order | CartAccess, line_item_id: str, quantity: Any = None, metadata: Any = None
) -> Order:
    """Change an item's quantity (1..10000) and merge its metadata. Raises 404
    line_item_not_found, or 422 invalid_quantity (also for more than the stock, as Spree's
    items#update reports every failed quantity change)."""
    from catalog.errors import InsufficientStock

    with transaction.atomic():
        cart = cart_details_load(lock_cart(cart, draft=True))
        item = _item_of(cart, line_item_id)
        if quantity is not None:
            try:
                _set_item_quantity(item, _quantity(quantity))
            except InsufficientStock as exc:
                raise InvalidQuantity(exc.message) from None
        if isinstance(metadata, dict):
            item.metadata = {**item.metadata, **metadata}
            item.save(update_fields=["metadata", "updated_at"])
        cart_refresh(cart)
    return cart


def cart_item_remove(*, cart: Order | CartAccess, line_item_id: str) -> Order:
    """Remove an item. Raises 404 line_item_not_found."""
    with transaction.atomic():
        cart = cart_details_load(lock_cart(cart, draft=True))
        item = _item_of(cart, line_item_id)
        item.delete()
        related_list(cart, "line_items").remove(item)
        cart_refresh(cart)
    return cart


def _unavailable(cart: Order) -> tuple[list[Warning], list[int], list[tuple[int, int]]]:
    """Warnings for the items that can no longer be bought (removals) or only fewer
    (reductions to what is on hand), from the items as loaded with the cart."""
    from catalog.selectors import product_is_available

    warnings: list[Warning] = []
    removals, reductions = [], []
    for item in cart.line_items.all():
        info = availability(item.variant)
        product = item.variant.product
        sellable = product_is_available(product)
        if not sellable or not info.purchasable:
            removals.append(item.pk)
            reason = "sold out" if sellable else "discontinued"
            warnings.append(
                Warning(
                    "line_item_removed",
                    f"{product.name} was removed because it was {reason}",
                    item.public_id,
                    item.variant.public_id,
                )
            )
        elif not info.can_supply(item.quantity):
            reductions.append((item.pk, info.on_hand))
            warnings.append(
                Warning(
                    "line_item_quantity_reduced",
                    f"{product.name} quantity was reduced to {info.on_hand} because of limited "
                    "stock",
                    item.public_id,
                    item.variant.public_id,
                )
            )
    return warnings, removals, reductions


def cart_sweep_unavailable(*, cart: Order) -> list[Warning]:
    """Remove items that can no longer be bought and shrink those short of stock; report each
    as a warning (Spree's remove_out_of_stock_items!). Reads the items, their products and
    stock as loaded with the cart (with_details or cart_details_load); writes only when
    something is to be swept."""
    warnings, removals, reductions = _unavailable(cart)
    if warnings:
        with transaction.atomic():
            locked = lock_cart(cart)
            LineItem.objects.filter(pk__in=removals, order=locked).delete()
            for pk, on_hand in reductions:
                LineItem.objects.filter(pk=pk, order=locked).update(quantity=on_hand)
            cart_refresh(locked)
    return warnings


# --- addresses -----------------------------------------------------------------------------


def _address_by_id(cart: Order, user: User | None, public_id: Any) -> Address:
    pk = decode_id(public_id, "addr")
    candidates = Address.objects.filter(pk=pk or 0, deleted_at__isnull=True)
    owner_id = cart.user_id or (user.pk if user is not None and user.is_authenticated else None)
    address = candidates.filter(user_id=owner_id).first() if owner_id else None
    if address is None and pk in (cart.ship_address_id, cart.bill_address_id):
        address = candidates.first()  # a guest may reuse an address already on their cart
    if address is None:
        raise NotFound("Address not found")
    return address


def _address_from_input(cart: Order, user: User | None, data: Any, field: str) -> Address:
    from customers.services import address_create, address_create_for_cart

    if not isinstance(data, dict):
        raise ValidationFailed.from_details({field: ["must be an object"]})
    if data.get("id") and len([k for k in data if k != "id"]) == 0:
        return _address_by_id(cart, user, data["id"])
    try:
        if cart.user_id and not data.get("quick_checkout"):
            owner = User.objects.get(pk=cart.user_id)
            return address_create(user=owner, data=data)
        return address_create_for_cart(data=data)
    except ValidationFailed as exc:
        details = {f"{field}.{key}": value for key, value in (exc.details or {}).items()}
        raise ValidationFailed.from_details(details) from None


# --- the cart ------------------------------------------------------------------------------


def cart_create(
    *, user: User | None, data: dict[str, Any], currency: str, ip_address: str | None = None
) -> Order:
    """Open a cart (the signed-in customer's, else a guest's with a fresh token) and apply
    the optional fields and items of the body."""
    owner = user if user is not None and user.is_authenticated else None
    cart = Order(
        token=cart_token(),
        user=owner,
        email=owner.email if owner else "",
        currency=currency,
        locale=settings.STORE_LOCALE,
    )
    draft = draft_commit_applies(own_blocks=0)  # a new cart is a draft
    if not data:
        # One INSERT, atomic on its own: no transaction to open and commit around it.
        sql.insert_numbered(cart, field="number", generate=order_number, draft=draft)
        # Nothing in it yet: its totals are the zeros it was created with.
        for name in ("line_items", "fulfillments", "payments"):
            related_set(cart, name, [])
        mark_cart_details_loaded(cart)
        return cart
    with transaction.atomic():
        sql.insert_numbered(cart, field="number", generate=order_number, draft=draft)
        # A new cart is loaded as it is: empty (its items are upserted on these lists).
        for name in ("line_items", "fulfillments", "payments"):
            related_set(cart, name, [])
        mark_cart_details_loaded(cart)
        _apply_update(cart, owner, data)
        cart_refresh(cart)
    return cart


def cart_update(*, cart: Order | CartAccess, user: User | None, data: dict[str, Any]) -> Order:
    """Update email, note, metadata, addresses (by id or inline, `use_shipping`) and items
    (upsert by variant). Errors are 422 validation_error."""
    with transaction.atomic():
        cart = lock_cart(cart, draft=True)
        if "items" in data:
            # The upsert works on the loaded lines (as the item routes), and the refresh
            # after it finds the cart loaded.
            cart_details_load(cart)
        changed = _apply_update(cart, user, data, save=False)
        # Fulfillments depend on items and the shipping address only: rebuilding them for an
        # email or a note would hand the client new fulfillment and rate ids for nothing.
        # The order's changed columns are written with its totals, in one UPDATE.
        cart_refresh(
            cart,
            rebuild_fulfillments=bool(changed & FULFILLMENT_INPUTS),
            fields=sorted(changed - {"items"}),
        )
    return cart


FULFILLMENT_INPUTS = {"ship_address", "items", "currency"}


def _apply_update(
    cart: Order, user: User | None, data: dict[str, Any], *, save: bool = True
) -> set[str]:
    """Apply the body to the cart; return the names of what changed. Without `save`, the
    order's changed columns are left for the caller to write (its items are written)."""
    fields: list[str] = []
    if "email" in data:
        cart.email = _email(data["email"])
        fields.append("email")
    if "customer_note" in data:
        note = data["customer_note"]
        if note is not None and not isinstance(note, str):
            raise ValidationFailed.from_details({"customer_note": ["must be a string"]})
        cart.customer_note = (note or "")[:5000]
        fields.append("customer_note")
    if "locale" in data and isinstance(data["locale"], str) and data["locale"]:
        cart.locale = data["locale"][:10]
        fields.append("locale")
    if "metadata" in data:
        if not isinstance(data["metadata"], dict):
            raise ValidationFailed.from_details({"metadata": ["must be an object"]})
        cart.metadata = {**cart.metadata, **data["metadata"]}
        fields.append("metadata")
    if data.get("currency"):
        _change_currency(cart, data["currency"])
        fields.append("currency")
    if data.get("shipping_address_id"):
        cart.ship_address = _address_by_id(cart, user, data["shipping_address_id"])
        fields.append("ship_address")
    if data.get("billing_address_id"):
        cart.bill_address = _address_by_id(cart, user, data["billing_address_id"])
        fields.append("bill_address")
    if data.get("shipping_address") is not None:
        cart.ship_address = _address_from_input(
            cart, user, data["shipping_address"], "shipping_address"
        )
        fields.append("ship_address")
    if data.get("billing_address") is not None:
        cart.bill_address = _address_from_input(
            cart, user, data["billing_address"], "billing_address"
        )
        fields.append("bill_address")
    if data.get("use_shipping") is True and cart.ship_address_id:
        cart.bill_address = cart.ship_address
        fields.append("bill_address")
    if fields and save:
        sql.save_fields(cart, [*fields, "updated_at"])
    if "items" in data:
        _upsert_items(cart, data["items"])
        fields.append("items")
    return set(fields)


def _upsert_items(cart: Order, items: Any) -> None:
    if not isinstance(items, list):
        raise ValidationFailed.from_details({"items": ["must be a list"]})
    lines = related_list(cart, "line_items")  # loaded by cart_create / cart_update
    for entry in items:
        if not isinstance(entry, dict) or "variant_id" not in entry:
            raise ValidationFailed.from_details({"items": ["each item needs a variant_id"]})
        known = {line.variant_id: line.variant for line in lines}
        resolved = cart_variant_purchasable(
            public_id=entry["variant_id"], currency=cart.currency, known=known
        )
        variant = resolved[0]
        existing = next((line for line in lines if line.variant_id == variant.pk), None)
        quantity = entry.get("quantity", 1)
        if existing and quantity in (0, "0"):
            existing.delete()
            lines.remove(existing)
            continue
        quantity = _quantity(quantity, default=1)
        if existing:
            _set_item_quantity(existing, quantity)
        else:
            _add_item(cart, variant.public_id, quantity, entry.get("metadata"), resolved=resolved)


def cart_currency(value: Any) -> str | None:
    """`value` as the code of a currency the store sells in (any case), else None."""
    from catalog.selectors import currency_is_sold

    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha() or not currency_is_sold(code):
        return None
    return code


def _change_currency(cart: Order, currency: Any) -> None:
    from catalog.selectors import variants_for_display

    if not isinstance(currency, str) or len(currency) != 3:
        raise ValidationFailed.from_details({"currency": ["is invalid"]})
    currency = currency.upper()
    if currency == cart.currency:
        return
    if cart_currency(currency) is None:
        raise ValidationFailed.from_details({"currency": ["is not supported"]})
    items = list(LineItem.objects.filter(order=cart))
    variants = {
        v.pk: v for v in variants_for_display().filter(pk__in=[i.variant_id for i in items])
    }
    for item in items:
        price = variant_price(variants[item.variant_id], currency)
        if price is None:
            raise ValidationFailed.from_details({"currency": ["is not available for every item"]})
        item.price, item.compare_at_amount, item.currency = (
            price.amount,
            price.compare_at_amount,
            currency,
        )
        item.save(update_fields=["price", "compare_at_amount", "currency", "updated_at"])
    cart.currency = currency


def cart_delete(*, cart: Order | CartAccess) -> None:
    """Throw an open cart away."""
    with transaction.atomic():
        cart = lock_cart(cart)
        from payments.models import Payment

        Payment.objects.filter(order=cart).delete()
        cart.delete()


def cart_associate(*, cart: Order, user: User) -> Order:
    """Give a guest cart to the signed-in customer: owner, their email, and their default
    addresses where the cart has none. No merging with other carts (as Spree)."""
    from customers.selectors import addresses_for_customer

    with transaction.atomic():
        cart = lock_cart(cart)
        if cart.user_id not in (None, user.pk):
            from orders.errors import CartNotFound

            raise CartNotFound()
        defaults = list(addresses_for_customer(user=user))
        cart.user = user
        cart.email = user.email
        if cart.bill_address_id is None:
            cart.bill_address = next((a for a in defaults if a.is_default_billing), None)
        if cart.ship_address_id is None:
            cart.ship_address = next((a for a in defaults if a.is_default_shipping), None)
        try:
            cart.save(update_fields=["user", "email", "bill_address", "ship_address", "updated_at"])
        except IntegrityError:
            raise ValidationFailed("The cart could not be associated") from None
        cart_refresh(cart)
    return cart


# --- taking a guest cart over at sign-in ------------------------------------------------------

CART_ADOPTED = "We added the items from your cart to your account."
CART_MERGED = "We added the items from your cart to the cart saved in your account."


def _merge_lines(guest: Order, target: Order) -> list[str]:
    """Add the guest cart's lines to `target` (quantities summed, capped by what stock can
    supply); returns a note for each line reduced or left out."""
    from catalog.models import Product
    from catalog.selectors import variants_for_display

    lines = list(
        LineItem.objects.filter(order=guest)
        .select_related("variant__product")
        .order_by("created_at", "pk")
    )
    variants = {
        variant.pk: variant
        for variant in variants_for_display().filter(
            pk__in=[line.variant_id for line in lines], product__in=Product.objects.available()
        )
    }
    have = dict(LineItem.objects.filter(order=target).values_list("variant_id", "quantity"))
    notes: list[str] = []
    for line in lines:
        name = line.variant.product.name
        variant = variants.get(line.variant_id)
        if variant is None or variant_price(variant, target.currency) is None:
            notes.append(f"{name} is no longer available and was not added.")
            continue
        current = have.get(variant.pk, 0)
        wanted = min(current + line.quantity, MAX_LINE_QUANTITY)
        info = availability(variant)
        capped = wanted if info.can_supply(wanted) else max(info.on_hand, current, 0)
        if capped < current + line.quantity:
            if capped <= 0:
                notes.append(f"{name} is sold out and was not added.")
            else:
                notes.append(f"{name}: the quantity is {capped}, all we have in stock.")
        if capped > current:
            _add_item(target, variant.public_id, capped - current, line.metadata or None)
    return notes


def _has_taken_payments(cart: Order) -> bool:
    from payments.models import Payment

    taken = (Payment.PENDING, Payment.PROCESSING, Payment.COMPLETED)
    return Payment.objects.filter(order=cart, state__in=taken).exists()


def cart_adopt(*, token: str | None, user: User) -> str | None:
    """At sign-in, take the browser's guest cart (`token`, from the cart cookie) over for `user`.

    Without an open cart of their own, the guest cart becomes theirs (cart_associate). Otherwise
    its lines are merged into their most recently updated open cart: quantities are added and
    capped by what stock can supply, lines that can no longer be bought are left out, and the
    guest cart is deleted (unless a gateway already took a payment on it: then it is kept
    whole and becomes theirs too). Returns the message for the page, or None when there is
    nothing to take over (no token, no open guest cart with it, an empty one, or another
    sign-in took it first). Locks the customer, then both carts in primary-key order
    (CONVENTIONS.md)."""
    from orders.selectors import guest_cart_for_token

    guest = guest_cart_for_token(token=token)
    if guest is None or not LineItem.objects.filter(order=guest).exists():
        return None
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        target = (
            Order.objects.filter(user=user, state=Order.CART)
            .exclude(pk=guest.pk)
            .order_by("-updated_at", "-pk")
            .first()
        )
        pks = sorted(pk for pk in (guest.pk, target.pk if target else None) if pk is not None)
        locked = {
            cart.pk: cart
            for cart in Order.objects.select_for_update()
            .filter(pk__in=pks, state=Order.CART)
            .order_by("pk")
        }
        guest = locked.get(guest.pk)
        if guest is None or guest.user_id is not None:
            return None
        if target is None or target.pk not in locked or _has_taken_payments(guest):
            # A payment a gateway already took stays with its cart: that cart is kept whole.
            cart_associate(cart=guest, user=user)
            return CART_ADOPTED
        target = locked[target.pk]
        notes = _merge_lines(guest, target)
        cart_delete(cart=guest)
        cart_refresh(target)
    return " ".join([CART_MERGED, *notes])


def orders_anonymise_for_customer(*, user: User) -> None:
    """Account closing: open carts are thrown away; completed orders stay for the shop's books
    but lose the person's email and note (their addresses are anonymised by customers)."""
    from payments.models import Payment

    carts = Order.objects.filter(user=user, state=Order.CART)
    Payment.objects.filter(order__in=carts).delete()
    carts.delete()
    Order.objects.filter(user=user).exclude(state=Order.CART).update(email="", customer_note="")
