"""Every list endpoint of payments costs the same number of queries for 1 row as for 20."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payments.services.balances import gift_card_create, store_credit_grant
from tests.payments.helpers import save_card, save_source

#: The JWT's session (with its user), the API key and its last use, the page count, the rows.
QUERY_BOUND = 5
ROWS = [1, 20]


@pytest.mark.parametrize("rows", ROWS)
def test_credit_cards_list(customer_api, customer, bogus, rows, django_assert_max_num_queries):
    for index in range(rows):
        save_card(customer, bogus, last4=f"{index:04d}")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = customer_api.get("/customers/me/credit_cards", {"limit": 25})

    assert len(response.json()["data"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_payment_sources_list(customer_api, customer, wallet, rows, django_assert_max_num_queries):
    for index in range(rows):
        save_source(customer, wallet, label=f"PayPal {index}")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = customer_api.get("/customers/me/payment_sources", {"limit": 25})

    assert len(response.json()["data"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_store_credits_list(customer_api, customer, rows, django_assert_max_num_queries):
    for _ in range(rows):
        store_credit_grant(user=customer, amount=Decimal("5"), currency="USD")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = customer_api.get("/customers/me/store_credits", {"limit": 25})

    assert len(response.json()["data"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_gift_cards_list(customer_api, customer, rows, django_assert_max_num_queries):
    for _ in range(rows):
        gift_card_create(amount=Decimal("5"), currency="USD", user=customer)

    with django_assert_max_num_queries(QUERY_BOUND):
        response = customer_api.get("/customers/me/gift_cards", {"limit": 25})

    assert len(response.json()["data"]) == rows
