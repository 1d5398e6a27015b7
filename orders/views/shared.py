"""What every cart and checkout page needs: who is shopping and their cart."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from accounts.models import User
from orders.models import Order
from orders.selectors import cart_for_storefront, with_details
from orders.services.carts import cart_sweep_unavailable


def shopper(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def storefront_cart(request: HttpRequest) -> Order | None:
    """This shopper's open cart (signed-in customer's, else the cart cookie's), with the items
    that can no longer be bought swept out and reported as warnings (as the API does)."""
    cart = cart_for_storefront(user=shopper(request), token=request.cart_token)
    if cart is None:
        return None
    warnings = cart_sweep_unavailable(cart=cart)
    for warning in warnings:
        messages.warning(request, f"{warning.message}.")
    if warnings:
        cart = with_details(Order.objects.filter(pk=cart.pk)).get()
    return cart
