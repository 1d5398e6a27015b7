"""Money: `Decimal` with the currency's minor units, formatted for display in one place."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision

# Formatting through babel costs tens of microseconds a call and a cart or product page makes
# dozens; the results depend only on their arguments, so they are memoized (bounded).


@lru_cache(maxsize=512)
def _exponent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-_precision(currency))


@lru_cache(maxsize=512)
def _precision(currency: str) -> int:
    return get_currency_precision(currency)


@lru_cache(maxsize=8192)
def _formatted(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=locale)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor units (2 for USD, 0 for JPY)."""
    return Decimal(amount).quantize(_exponent(currency), rounding=ROUND_HALF_UP)


def amount_string(amount: Decimal | None, currency: str) -> str | None:
    if amount is None:
        return None
    return str(quantize(amount, currency))


def display_money(amount: Decimal | None, currency: str, locale: str = "en_US") -> str | None:
    """Locale-formatted money, e.g. `$10.00`."""
    if amount is None:
        return None
    return _formatted(quantize(amount, currency), currency, locale)


def amount_in_cents(amount: Decimal | None, currency: str) -> int | None:
    """The amount in the currency's minor units (cents for USD, yen for JPY, fils for KWD)."""
    if amount is None:
        return None
    return int(quantize(amount, currency).scaleb(_precision(currency)))
