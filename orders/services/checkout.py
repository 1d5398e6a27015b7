"""Checkout: fulfillments and delivery rates, taxes, totals, requirements, and completion.

State is derived, not stored: a cart's current step is the first of address → delivery →
payment whose requirements are unmet, and `complete` once nothing is missing. Every change to a
cart ends in `cart_refresh`, which rebuilds fulfillments when their inputs changed, auto-selects
the cheapest rate (as Spree does), and recomputes every total in Decimal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.errors import InsufficientStock
from catalog.models import StockLocation
from catalog.selectors import availability, stock_locations_active
from catalog.services import stock_allocate
from orders.errors import CartCannotComplete, CartNotFound
from orders.models import (
    ZERO,
    DeliveryMethod,
    DeliveryRate,
    Fulfillment,
    FulfillmentItem,
    LineItem,
    Order,
    TaxRate,
)
from orders.selectors import (
    CHECKOUT_REFERENCE_MEMO,
    CartAccess,
    cart_details_load,
    cart_details_loaded,
    delivery_methods_for,
    order_get,
    related_list,
    related_set,
    tax_rates_for,
)
from orders.services.numbers import fulfillment_number
from storeapi import sql
from storeapi.errors import AccessDenied, ApiError, AuthenticationRequired, NotFound
from storeapi.ids import decode_id
from storeapi.money import quantize

logger = logging.getLogger("orders")

STEPS = ("address", "delivery", "payment")


@dataclass(frozen=True)
class Requirement:
    step: str
    field: str
    message: str


# --- requirements and steps ---------------------------------------------------------------


def cart_requirements(cart: Order) -> list[Requirement]:
    """What is still missing before the cart can be completed (uses prefetched relations)."""
    from payments.selectors import payments_cover_order

    items = list(cart.line_items.all())
    missing: list[Requirement] = []
    if not items:
        missing.append(Requirement("cart", "line_items", "Add at least one item to your cart"))
    if not cart.email:
        missing.append(Requirement("address", "email", "Email address is required"))
    if cart.ship_address_id is None:
        missing.append(Requirement("address", "ship_address", "Shipping address is required"))
    fulfillments = list(cart.fulfillments.all())
    if (
        not items
        or cart.ship_address_id is None
        or not fulfillments
        or any(not any(r.selected for r in f.delivery_rates.all()) for f in fulfillments)
    ):
        missing.append(
            Requirement("delivery", "shipping_method", "Select a shipping method for all shipments")
        )
    if items and not payments_cover_order(cart):
        missing.append(Requirement("payment", "payment", "Add a payment method"))
    return missing


def current_step(requirements: list[Requirement]) -> str:
    steps = {r.step if r.step != "cart" else "address" for r in requirements}
    for step in STEPS:
        if step in steps:
            return step
    return "complete"


def completed_steps(requirements: list[Requirement]) -> list[str]:
    step = current_step(requirements)
    if step == "complete":
        return list(STEPS)
    return list(STEPS[: STEPS.index(step)])


# --- fulfillments and delivery rates --------------------------------------------------------
#
# Both work on the cart as cart_details_load left it (cart_refresh loads it when a service has
# not): they change those objects as they write, so the response needs no second read.


def _reference(cart: Order) -> dict:
    """What one request reads of the shop's delivery and tax setup, read once per request (the
    cart instance lives as long as the request)."""
    return cart.__dict__.setdefault(CHECKOUT_REFERENCE_MEMO, {})


def _delivery_methods(cart: Order, country_iso: str, state_abbr: str) -> list[DeliveryMethod]:
    """The active methods in the cart's currency of the zones that include the address."""
    key = ("methods", cart.currency, country_iso, state_abbr)
    memo = _reference(cart)
    if key not in memo:
        memo[key] = delivery_methods_for(
            currency=cart.currency, country_iso=country_iso, state_abbr=state_abbr
        )
    return memo[key]


def _stock_locations(cart: Order) -> list[StockLocation]:
    memo = _reference(cart)
    if "locations" not in memo:
        memo["locations"] = list(stock_locations_active())
    return memo["locations"]


def _rate_cost(method: DeliveryMethod, item_total: Decimal) -> Decimal:
    if method.free_over_amount is not None and item_total >= method.free_over_amount:
        return ZERO
    return method.amount


def _pick_location(variant, quantity: int, locations: list[StockLocation]) -> StockLocation:
    """The default location if it can supply the line, else the one with the most units."""
    items = {i.stock_location_id: i for i in getattr(variant, "active_stock_items", [])}
    for location in locations:
        item = items.get(location.pk)
        if item and (item.count_on_hand >= quantity or item.backorderable):
            return location
    stocked = [loc for loc in locations if loc.pk in items]
    if stocked:
        return max(stocked, key=lambda loc: items[loc.pk].count_on_hand)
    return locations[0]


def fulfillments_rebuild(cart: Order) -> None:
    """Group the items by stock location into fulfillments and price each delivery method
    that serves the shipping address; keep the method the shopper chose if it still applies,
    else select the cheapest. Works on the loaded cart (cart_details_load)."""
    current = related_list(cart, "fulfillments")
    previous = {
        f.stock_location_id: next(
            (r.delivery_method_id for r in f.delivery_rates.all() if r.selected), None
        )
        for f in current
    }
    if current:
        Fulfillment.objects.filter(order=cart).delete()
    fulfillments: list[Fulfillment] = []
    related_set(cart, "fulfillments", fulfillments)
    items = related_list(cart, "line_items")
    if not items or cart.ship_address_id is None:
        return
    address = cart.ship_address
    methods = _delivery_methods(cart, address.country_id, address.state_abbr)
    locations = _stock_locations(cart)
    if not locations:
        return
    groups: dict[int, list[LineItem]] = {}
    by_pk = {location.pk: location for location in locations}
    for item in items:
        location = _pick_location(item.variant, item.quantity, locations)
        groups.setdefault(location.pk, []).append(item)
    item_total = sum((item.amount for item in items), ZERO)
    # Costs and taxes as cart_recalculate computes them, so that it finds nothing to update.
    delivery_taxes = [rate for rate in _tax_rates_for(cart) if rate.applies_to_delivery]
    for location_id, group in groups.items():
        rates = [DeliveryRate(delivery_method=m, cost=_rate_cost(m, item_total)) for m in methods]
        chosen = None
        if rates:
            chosen = next(
                (r for r in rates if r.delivery_method_id == previous.get(location_id)),
                min(
                    rates, key=lambda r: (r.cost, r.delivery_method.position, r.delivery_method.pk)
                ),
            )
            chosen.selected = True
        for rate in rates:
            rate.additional_tax_total, rate.included_tax_total = _taxes(
                rate.cost, delivery_taxes, cart.currency
            )
        cost = chosen.cost if chosen else ZERO
        additional, included = _taxes(cost, delivery_taxes, cart.currency)
        fulfillment = Fulfillment(
            order=cart,
            stock_location=by_pk[location_id],
            cost=cost,
            additional_tax_total=additional,
            included_tax_total=included,
        )
        fulfillment_items = [
            FulfillmentItem(line_item=item, quantity=item.quantity) for item in group
        ]
        # The fulfillment (numbered in its INSERT), its items and its rates: one statement.
        sql.insert_numbered_with(
            fulfillment,
            field="number",
            generate=fulfillment_number,
            children=[("fulfillment", fulfillment_items), ("fulfillment", rates)],
        )
        if any(r.pk is None for r in rates):  # a database that cannot return the new ids
            rates = list(
                DeliveryRate.objects.filter(fulfillment=fulfillment).select_related(
                    "delivery_method"
                )
            )
        related_set(fulfillment, "items", fulfillment_items)
        related_set(fulfillment, "delivery_rates", sorted(rates, key=lambda r: (r.cost, r.pk)))
        fulfillments.append(fulfillment)


def fulfillment_select_rate(
    *, cart: Order | CartAccess, fulfillment_id: str, rate_id: str
) -> Order:
    """Choose a delivery rate of one of the cart's fulfillments. A rate of another fulfillment
    or cart is 404 record_not_found "Shipping rate not found". Returns the updated cart."""
    with transaction.atomic():
        cart = cart_details_load(lock_cart(cart, draft=True))
        pk = decode_id(fulfillment_id, "ful") or 0
        fulfillment = next((f for f in related_list(cart, "fulfillments") if f.pk == pk), None)
        if fulfillment is None:
            raise NotFound("Fulfillment not found")
        pk = decode_id(rate_id, "dr") or 0
        rates = related_list(fulfillment, "delivery_rates")
        rate = next((r for r in rates if r.pk == pk), None)
        if rate is None:
            raise NotFound("Shipping rate not found")
        DeliveryRate.objects.filter(fulfillment=fulfillment).update(selected=False)
        DeliveryRate.objects.filter(pk=rate.pk).update(selected=True)
        for other in rates:
            other.selected = other.pk == rate.pk
        cart_refresh(cart, rebuild_fulfillments=False)
    return cart


# --- taxes and totals ----------------------------------------------------------------------


def _tax_rates_for(cart: Order) -> list[TaxRate]:
    address = cart.ship_address or cart.bill_address
    if address is None:
        return []
    key = ("tax_rates", address.country_id, address.state_abbr)
    memo = _reference(cart)
    if key not in memo:
        memo[key] = tax_rates_for(country_iso=address.country_id, state_abbr=address.state_abbr)
    return memo[key]


def _taxes(amount: Decimal, rates: list[TaxRate], currency: str) -> tuple[Decimal, Decimal]:
    """(additional, included) tax on `amount`, each rate rounded on its own."""
    additional = included = ZERO
    for rate in rates:
        if rate.is_included_in_price:
            included += quantize(amount - amount / (1 + rate.rate), currency)
        else:
            additional += quantize(amount * rate.rate, currency)
    return additional, included


_ORDER_TOTALS = (
    "item_count",
    "item_total",
    "delivery_total",
    "additional_tax_total",
    "included_tax_total",
    "total",
    "store_credit_total",
    "gift_card_total",
    "updated_at",
)


def cart_recalculate(cart: Order, *, fields: Iterable[str] = ()) -> None:
    """Recompute line, delivery and order totals (all Decimal, one rounding helper) and save
    those that changed; the order's row is always saved (its totals and `updated_at`, with the
    `fields` of it the caller changed and left to this write). Works on the loaded cart
    (cart_details_load)."""
    from payments.services import payments_follow_total, payments_sync_credits

    rates = _tax_rates_for(cart)
    items = related_list(cart, "line_items")
    item_total = additional = included = ZERO
    for item in items:
        item_add, item_inc = _taxes(item.amount, rates, cart.currency)
        if (item.additional_tax_total, item.included_tax_total) != (item_add, item_inc):
            sql.update(
                LineItem,
                {"additional_tax_total": item_add, "included_tax_total": item_inc},
                pk=item.pk,
            )
            item.additional_tax_total, item.included_tax_total = item_add, item_inc
        item_total += item.amount
        additional += item_add
        included += item_inc
    delivery_rates = [r for r in rates if r.applies_to_delivery]
    delivery_total = ZERO
    for fulfillment in related_list(cart, "fulfillments"):
        selected = None
        for rate in fulfillment.delivery_rates.all():
            rate_add, rate_inc = _taxes(rate.cost, delivery_rates, cart.currency)
            if (rate.additional_tax_total, rate.included_tax_total) != (rate_add, rate_inc):
                sql.update(
                    DeliveryRate,
                    {"additional_tax_total": rate_add, "included_tax_total": rate_inc},
                    pk=rate.pk,
                )
                rate.additional_tax_total, rate.included_tax_total = rate_add, rate_inc
            if rate.selected:
                selected = rate
        cost = selected.cost if selected else ZERO
        ful_add, ful_inc = _taxes(cost, delivery_rates, cart.currency)
        stored = fulfillment.cost, fulfillment.additional_tax_total, fulfillment.included_tax_total
        if stored != (cost, ful_add, ful_inc):
            sql.update(
                Fulfillment,
                {"cost": cost, "additional_tax_total": ful_add, "included_tax_total": ful_inc},
                pk=fulfillment.pk,
            )
            fulfillment.cost = cost
            fulfillment.additional_tax_total, fulfillment.included_tax_total = ful_add, ful_inc
        delivery_total += cost
        additional += ful_add
        included += ful_inc
    cart.item_count = sum(item.quantity for item in items)
    cart.item_total = item_total
    cart.delivery_total = delivery_total
    cart.additional_tax_total = additional
    cart.included_tax_total = included
    cart.total = quantize(
        item_total + delivery_total + additional + cart.discount_total, cart.currency
    )
    cart.store_credit_total, cart.gift_card_total = payments_sync_credits(order=cart)
    cart.updated_at = timezone.now()
    sql.update(
        Order,
        {
            **{name: getattr(cart, Order._meta.get_field(name).attname) for name in fields},
            **{name: getattr(cart, name) for name in _ORDER_TOTALS},
        },
        pk=cart.pk,
    )
    payments_follow_total(order=cart)


def cart_refresh(
    cart: Order, *, rebuild_fulfillments: bool = True, fields: Iterable[str] = ()
) -> None:
    """After any change: fulfillments (when items or the address changed) and totals. Loads
    the cart's relations unless the calling service already did (and kept them current).
    `fields`: columns of the order the caller changed and has not saved yet."""
    loaded = cart_details_loaded(
        cart, for_representation=rebuild_fulfillments, in_this_transaction=True
    )
    if not loaded:
        cart_details_load(cart)  # a rebuild reads the stock of every item
    if rebuild_fulfillments:
        fulfillments_rebuild(cart)
    cart_recalculate(cart, fields=fields)


def lock_cart(cart: Order | CartAccess, *, draft: bool = False) -> Order:
    """Lock the cart row (after its customer's, CONVENTIONS.md order) for a mutation. Given a
    CartAccess, the access is checked on the locked row (404 cart_not_found, 403
    access_denied). A lock held by another request is waited for at most the connection's
    lock_timeout (DB_LOCK_TIMEOUT); then orders.api answers 409 cart_already_updated.
    `draft`: a change to the cart's contents that moves no money (items, addresses, delivery,
    a Check payment) commits without waiting for the disk (order_get)."""
    if isinstance(cart, CartAccess):
        return _lock_for_access(cart, states=(Order.CART,), draft=draft)
    _lock_customer(cart.user_id)
    locked = order_get(
        pk=cart.pk, states=(Order.CART,), lock=True, with_addresses=True, draft=draft
    )
    if locked is None:
        raise CartNotFound()
    return locked


def _lock_customer(user_id: int | None) -> None:
    from accounts.models import User

    if user_id:
        User.objects.select_for_update().filter(pk=user_id).values_list("pk").first()


def _lock_for_access(access: CartAccess, *, states: tuple[str, ...], draft: bool = False) -> Order:
    """The cart `access` names, locked, when its caller may use it. A guest cart, or the
    signed-in caller's own, is locked in one statement (the caller's customer row first: it
    may be the owner). Anything else (unknown, in another state, another customer's cart used
    with its token) is read first to answer 404 or 403, or to lock its owner first."""
    user_id = access.user.pk if access.user is not None else None
    _lock_customer(user_id)
    locked = order_get(
        pk=access.pk, states=states, lock=True, with_addresses=True, owner=user_id, draft=draft
    )
    if locked is None:
        cart = order_get(pk=access.pk, states=states)
        if cart is None:
            raise CartNotFound()
        if not access.allows(cart):
            raise AccessDenied()
        _lock_customer(cart.user_id)
        locked = order_get(pk=access.pk, states=states, lock=True, with_addresses=True, draft=draft)
        if locked is None:
            raise CartNotFound()
    if not access.allows(locked):
        raise AccessDenied()
    return locked


# --- completion ----------------------------------------------------------------------------


def cart_complete(*, cart: Order | CartAccess) -> Order:
    """Turn a ready cart into an order, once. In one transaction: lock the customer and the
    cart, check every requirement, take the stock (rows locked in pk order), process the
    payments, freeze the addresses, queue the confirmation email (outbox). Completing a
    completed cart returns its order. Raises CartCannotComplete with the reason. Given a
    CartAccess, the access is checked on the locked row (lock_cart), and a guest needs guest
    checkout to be on (401 otherwise).

    The order is answered as loaded once under the lock and changed in memory with each
    write; when store credit or a gift card was captured (their balances moved) it is read
    again."""
    from catalog.selectors import product_is_available
    from customers.services import addresses_mark_in_use
    from orders import emails
    from orders.selectors import with_details
    from outbox.services import email_enqueue
    from payments.models import Payment
    from payments.services import payments_process_for_order
    from payments.services.cart_payments import CREDIT_SOURCES

    with transaction.atomic():
        if isinstance(cart, CartAccess):
            # Completing a completed cart answers its order (same owner-or-token rule).
            locked = _lock_for_access(cart, states=(Order.CART, Order.COMPLETE))
            guest = locked.user_id is None and cart.user is None
            if guest and not settings.GUEST_CHECKOUT_ENABLED:
                raise AuthenticationRequired()
        else:
            _lock_customer(cart.user_id)
            locked = order_get(pk=cart.pk, lock=True, with_addresses=True)
            if locked is None:
                raise CartNotFound()
        if locked.state == Order.COMPLETE:
            return with_details(Order.objects.filter(pk=locked.pk)).get()
        if locked.state != Order.CART:
            raise CartCannotComplete("The cart can no longer be completed")
        details = cart_details_load(locked)
        missing = cart_requirements(details)
        if missing:
            raise CartCannotComplete(missing[0].message)
        for item in details.line_items.all():
            if not product_is_available(item.variant.product):
                raise CartCannotComplete(f"{item.variant.product.name} is no longer available")
            if not availability(item.variant).can_supply(item.quantity):
                raise CartCannotComplete(f"{item.variant.product.name} is out of stock")
        credits_captured = any(
            p.state == Payment.CHECKOUT and p.source_type in CREDIT_SOURCES
            for p in details.payments.all()
        )
        # Lock order (CONVENTIONS.md): customer → cart → store credit / gift card → stock.
        try:
            payment_state = payments_process_for_order(order=details)
        except ApiError as exc:
            raise CartCannotComplete(exc.message) from None
        now = timezone.now()
        if details.bill_address_id is None:
            details.bill_address = details.ship_address
        shipment_state = "pending" if payment_state != "paid" else "ready"
        completion = {
            "state": Order.COMPLETE,
            "completed_at": now,
            "bill_address": details.bill_address_id,
            "payment_state": payment_state,
            "shipment_state": shipment_state,
            "updated_at": now,
        }
        transitioned = sql.update(Order, completion, pk=locked.pk, state=Order.CART)
        if not transitioned:  # completed concurrently (databases without row locks)
            raise CartCannotComplete("The cart has already been completed")
        details.state, details.completed_at, details.updated_at = Order.COMPLETE, now, now
        details.payment_state, details.shipment_state = payment_state, shipment_state
        status = Fulfillment.READY if payment_state == "paid" else Fulfillment.PENDING
        # Fulfillments are only written under the cart's lock: as loaded, they are current.
        if any(f.status != status for f in details.fulfillments.all()):
            sql.update(Fulfillment, {"status": status}, order=locked.pk)
        for fulfillment in details.fulfillments.all():
            fulfillment.status = status
        addresses_mark_in_use(
            address_ids=[a for a in (details.bill_address_id, details.ship_address_id) if a]
        )
        # Queued with the completion: the confirmation exists exactly when the order does,
        # and is built and sent after commit (by the outbox worker in production).
        email_enqueue(kind=emails.ORDER_CONFIRMATION, object_id=details.pk, recipient=details.email)
        # Stock last, right before the commit: a best seller's stock row is the one lock all of
        # its buyers share, so it is held for its own two statements and the commit only.
        # Short stock rolls back every write above with the transaction.
        try:
            lines = details.line_items.all()
            stock_allocate(
                quantities={item.variant_id: item.quantity for item in lines},
                variants={item.variant_id: item.variant for item in lines},
            )
        except InsufficientStock as exc:
            raise CartCannotComplete(exc.message) from None
        if credits_captured:
            return with_details(Order.objects.filter(pk=locked.pk)).get()
    return details
