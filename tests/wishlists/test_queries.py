"""Query bounds: a page of wishlists with their items (and products) costs the same number of
queries for 1 list as for 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.wishlists.helpers import WISHLISTS
from wishlists.models import Wishlist, WishlistItem

# Session + user, count, page, items, variants, prices, option values, option types, stock.
LIST_WITH_ITEMS_QUERIES = 9
# ... plus products, their variants and those variants' prices, option values, option types,
# stock, and the products' option types.
LIST_WITH_PRODUCTS_QUERIES = 16


def _fill(user, variants, lists: int) -> None:
    start = Wishlist.objects.filter(user=user).count()
    for index in range(start, start + lists):
        wishlist = Wishlist.objects.create(
            user=user, name=f"List {index}", is_default=index == 0, is_private=False
        )
        for name in ("mug", "tee_s", "tee_m"):
            WishlistItem.objects.create(wishlist=wishlist, variant=variants[name], quantity=2)


def _queries(client, path, params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.parametrize("lists", [1, 20])
def test_list_with_items_runs_a_fixed_number_of_queries(
    customer_api, customer, variants, lists, django_assert_num_queries
):
    _fill(customer, variants, lists)
    customer_api.get(WISHLISTS)  # caches the publishable key

    with django_assert_num_queries(LIST_WITH_ITEMS_QUERIES):
        response = customer_api.get(WISHLISTS, {"expand": "items"})

    data = response.json()["data"]
    assert len(data) == lists
    assert all(len(wishlist["items"]) == 3 for wishlist in data)


@pytest.mark.parametrize("lists", [1, 20])
def test_list_with_items_and_products_runs_a_fixed_number_of_queries(
    customer_api, customer, variants, lists, django_assert_num_queries
):
    _fill(customer, variants, lists)
    customer_api.get(WISHLISTS)

    with django_assert_num_queries(LIST_WITH_PRODUCTS_QUERIES):
        response = customer_api.get(WISHLISTS, {"expand": "items.product"})

    data = response.json()["data"]
    assert len(data) == lists
    assert all(item["product"]["name"] for wishlist in data for item in wishlist["items"])


def test_list_with_items_costs_the_same_for_1_and_20_lists(customer_api, customer, variants):
    _fill(customer, variants, 1)
    customer_api.get(WISHLISTS)
    one, _ = _queries(customer_api, WISHLISTS, {"expand": "items"})
    _fill(customer, variants, 19)

    twenty, body = _queries(customer_api, WISHLISTS, {"expand": "items"})

    assert len(body["data"]) == 20
    assert twenty == one


def test_shared_wishlist_costs_the_same_for_1_and_3_items(api, customer, variants):
    small = Wishlist.objects.create(user=customer, name="Small", is_private=False)
    # A variant with option values, so that no prefetch is skipped for having nothing to fetch.
    WishlistItem.objects.create(wishlist=small, variant=variants["tee_s"])
    large = Wishlist.objects.create(user=customer, name="Large", is_private=False)
    for name in ("mug", "tee_s", "tee_m"):
        WishlistItem.objects.create(wishlist=large, variant=variants[name])
    api.get(f"/shared_wishlists/{small.token}")

    one, _ = _queries(api, f"/shared_wishlists/{small.token}", {"expand": "items.product"})
    three, body = _queries(api, f"/shared_wishlists/{large.token}", {"expand": "items.product"})

    assert len(body["items"]) == 3
    assert three == one
