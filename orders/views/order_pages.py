"""An order after checkout: its confirmation page (this browser or its owner) and the order page
the confirmation email links to (`?token=`, the order's unguessable token)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from orders import selectors
from orders.errors import OrderNotFound
from orders.views.shared import shopper
from payments.models import Payment


def _context(order) -> dict:
    payments = [p for p in order.payments.all() if p.state in Payment.VALID_STATES]
    return {"order": order, "payments": payments}


def order_confirmation(request: HttpRequest, order_id: str) -> HttpResponse:
    """Right after checkout: the customer's own order, or the one this browser's cart cookie
    still names (a guest's)."""
    try:
        order = selectors.order_get_for_lookup(
            public_id=order_id, user=shopper(request), token=request.cart_token
        )
    except OrderNotFound:
        raise Http404("Order not found") from None
    return render(request, "orders/order_confirmation.html", _context(order))


def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    """The emailed link's token opens the order for whoever holds the link (a guest, or a
    customer who checked out as a guest); the signed-in owner needs none. Every other case is
    the same 404: a wrong token, another customer's order, an order number instead of its id."""
    order = None
    token = request.GET.get("token")
    if token:
        try:
            order = selectors.order_get_for_lookup(public_id=order_id, user=None, token=token)
        except OrderNotFound:
            order = None
    if order is None and (user := shopper(request)) is not None:
        try:
            order = selectors.order_get_for_customer(user=user, public_id=order_id)
        except OrderNotFound:
            order = None
    if order is None:
        raise Http404("Order not found")
    return render(request, "orders/order_detail.html", _context(order))
