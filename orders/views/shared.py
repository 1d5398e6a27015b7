"""What every cart and checkout page needs: who is shopping, their cart, and a service's
errors shown next to the fields that caused them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from accounts.models import User
from orders.models import Order
from orders.selectors import cart_for_storefront, with_details
from orders.services.carts import cart_sweep_unavailable
from storeapi.errors import ValidationFailed, humanize

#: Friendlier names than the API's field names, for messages next to a field.
FIELD_NAMES = {
    "address1": "Street address",
    "address2": "Apartment, suite",
    "country_iso": "Country",
    "state_abbr": "State",
    "state_name": "State",
}
#: API fields shown by another form field.
FIELD_ALIASES = {"state_name": "state_abbr"}


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


def field_message(field: str, message: str) -> str:
    """`Postal code is invalid.` from the API's (`postal_code`, `is invalid`)."""
    name = FIELD_NAMES.get(field) or humanize(field)
    text = f"{name} {message}".strip()
    return text if text.endswith(".") else f"{text}."


def show_service_errors(
    error: ValidationFailed, main: forms.Form, nested: dict[str, forms.Form] | None = None
) -> None:
    """Put a service's ValidationFailed details next to the fields: `email` on `main`,
    `shipping_address.postal_code` on `nested["shipping_address"]`. What no field shows becomes
    an error of `main` as a whole."""
    details = error.details or {}
    if not details:
        main.add_error(None, error.message)
        return
    for key, field_messages in details.items():
        group, _, field = key.partition(".")
        form, name = (nested or {}).get(group), field
        if form is None or not field:
            form, name = main, key
        name = FIELD_ALIASES.get(name, name)
        for message in field_messages:
            if name in form.fields:
                form.add_error(name, field_message(name, message))
            else:
                main.add_error(None, field_message(key, message))
