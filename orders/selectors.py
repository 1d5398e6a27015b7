"""Reads of carts and orders: who may see which, and the prefetches that keep a cart or an
order history a fixed number of queries."""

from __future__ import annotations

import hmac

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from catalog.selectors import variants_for_display
from orders.errors import CartNotFound, OrderNotFound
from orders.models import DeliveryRate, Fulfillment, FulfillmentItem, LineItem, Order
from payments.models import Payment
from storeapi.errors import AccessDenied
from storeapi.ids import decode_id, encode_id

ORDER_PREFIXES = ("cart", "or")


def with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Everything a Cart or Order representation reads, in a fixed number of queries."""
    return queryset.select_related(
        "bill_address__country", "ship_address__country", "user"
    ).prefetch_related(
        Prefetch(
            "line_items",
            queryset=LineItem.objects.prefetch_related(
                Prefetch("variant", queryset=variants_for_display())
            ).order_by("created_at", "pk"),
        ),
        Prefetch(
            "fulfillments",
            queryset=Fulfillment.objects.select_related("stock_location").prefetch_related(
                Prefetch("items", queryset=FulfillmentItem.objects.select_related("line_item")),
                Prefetch(
                    "delivery_rates",
                    queryset=DeliveryRate.objects.select_related("delivery_method").order_by(
                        "cost", "pk"
                    ),
                ),
            ),
        ),
        Prefetch(
            "payments",
            queryset=Payment.objects.select_related(
                "payment_method", "credit_card", "payment_source", "store_credit", "gift_card"
            ).order_by("pk"),
        ),
    )


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def cart_get_for_access(
    *, public_id: str, user: User | None, token: str | None, details: bool = True
) -> Order:
    """An open cart the caller may use: its owner's JWT or its token. Unknown or completed ->
    404 cart_not_found; found but neither owner nor token -> 403 access_denied."""
    pk = decode_id(public_id, ORDER_PREFIXES)
    if pk is None:
        raise CartNotFound()
    queryset = Order.objects.filter(pk=pk, state=Order.CART)
    cart = (with_details(queryset) if details else queryset).first()
    if cart is None:
        raise CartNotFound()
    is_owner = user is not None and user.is_authenticated and cart.user_id == user.pk
    if not (is_owner or tokens_match(token, cart.token)):
        raise AccessDenied()
    return cart


def carts_for_customer(*, user: User) -> QuerySet[Order]:
    """The customer's open carts, most recently updated first."""
    return with_details(Order.objects.filter(user=user, state=Order.CART)).order_by(
        "-updated_at", "-pk"
    )


def guest_cart_for_token(*, token: str | None) -> Order | None:
    """The open guest cart (no owner) whose token a browser's cart cookie holds, else None.
    A cart that a customer owns is never reached this way from a storefront page."""
    if not token:
        return None
    return Order.objects.filter(token=token, state=Order.CART, user__isnull=True).first()


def cart_for_storefront(*, user: User | None, token: str | None) -> Order | None:
    """The open cart a storefront page works on, prefetched: the signed-in customer's most
    recently updated one, else this browser's guest cart (cart cookie). None when there is none."""
    if user is not None and user.is_authenticated:
        return carts_for_customer(user=user).first()
    cart = guest_cart_for_token(token=token)
    return with_details(Order.objects.filter(pk=cart.pk)).first() if cart else None


def orders_for_customer(*, user: User) -> QuerySet[Order]:
    """The customer's completed orders, newest first."""
    return with_details(Order.objects.filter(user=user, state=Order.COMPLETE)).order_by(
        "-completed_at", "-pk"
    )


def order_get_for_customer(*, user: User, public_id: str) -> Order:
    """One completed order of the customer; anything else is 404 order_not_found."""
    pk = decode_id(public_id, ORDER_PREFIXES)
    order = orders_for_customer(user=user).filter(pk=pk).first() if pk else None
    if order is None:
        raise OrderNotFound()
    return order


def order_get_for_lookup(*, public_id: str, user: User | None, token: str | None) -> Order:
    """GET /orders/:id: a completed order, the signed-in customer's own, or (without a JWT)
    the one whose token matches. Every miss is 404 order_not_found."""
    pk = decode_id(public_id, ORDER_PREFIXES)
    if pk is None:
        raise OrderNotFound()
    if user is not None and user.is_authenticated:
        return order_get_for_customer(user=user, public_id=public_id)
    order = with_details(Order.objects.filter(pk=pk, state=Order.COMPLETE)).first()
    if order is None or not tokens_match(token, order.token):
        raise OrderNotFound()
    return order


def orders_export(*, user: User) -> list[dict]:
    """The customer's completed orders, for the data export (what they bought, where, when)."""
    orders = Order.objects.filter(user=user, state=Order.COMPLETE).prefetch_related(
        Prefetch("line_items", queryset=LineItem.objects.select_related("variant__product"))
    )
    return [
        {
            "id": order.order_id,
            "number": order.number,
            "email": order.email,
            "completed_at": order.completed_at.isoformat() if order.completed_at else None,
            "currency": order.currency,
            "total": str(order.total),
            "customer_note": order.customer_note,
            "bill_address_id": encode_id("addr", order.bill_address_id)
            if order.bill_address_id
            else None,
            "ship_address_id": encode_id("addr", order.ship_address_id)
            if order.ship_address_id
            else None,
            "items": [
                {
                    "name": item.variant.product.name,
                    "sku": item.variant.sku,
                    "quantity": item.quantity,
                    "price": str(item.price),
                }
                for item in order.line_items.all()
            ],
        }
        for order in orders.order_by("completed_at", "pk")
    ]
