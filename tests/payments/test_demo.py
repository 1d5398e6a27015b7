"""seed_demo sets up the test gateway, the wallet, and store credit and a gift card for the
demo customer, once; the demo customer can pay with all of them through the API."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from payments.demo import DEMO_GIFT_CARD_CODE, seed_payments
from payments.models import GiftCard, PaymentMethod, StoreCredit, StoreCreditEvent
from tests.conftest import StoreClient
from tests.factories import UserFactory
from tests.orders.conftest import US_ADDRESS


def _seed() -> tuple[str, dict]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1])


def _rows() -> dict[str, list[dict]]:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (PaymentMethod, StoreCredit, StoreCreditEvent, GiftCard)
    }


def test_seed_demo_adds_the_gateways_and_the_demo_customers_balances(db):
    text, summary = _seed()

    bogus = PaymentMethod.objects.get(provider="bogus")
    wallet = PaymentMethod.objects.get(provider="wallet")
    assert summary["bogus_payment_method_id"] == bogus.public_id
    assert summary["wallet_payment_method_id"] == wallet.public_id
    assert summary["gift_card_code"] == DEMO_GIFT_CARD_CODE.upper() == "D0D0CAFE12345678"
    assert (bogus.session_required, bogus.is_active, wallet.session_required) == (True, True, True)
    user = User.objects.get(email="demo@example.com")
    credit = StoreCredit.objects.get(user=user)
    assert (credit.amount, credit.currency, credit.amount_used) == (
        Decimal("20.00"),
        "USD",
        Decimal("0.00"),
    )
    assert list(credit.events.values_list("action", "amount")) == [("allocation", Decimal("20.00"))]
    card = GiftCard.objects.get(code=DEMO_GIFT_CARD_CODE)
    assert (card.amount, card.currency, card.user, card.status) == (
        Decimal("25.00"),
        "USD",
        user,
        "active",
    )
    assert "Granted the demo customer 20.00 USD of store credit" in text


def test_seed_demo_twice_changes_nothing(db):
    _text, first = _seed()
    rows = _rows()

    _text, second = _seed()

    assert second == first
    assert _rows() == rows


def test_seed_payments_for_another_customer_keeps_the_shared_rows(db):
    first = seed_payments(user=UserFactory(), write=lambda _line: None)
    other = UserFactory()

    second = seed_payments(user=other, write=lambda _line: None)

    assert second == first
    assert PaymentMethod.objects.filter(provider__in=["bogus", "wallet"]).count() == 2
    assert StoreCredit.objects.get(user=other).amount == Decimal("20.00")
    assert GiftCard.objects.count() == 1


def test_the_demo_customer_pays_with_gift_card_store_credit_and_a_test_card(db):
    _text, summary = _seed()
    client = StoreClient(summary["publishable_key"])
    login = client.post(
        "/auth/login", {"email": summary["user_email"], "password": summary["user_password"]}
    )
    client.access_token = login.json()["token"]
    cart = client.post("/carts").json()
    client.post(f"/carts/{cart['id']}/items", {"variant_id": summary["variant_id"], "quantity": 2})
    cart = client.patch(
        f"/carts/{cart['id']}",
        {"email": summary["user_email"], "shipping_address": US_ADDRESS, "use_shipping": True},
    ).json()
    assert cart["total"] == "55.00", cart

    client.post(f"/carts/{cart['id']}/gift_cards", {"code": summary["gift_card_code"]})
    cart = client.post(f"/carts/{cart['id']}/store_credits").json()
    assert (cart["gift_card_total"], cart["store_credit_total"], cart["amount_due"]) == (
        "25.00",
        "20.00",
        "10.00",
    )
    session = client.post(
        f"/carts/{cart['id']}/payment_sessions",
        {"payment_method_id": summary["bogus_payment_method_id"]},
    ).json()
    paid = client.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"token": "tok_visa"}},
    )
    assert paid.json()["status"] == "completed", paid.json()
    order = client.post(f"/carts/{cart['id']}/complete")

    assert order.status_code == 200, order.json()
    assert order.json()["payment_status"] == "paid"
    me = client.get("/customers/me").json()
    assert me["available_store_credit_total"] == "0.00"
    [card] = client.get("/customers/me/gift_cards").json()["data"]
    assert (card["code"], card["status"], card["amount_remaining"]) == (
        "D0D0CAFE12345678",
        "redeemed",
        "0.00",
    )
