"""Human-facing numbers and the guest token. Numbers are random, so they reveal no volume."""

import secrets

from storeapi.tokens import base58_token

CART_TOKEN_LENGTH = 35  # base58, ~205 bits


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def order_number() -> str:
    """A candidate order number (storeapi.sql.insert_numbered draws another if it is taken)."""
    return f"R{_digits(9)}"


def fulfillment_number() -> str:
    """A candidate fulfillment number, as order_number."""
    return f"H{_digits(11)}"


def cart_token() -> str:
    return base58_token(CART_TOKEN_LENGTH)
