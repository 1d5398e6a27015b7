"""Template helpers for storefront pages: money formatted like the API's display amounts."""

from django import template

from storeapi.money import display_money

register = template.Library()


@register.filter
def money(amount, currency="USD"):
    """`{{ order.total|money:order.currency }}` -> `$10.00`."""
    return display_money(amount, currency or "USD") if amount is not None else ""
