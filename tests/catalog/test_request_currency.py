"""storeapi.http.request_currency: the header, then ?currency=, only if the store sells in it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from storeapi.http import request_currency
from tests.factories import PriceFactory


@pytest.fixture
def euro_price(db):
    return PriceFactory(currency="EUR")


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({}, "", "USD"),
        ({"HTTP_X_SPREE_CURRENCY": "EUR"}, "", "EUR"),
        ({"HTTP_X_SPREE_CURRENCY": " eur "}, "", "EUR"),
        ({}, "?currency=eur", "EUR"),
        ({"HTTP_X_SPREE_CURRENCY": "USD"}, "?currency=EUR", "USD"),
        ({"HTTP_X_SPREE_CURRENCY": "GBP"}, "", "USD"),
        ({"HTTP_X_SPREE_CURRENCY": "euros"}, "", "USD"),
        ({}, "?currency=", "USD"),
    ],
)
def test_request_currency(euro_price, headers, query, expected):
    request = RequestFactory().get(f"/api/v3/store/products{query}", **headers)

    assert request_currency(request) == expected


def test_request_currency_is_worked_out_once_per_request(euro_price, django_assert_num_queries):
    request = RequestFactory().get("/", HTTP_X_SPREE_CURRENCY="EUR")

    with django_assert_num_queries(1):
        assert request_currency(request) == "EUR"
        assert request_currency(request) == "EUR"


def test_the_store_currency_costs_no_query(db, settings, django_assert_num_queries):
    settings.STORE_CURRENCY = "EUR"
    request = RequestFactory().get("/", HTTP_X_SPREE_CURRENCY="eur")

    with django_assert_num_queries(0):
        assert request_currency(request) == "EUR"
