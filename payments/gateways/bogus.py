"""A card gateway for tests and demos that never touches the network (like Spree's Bogus).

Clients send a *test token*, never a card number, in `external_data.token`:

| token | result |
|---|---|
| `tok_visa` | success, Visa ending 4242 |
| `tok_mastercard` | success, Mastercard ending 4444 |
| `tok_amex` | success, American Express ending 0005 |
| `tok_declined` | declined: "Your card was declined." |
| `tok_insufficient_funds` | declined: "Your card has insufficient funds." |
| `tok_expired_card` | declined: "Your card has expired." |

Expiry and holder name come from `exp_month`, `exp_year`, `name` (defaults 12 / next year).
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.utils import timezone

from payments.gateways.base import CardDetails, Charge, GatewayDeclined, SessionState

CARDS = {
    "tok_visa": ("visa", "4242"),
    "tok_mastercard": ("master", "4444"),
    "tok_amex": ("american_express", "0005"),
}
DECLINES = {
    "tok_declined": "Your card was declined.",
    "tok_insufficient_funds": "Your card has insufficient funds.",
    "tok_expired_card": "Your card has expired.",
}


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _card(external_data: dict[str, Any]) -> CardDetails:
    token = external_data.get("token")
    if token in DECLINES:
        raise GatewayDeclined(DECLINES[token])
    if token not in CARDS:
        raise GatewayDeclined("Unknown test card token; see the README for the test tokens.")
    brand, last4 = CARDS[token]
    today = timezone.localdate()
    month = external_data.get("exp_month", 12)
    year = external_data.get("exp_year", today.year + 1)
    if not isinstance(month, int) or not isinstance(year, int) or not 1 <= month <= 12:
        raise GatewayDeclined("The card's expiry date is invalid.")
    if (year, month) < (today.year, today.month):
        raise GatewayDeclined(DECLINES["tok_expired_card"])
    name = external_data.get("name") if isinstance(external_data.get("name"), str) else ""
    return CardDetails(brand, last4, month, year, name[:200], _id("card"), _id("cus"))


class BogusGateway:
    def create_payment_session(self, *, amount, currency, external_data) -> SessionState:
        external_id = _id("bogus_pi")
        return SessionState(external_id, {}, client_secret=f"{external_id}_secret")

    def update_payment_session(self, *, external_id, amount, external_data) -> SessionState:
        return SessionState(external_id, {})

    def complete_payment_session(
        self, *, external_id, amount: Decimal, currency, external_data, saved_profile_id
    ) -> Charge:
        if saved_profile_id:
            return Charge(response_code=_id("ch"), captured=True)
        card = _card(external_data)
        return Charge(response_code=_id("ch"), captured=True, card=card)

    def create_setup_session(self, *, external_data) -> SessionState:
        external_id = _id("bogus_seti")
        return SessionState(external_id, {}, client_secret=f"{external_id}_secret")

    def complete_setup_session(self, *, external_id, external_data) -> CardDetails:
        return _card(external_data)

    def capture(self, *, response_code, amount) -> str:
        return response_code

    def void(self, *, response_code) -> str:
        return _id("void")

    def refund(self, *, response_code, amount) -> str:
        return _id("re")
