"""A PayPal-like wallet for tests and demos that never touches the network.

Setup and payment sessions complete with `external_data.email` (the wallet account); the email
`declined@example.com` is refused. A completed setup saves a payment source of type `paypal`.
"""

from __future__ import annotations

import secrets
from typing import Any

from payments.gateways.base import Charge, GatewayDeclined, SessionState, WalletDetails


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _mask(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _wallet(external_data: dict[str, Any]) -> WalletDetails:
    email = external_data.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise GatewayDeclined("The wallet account email is missing.")
    if email.lower() == "declined@example.com":
        raise GatewayDeclined("The wallet refused the payment.")
    return WalletDetails("paypal", f"PayPal ({_mask(email)})", _id("ba"))


class WalletGateway:
    def create_payment_session(self, *, amount, currency, external_data) -> SessionState:
        external_id = _id("wallet_order")
        return SessionState(external_id, {"approve_url": f"https://wallet.invalid/{external_id}"})

    def update_payment_session(self, *, external_id, amount, external_data) -> SessionState:
        return SessionState(external_id, {})

    def complete_payment_session(
        self, *, external_id, amount, currency, external_data, saved_profile_id
    ) -> Charge:
        if saved_profile_id:
            return Charge(response_code=_id("cap"), captured=True)
        return Charge(response_code=_id("cap"), captured=True, wallet=_wallet(external_data))

    def create_setup_session(self, *, external_data) -> SessionState:
        return SessionState(_id("wallet_setup"), {})

    def complete_setup_session(self, *, external_id, external_data) -> WalletDetails:
        return _wallet(external_data)

    def capture(self, *, response_code, amount) -> str:
        return response_code

    def void(self, *, response_code) -> str:
        return _id("void")

    def refund(self, *, response_code, amount) -> str:
        return _id("ref")
