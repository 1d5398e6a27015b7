"""A cart and the order history are a fixed number of queries, whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import StockItem
from storeapi import settings_cache
from tests.orders.conftest import make_variant
from tests.orders.helpers import (
    US_ADDRESS,
    add_item,
    addressed_cart,
    complete,
    create_cart,
    pay,
    place_order,
    token_of,
)

#: Measured 7 (cart: the order, its addresses, items with their fulfillment items, option
#: values, stock, fulfillments with their rates, payments with their methods; the payment
#: methods it lists are in the process's copy, storeapi/settings_cache.py), 14 (history) and
#: 12 (carts list) on both databases; a little headroom for new relations in the lists, far
#: below what one query per row would add.
CART_MAX_QUERIES = 7
#: The first cart answer of a process (once per SHOP_SETTINGS_CACHE_SECONDS) also reads the
#: payment methods.
CART_COLD_MAX_QUERIES = 8
HISTORY_MAX_QUERIES = 15
CART_LIST_MAX_QUERIES = 14
#: Adding a variant not yet in an addressed, paid cart: 19 on PostgreSQL (the cart locked with its
#: addresses, the access checked on it, the loaded cart, the variant with its price, option values
#: and stock, the new line, rebuilding the fulfillment: the old one deleted, the new one with its
#: items and rates in one statement, numbered in its INSERT; the totals; the delivery methods,
#: stock locations and tax rates are in the process's copy), fewer on SQLite.
ADD_ITEM_MAX_QUERIES = 19
#: Elsewhere (SQLite) a fulfillment, its items and its rates are three INSERTs, not one.
FULFILLMENT_INSERTS = 0 if connection.vendor == "postgresql" else 2


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code in (200, 201), response.json()
    return len(context.captured_queries)


def _cart_with_items(api, shop, count: int) -> dict:
    cart = addressed_cart(api, shop["variant"])
    for index in range(count - 1):
        add_item(api, cart, make_variant(name=f"Item {count}-{index}"), 2)
    pay(api, cart, shop["check"])
    return cart


@pytest.mark.parametrize("count", [1, 20])
def test_a_cart_is_a_fixed_number_of_queries(api, shop, count, django_assert_max_num_queries):
    cart = _cart_with_items(api, shop, count)

    with django_assert_max_num_queries(CART_MAX_QUERIES):
        response = api.get(f"/carts/{cart['id']}", **token_of(cart))

    assert len(response.json()["items"]) == count


def test_a_cart_read_first_in_its_process_also_reads_the_payment_methods(
    api, shop, django_assert_max_num_queries
):
    cart = _cart_with_items(api, shop, 1)
    settings_cache.clear()

    with django_assert_max_num_queries(CART_COLD_MAX_QUERIES):
        response = api.get(f"/carts/{cart['id']}", **token_of(cart))

    assert [m["id"] for m in response.json()["payment_methods"]] == [shop["check"].public_id]


def test_twenty_items_cost_no_more_queries_than_one(api, shop):
    small, large = _cart_with_items(api, shop, 1), _cart_with_items(api, shop, 20)

    one = _queries(lambda: api.get(f"/carts/{small['id']}", **token_of(small)))
    twenty = _queries(lambda: api.get(f"/carts/{large['id']}", **token_of(large)))

    assert twenty == one


def _add(api, cart, variant):
    body = {"variant_id": variant.public_id, "quantity": 1}
    return api.post(f"/carts/{cart['id']}/items", body, **token_of(cart))


@pytest.mark.parametrize("count", [1, 20])
def test_adding_an_item_is_a_fixed_number_of_queries(
    api, shop, count, django_assert_max_num_queries
):
    cart = _cart_with_items(api, shop, count)
    variant = make_variant(name="One more")

    with django_assert_max_num_queries(ADD_ITEM_MAX_QUERIES + FULFILLMENT_INSERTS):
        response = _add(api, cart, variant)

    assert response.status_code == 201
    assert len(response.json()["items"]) == count + 1


def test_adding_to_twenty_items_costs_no_more_queries_than_to_one(api, shop):
    small, large = _cart_with_items(api, shop, 1), _cart_with_items(api, shop, 20)
    new_for_small, new_for_large = make_variant(name="New small"), make_variant(name="New large")

    one = _queries(lambda: _add(api, small, new_for_small))
    twenty = _queries(lambda: _add(api, large, new_for_large))
    more_of_one = _queries(lambda: _add(api, small, shop["variant"]))
    more_of_twenty = _queries(lambda: _add(api, large, shop["variant"]))

    assert twenty == one
    assert more_of_twenty == more_of_one <= one


@pytest.mark.parametrize("count", [1, 25])
def test_the_order_history_is_a_fixed_number_of_queries(
    customer_api, customer, shop, count, django_assert_max_num_queries
):
    StockItem.objects.update(count_on_hand=1000)
    for _ in range(count):
        place_order(shop, user=customer)

    with django_assert_max_num_queries(HISTORY_MAX_QUERIES):
        response = customer_api.get("/customers/me/orders")

    assert response.json()["meta"]["in"] == count


def test_twenty_five_orders_cost_no_more_queries_than_one(customer_api, customer, shop):
    StockItem.objects.update(count_on_hand=1000)
    place_order(shop, user=customer)
    customer_api.get("/customers/me")  # the first request of a key also records its use
    one = _queries(lambda: customer_api.get("/customers/me/orders"))
    for _ in range(24):
        place_order(shop, user=customer)

    twenty_five = _queries(lambda: customer_api.get("/customers/me/orders"))

    assert twenty_five == one


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_of_open_carts_is_a_fixed_number_of_queries(
    customer_api, shop, count, django_assert_max_num_queries
):
    for _ in range(count):
        addressed_cart(customer_api, shop["variant"])

    with django_assert_max_num_queries(CART_LIST_MAX_QUERIES):
        response = customer_api.get("/carts")

    assert response.json()["meta"]["in"] == count


def test_one_order_by_token_is_a_fixed_number_of_queries(api, shop, django_assert_max_num_queries):
    StockItem.objects.update(count_on_hand=1000)
    order = place_order(shop, quantity=3)

    with django_assert_max_num_queries(HISTORY_MAX_QUERIES):
        response = api.get(f"/orders/{order.order_id}", HTTP_X_SPREE_TOKEN=order.token)

    assert response.status_code == 200


#: Each request of a guest checkout on PostgreSQL (fewer on SQLite, which has no row locks), the
#: shop's settings already in the process's copy (storeapi/settings_cache.py). The cart is not
#: read before its lock: the access is checked on the locked row; the lock timeout is the
#: connection's (DB_LOCK_TIMEOUT), set once at connect. Adding the first item 11 (the cart
#: locked, the loaded cart, the variant's price, option values and stock, the line, the totals);
#: email and shipping address 11 (also the address, the fulfillment with its items and rates in
#: one statement, numbered in its INSERT); the Check payment 8 (the lock reads the addresses; the
#: payment is numbered in its INSERT); completing 16 (the cart locked with its addresses, the
#: loaded cart with its fulfillment items, the payment, the stock rows locked, the order and its
#: addresses, the confirmation email's outbox row).
CHECKOUT_MAX_QUERIES = {"item": 11, "address": 11, "payment": 8, "complete": 16}
#: Each request the first of its process to read the settings (once per
#: SHOP_SETTINGS_CACHE_SECONDS): the payment methods (every cart answer lists them); with the
#: address, the country, the delivery methods with their zones, the zones' members, the tax
#: rates and the stock locations; with the payment, the members and tax rates again.
CHECKOUT_COLD_MAX_QUERIES = {"item": 12, "address": 17, "payment": 11, "complete": 16}


def _bounds(bounds: dict[str, int]):
    return {**bounds, "address": bounds["address"] + FULFILLMENT_INSERTS}.items()


def _guest_checkout(api, shop, *, before_each_step=lambda: None) -> dict[str, int]:
    cart = create_cart(api)
    item = {"variant_id": shop["variant"].public_id, "quantity": 2}
    address = {"email": "guest@example.com", "shipping_address": US_ADDRESS, "use_shipping": True}
    payment = {"payment_method_id": shop["check"].public_id}
    path = f"/carts/{cart['id']}"
    steps = {
        "item": lambda: api.post(f"{path}/items", item, **token_of(cart)),
        "address": lambda: api.patch(path, address, **token_of(cart)),
        "payment": lambda: api.post(f"{path}/payments", payment, **token_of(cart)),
        "complete": lambda: complete(api, cart),
    }
    counts = {}
    for step, call in steps.items():
        before_each_step()
        counts[step] = _queries(call)
    return counts


def test_the_guest_checkout_is_a_fixed_number_of_queries_per_request(api, shop):
    _guest_checkout(api, shop)  # the process has read the shop's settings

    counts = _guest_checkout(api, shop)

    assert all(counts[step] <= bound for step, bound in _bounds(CHECKOUT_MAX_QUERIES)), counts


def test_the_guest_checkout_reading_the_shops_settings_each_time(api, shop):
    counts = _guest_checkout(api, shop, before_each_step=settings_cache.clear)

    assert all(counts[step] <= bound for step, bound in _bounds(CHECKOUT_COLD_MAX_QUERIES)), counts


#: PATCH /carts/:id with `items`: the upsert works on the cart loaded once, as the item routes
#: do. Each variant not yet in the cart costs its price, its option values and stock, and its
#: line (4); each one already in it its price (still purchasable?) and its new quantity (2).
#: Before, through the ORM on an unloaded cart: 9 per new entry.
UPSERT_NEW_ITEM_QUERIES = 4
UPSERT_EXISTING_ITEM_QUERIES = 2


def _upsert(api, cart, variants, quantity: int):
    body = {"items": [{"variant_id": v.public_id, "quantity": quantity} for v in variants]}
    return api.patch(f"/carts/{cart['id']}", body, **token_of(cart))


def test_upserting_items_costs_a_few_queries_per_entry(api, shop):
    variants = [make_variant(name=f"Upsert {n}") for n in range(5)]
    one_cart, five_cart = create_cart(api), create_cart(api)

    one = _queries(lambda: _upsert(api, one_cart, variants[:1], 1))
    five = _queries(lambda: _upsert(api, five_cart, variants, 1))
    assert five - one <= 4 * UPSERT_NEW_ITEM_QUERIES, (one, five)

    one_again = _queries(lambda: _upsert(api, one_cart, variants[:1], 3))
    five_again = _queries(lambda: _upsert(api, five_cart, variants, 3))
    assert five_again - one_again <= 4 * UPSERT_EXISTING_ITEM_QUERIES, (one_again, five_again)
    assert [i["quantity"] for i in _upsert(api, five_cart, variants, 3).json()["items"]] == [3] * 5
