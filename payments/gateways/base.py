"""The gateway interface: what a payment provider module must do. A real provider (Stripe,
Adyen, PayPal) is one module implementing `Gateway`; the rest of the app never talks to it
directly. Gateways are called without any database row lock held (CONVENTIONS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

#: Keys that would carry raw card data, compared lower case without separators (so
#: `cardNumber`, `card-number` and `card_number` all match). Refused at the API, never stored.
SENSITIVE_KEYS = frozenset(
    {
        "number",
        "cardnumber",
        "ccnumber",
        "pan",
        "cvv",
        "cvc",
        "cvv2",
        "cvc2",
        "verificationvalue",
        "securitycode",
        "cardsecuritycode",
        "cardcvc",
        "cardcvv",
    }
)


class GatewayDeclined(Exception):
    """The provider refused (declined card, insufficient funds...). `message` is safe to show."""

    def __init__(self, message: str, code: str = "declined"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CardDetails:
    brand: str
    last4: str
    month: int
    year: int
    name: str
    gateway_payment_profile_id: str
    gateway_customer_profile_id: str = ""


@dataclass(frozen=True)
class WalletDetails:
    type: str
    label: str
    gateway_payment_profile_id: str


@dataclass(frozen=True)
class SessionState:
    external_id: str
    external_data: dict[str, Any] = field(default_factory=dict)
    client_secret: str = ""
    customer_external_id: str = ""


@dataclass(frozen=True)
class Charge:
    """A captured (or authorized) payment at the provider."""

    response_code: str
    captured: bool
    card: CardDetails | None = None
    wallet: WalletDetails | None = None


class Gateway(Protocol):
    def create_payment_session(
        self, *, amount: Decimal, currency: str, external_data: dict[str, Any]
    ) -> SessionState: ...

    def update_payment_session(
        self, *, external_id: str, amount: Decimal, external_data: dict[str, Any]
    ) -> SessionState: ...

    def complete_payment_session(
        self,
        *,
        external_id: str,
        amount: Decimal,
        currency: str,
        external_data: dict[str, Any],
        saved_profile_id: str | None,
    ) -> Charge: ...

    def create_setup_session(self, *, external_data: dict[str, Any]) -> SessionState: ...

    def complete_setup_session(
        self, *, external_id: str, external_data: dict[str, Any]
    ) -> CardDetails | WalletDetails: ...

    def capture(self, *, response_code: str, amount: Decimal) -> str: ...

    def void(self, *, response_code: str) -> str: ...

    def refund(self, *, response_code: str, amount: Decimal) -> str: ...
