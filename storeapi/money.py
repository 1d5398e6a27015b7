"""Money: `Decimal` with the currency's minor units, formatted for display in one place."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor units (2 for USD, 0 for JPY)."""
    exponent = Decimal(1).scaleb(-get_currency_precision(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def amount_string(amount: Decimal | None, currency: str) -> str | None:
    if amount is None:
        return None
    return str(quantize(amount, currency))


def display_money(amount: Decimal | None, currency: str, locale: str = "en_US") -> str | None:
    """Locale-formatted money, e.g. `$10.00`."""
    if amount is None:
        return None
    return format_currency(quantize(amount, currency), currency, locale=locale)


def amount_in_cents(amount: Decimal | None, currency: str) -> int | None:
    """The amount in the currency's minor units (cents for USD, yen for JPY, fils for KWD)."""
    if amount is None:
        return None
    return int(quantize(amount, currency).scaleb(get_currency_precision(currency)))
