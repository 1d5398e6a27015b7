"""Requests, saved methods and database snapshots shared by the payments tests."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core import serializers as django_serializers

from orders.models import Order
from payments.gateways.base import CardDetails, WalletDetails
from payments.models import (
    CreditCard,
    GiftCard,
    Payment,
    PaymentMethod,
    PaymentSession,
    PaymentSetupSession,
    PaymentSource,
    StoreCredit,
    StoreCreditEvent,
)
from payments.services.saved import credit_card_save, payment_source_save
from storeapi.ids import decode_id
from tests.orders.conftest import US_ADDRESS

NOT_AUTHENTICATED = {
    "error": {"code": "authentication_required", "message": "Authentication required"}
}
NO_STORE_CREDIT = {
    "error": {
        "code": "processing_error",
        "message": "User does not have any Store Credits available",
    }
}
GIFT_CARD_NOT_FOUND = {
    "error": {"code": "gift_card_not_found", "message": "The Gift Card was not found."}
}
REFUSED_CARD_DATA = {"external_data": ["must not contain card numbers or security codes"]}


def not_found(message: str) -> dict[str, Any]:
    return {"error": {"code": "record_not_found", "message": message}}


def token_of(cart: dict[str, Any]) -> dict[str, str]:
    return {"HTTP_X_SPREE_TOKEN": cart["token"]}


def order_of(cart: dict[str, Any]) -> Order:
    return Order.objects.get(pk=decode_id(cart["id"], ("cart", "or")))


def ready_cart(
    client, variant, *, quantity: int = 4, email: str = "ada@example.com", **headers
) -> dict[str, Any]:
    """A cart with `quantity` items, an email and a US address, at the payment step. With the
    shop of tests/orders/conftest.py and 4 mugs: 50.00 + 5.00 ground delivery = 55.00."""
    response = client.post("/carts", **headers)
    assert response.status_code == 201, response.json()
    cart = response.json()
    response = client.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": variant.public_id, "quantity": quantity},
        **token_of(cart),
    )
    assert response.status_code == 201, response.json()
    response = client.patch(
        f"/carts/{cart['id']}",
        {"email": email, "shipping_address": US_ADDRESS, "use_shipping": True},
        **token_of(cart),
    )
    assert response.status_code == 200, response.json()
    cart = response.json()
    assert cart["current_step"] == "payment", cart
    return cart


def save_card(
    user, method: PaymentMethod, *, last4: str = "4242", brand: str = "visa"
) -> CreditCard:
    return credit_card_save(
        user=user,
        method=method,
        card=CardDetails(brand, last4, 12, 2040, "Ada L", f"card_{last4}_{user.pk}"),
    )


def save_source(user, method: PaymentMethod, *, label: str = "PayPal (a***@example.com)"):
    return payment_source_save(
        user=user,
        method=method,
        wallet=WalletDetails("paypal", label, f"ba_{label}_{user.pk}"),
    )


def defaults_of(model, user) -> list[int]:
    return list(model.objects.filter(user=user, is_default=True).values_list("pk", flat=True))


def payments_snapshot() -> str:
    """Every payments row as JSON, to prove what is (and is not) stored."""
    rows = [
        *CreditCard.objects.all(),
        *PaymentSource.objects.all(),
        *PaymentSession.objects.all(),
        *PaymentSetupSession.objects.all(),
        *Payment.objects.all(),
        *StoreCredit.objects.all(),
        *StoreCreditEvent.objects.all(),
        *GiftCard.objects.all(),
    ]
    return django_serializers.serialize("json", rows)


def snapshot_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            CreditCard,
            PaymentSource,
            PaymentSession,
            PaymentSetupSession,
            Payment,
            StoreCreditEvent,
        )
    }


def balances(obj) -> tuple[Decimal, Decimal, Decimal]:
    obj.refresh_from_db()
    return obj.amount, obj.amount_used, obj.amount_authorized


def as_json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)
