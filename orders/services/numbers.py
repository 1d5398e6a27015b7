"""Human-facing numbers and the guest token. Numbers are random, so they reveal no volume."""

import secrets
from collections.abc import Callable

from storeapi.tokens import base58_token

CART_TOKEN_LENGTH = 35  # base58, ~205 bits


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def unique_number(prefix: str, digits: int, exists: Callable[[str], bool]) -> str:
    for _ in range(20):
        candidate = f"{prefix}{_digits(digits)}"
        if not exists(candidate):
            return candidate
    raise RuntimeError(f"could not find a free {prefix} number")


def order_number(exists: Callable[[str], bool]) -> str:
    return unique_number("R", 9, exists)


def fulfillment_number(exists: Callable[[str], bool]) -> str:
    return unique_number("H", 11, exists)


def cart_token() -> str:
    return base58_token(CART_TOKEN_LENGTH)
