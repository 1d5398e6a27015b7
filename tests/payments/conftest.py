"""Payments fixtures: the shop of the orders tests plus the two test gateways."""

import pytest

from payments.models import PaymentMethod
from tests.orders.conftest import shop  # noqa: F401  (the same shop to check out in)


@pytest.fixture
def bogus(db) -> PaymentMethod:
    """The test card gateway (payments/gateways/bogus.py), session required as a card is."""
    return PaymentMethod.objects.create(
        name="Card", provider=PaymentMethod.BOGUS, session_required=True, position=1
    )


@pytest.fixture
def wallet(db) -> PaymentMethod:
    """The test PayPal-like wallet (payments/gateways/wallet.py)."""
    return PaymentMethod.objects.create(
        name="Wallet", provider=PaymentMethod.WALLET, session_required=True, position=2
    )
