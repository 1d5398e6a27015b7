"""Staff screens of payments open (list, search, add, change) with data in them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from payments.models import (
    CreditCard,
    GiftCard,
    GiftCardBatch,
    Payment,
    PaymentMethod,
    PaymentSource,
    StoreCredit,
    StoreCreditCategory,
)
from payments.services.balances import gift_card_batch_generate, store_credit_grant
from tests.payments.helpers import ready_cart, save_card, save_source


@pytest.fixture
def staff(db) -> Client:
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def data(customer_api, customer, bogus, wallet, shop):
    cart = ready_cart(customer_api, shop["variant"])
    customer_api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": shop["check"].public_id}
    )
    save_card(customer, bogus)
    save_source(customer, wallet)
    store_credit_grant(user=customer, amount=Decimal("20"), currency="USD")
    gift_card_batch_generate(name="Spring", codes_count=2, amount=Decimal("10"), currency="USD")


MODELS = [
    ("paymentmethod", PaymentMethod),
    ("payment", Payment),
    ("creditcard", CreditCard),
    ("paymentsource", PaymentSource),
    ("storecreditcategory", StoreCreditCategory),
    ("storecredit", StoreCredit),
    ("giftcard", GiftCard),
    ("giftcardbatch", GiftCardBatch),
]


@pytest.mark.parametrize(("name", "model"), MODELS)
def test_changelist_and_change_pages_open(staff, data, name, model):
    listed = staff.get(f"/admin/payments/{name}/")
    change = staff.get(f"/admin/payments/{name}/{model.objects.first().pk}/change/")

    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == model.objects.count() > 0
    assert change.status_code == 200


@pytest.mark.parametrize(
    "name",
    ["paymentmethod", "storecreditcategory", "storecredit", "giftcard", "giftcardbatch"],
)
def test_add_pages_open(staff, name):
    assert staff.get(f"/admin/payments/{name}/add/").status_code == 200


@pytest.mark.parametrize("name", ["payment", "creditcard", "paymentsource"])
def test_records_made_by_checkouts_cannot_be_added_by_hand(staff, name):
    assert staff.get(f"/admin/payments/{name}/add/").status_code == 403


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("payment", "ada@example.com"),
        ("creditcard", "4242"),
        ("paymentsource", "PayPal"),
        ("storecredit", "ada@"),
        ("giftcard", "ada"),
    ],
)
def test_searches_answer(staff, data, name, query):
    assert staff.get(f"/admin/payments/{name}/", {"q": query}).status_code == 200


def test_a_gift_card_is_found_by_its_code(staff, data):
    card = GiftCard.objects.first()

    response = staff.get("/admin/payments/giftcard/", {"q": card.code})

    assert list(response.context["cl"].result_list) == [card]


def test_store_credits_cannot_be_deleted(staff, data):
    credit = StoreCredit.objects.get()

    assert staff.get(f"/admin/payments/storecredit/{credit.pk}/delete/").status_code == 403


def test_customers_see_no_admin(customer):
    client = Client()
    client.force_login(customer)

    response = client.get("/admin/payments/storecredit/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
