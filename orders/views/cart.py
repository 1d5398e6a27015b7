"""The cart page: change a quantity, remove an item, see what was taken out."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from catalog.errors import InsufficientStock
from orders.errors import InvalidQuantity, LineItemNotFound
from orders.forms import CartLineForm
from orders.services import carts as cart_services
from orders.views.shared import storefront_cart


def _item_of(cart, item_id: str):
    """A line of this shopper's cart; another cart's line (or none) is a 404."""
    items = cart.line_items.all() if cart is not None else []
    item = next((i for i in items if i.public_id == item_id), None)
    if item is None:
        raise Http404("Line item not found")
    return item


def _line_form(item, data=None) -> CartLineForm:
    return CartLineForm(data, initial={"quantity": item.quantity}, auto_id=f"{item.public_id}-%s")


def _render(request: HttpRequest, cart, *, failed=None, status: int = 200) -> HttpResponse:
    """The cart page; `failed` is (line item id, its form with errors) after a refused change."""
    lines = []
    for item in cart.line_items.all() if cart else []:
        form = failed[1] if failed and failed[0] == item.public_id else _line_form(item)
        lines.append((item, form))
    return render(request, "orders/cart.html", {"cart": cart, "lines": lines}, status=status)


def cart_detail(request: HttpRequest) -> HttpResponse:
    return _render(request, storefront_cart(request))


@require_POST
def cart_item_change(request: HttpRequest, item_id: str) -> HttpResponse:
    """A new quantity for one line; a refused one is shown next to it and changes nothing."""
    cart = storefront_cart(request)
    item = _item_of(cart, item_id)
    form = _line_form(item, request.POST)
    if form.is_valid():
        try:
            cart_services.cart_item_update(
                cart=cart, line_item_id=item_id, quantity=form.cleaned_data["quantity"]
            )
        except LineItemNotFound:
            raise Http404("Line item not found") from None
        except (InvalidQuantity, InsufficientStock) as error:
            form.add_error("quantity", f"{error.message}.")
        else:
            messages.success(request, f"{item.variant.product.name}: quantity updated.")
            return redirect("cart:detail")
    messages.error(request, f"The quantity of {item.variant.product.name} was not changed.")
    return _render(request, cart, failed=(item_id, form), status=422)


@require_POST
def cart_item_delete(request: HttpRequest, item_id: str) -> HttpResponse:
    cart = storefront_cart(request)
    item = (
        next((i for i in cart.line_items.all() if i.public_id == item_id), None) if cart else None
    )
    if item is None:
        raise Http404("Line item not found")
    try:
        cart_services.cart_item_remove(cart=cart, line_item_id=item_id)
    except LineItemNotFound:
        raise Http404("Line item not found") from None
    messages.success(request, f"{item.variant.product.name} was removed from your cart.")
    return redirect("cart:detail")
