"""Completed orders: the guest or customer lookup (GET /orders/:id, STORE_API.md §1.5) and the
customer's order history (GET /customers/me/orders[/:id])."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orders.models import Order
from storeapi.ids import encode_id
from tests.orders.helpers import (
    AUTHENTICATION_REQUIRED,
    ORDER_NOT_FOUND,
    complete,
    create_cart,
    place_order,
    ready_cart,
    token_of,
)

HISTORY = "/customers/me/orders"


@pytest.fixture
def guest_order(api, shop):
    """(cart JSON with its token, order JSON) of a completed guest checkout."""
    cart = ready_cart(api, shop, quantity=2)
    order = complete(api, cart).json()
    return cart, order


# --- GET /orders/:id ------------------------------------------------------------------------------


def test_a_guest_looks_their_order_up_with_the_token(api, shop, guest_order):
    cart, order = guest_order

    response = api.get(f"/orders/{order['id']}", **token_of(cart))

    assert response.status_code == 200
    assert response.json() == order
    assert "token" not in response.json()


def test_the_seed_order_token_header_also_finds_the_order(api, shop, guest_order):
    cart, order = guest_order

    response = api.get(f"/orders/{order['id']}", HTTP_X_SPREE_ORDER_TOKEN=cart["token"])

    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_X_SPREE_TOKEN": "wrong"}, {"HTTP_X_SPREE_TOKEN": ""}],
    ids=["no token", "wrong token", "empty token"],
)
def test_without_the_right_token_a_guest_order_is_not_found(api, shop, guest_order, headers):
    _cart, order = guest_order

    response = api.get(f"/orders/{order['id']}", **headers)

    assert response.status_code == 404
    assert response.json() == ORDER_NOT_FOUND


def test_a_signed_in_customer_cannot_open_a_guest_order_even_with_its_token(
    customer_api, shop, guest_order
):
    cart, order = guest_order

    response = customer_api.get(f"/orders/{order['id']}", **token_of(cart))

    assert response.status_code == 404
    assert response.json() == ORDER_NOT_FOUND


def test_an_incomplete_cart_is_not_an_order(api, shop):
    cart = ready_cart(api, shop)

    for order_id in (cart["id"], cart["id"].replace("cart_", "or_")):
        response = api.get(f"/orders/{order_id}", **token_of(cart))

        assert response.status_code == 404
        assert response.json() == ORDER_NOT_FOUND


@pytest.mark.parametrize(
    "order_id",
    [encode_id("or", 999_999), "or_", "R123456789", "or_!!", "or_" + "0" * 40],
    ids=["unknown", "empty", "number", "garbage", "undecodable"],
)
def test_unknown_order_ids_are_not_found(api, shop, order_id):
    response = api.get(f"/orders/{order_id}", HTTP_X_SPREE_TOKEN="anything")

    assert response.status_code == 404
    assert response.json() == ORDER_NOT_FOUND


def test_an_id_with_another_models_prefix_is_not_an_order(api, shop, guest_order):
    cart, order = guest_order
    pk = Order.objects.get(number=order["number"]).pk

    response = api.get(f"/orders/{encode_id('addr', pk)}", **token_of(cart))

    assert response.status_code == 404
    assert response.json() == ORDER_NOT_FOUND


def test_a_customer_opens_their_own_order_with_the_jwt(customer_api, customer, shop):
    order = place_order(shop, user=customer)

    response = customer_api.get(f"/orders/{order.order_id}")

    assert response.status_code == 200
    assert response.json()["number"] == order.number


def test_a_customers_order_also_opens_with_its_token_alone(api, customer, shop):
    order = place_order(shop, user=customer)

    response = api.get(f"/orders/{order.order_id}", HTTP_X_SPREE_TOKEN=order.token)

    assert response.status_code == 200


def test_another_customers_order_is_not_found(customer_api, other_customer, shop):
    theirs = place_order(shop, user=other_customer)

    response = customer_api.get(f"/orders/{theirs.order_id}")

    assert response.status_code == 404
    assert response.json() == ORDER_NOT_FOUND


def test_the_order_shape_has_every_total_and_relation(api, shop, guest_order):
    _cart, order = guest_order

    assert order["email"] == "guest@example.com"
    assert order["currency"] == "USD"
    assert order["total_quantity"] == 2
    assert (order["item_total"], order["delivery_total"], order["total"]) == (
        "25.00",
        "5.00",
        "30.00",
    )
    assert order["display_total"] == "$30.00"
    assert order["covered_by_store_credit"] is False
    assert [i["quantity"] for i in order["items"]] == [2]
    assert [f["delivery_method"]["name"] for f in order["fulfillments"]] == ["Ground"]
    assert order["shipping_address"]["city"] == "New York"
    assert order["billing_address"]["city"] == "New York"
    assert (order["market_id"], order["channel_id"], order["gift_card"]) == (None, None, None)


# --- GET /customers/me/orders --------------------------------------------------------------------


def test_order_history_needs_a_jwt(api, shop):
    for path in (HISTORY, f"{HISTORY}/{encode_id('or', 1)}"):
        response = api.get(path)

        assert response.status_code == 401
        assert response.json() == AUTHENTICATION_REQUIRED


def test_history_lists_only_the_customers_completed_orders_newest_first(
    customer_api, customer, other_customer, shop
):
    first = place_order(shop, user=customer)
    second = place_order(shop, user=customer)
    place_order(shop, user=other_customer)
    place_order(shop)
    create_cart(customer_api)  # an open cart is not an order

    response = customer_api.get(HISTORY)

    assert response.status_code == 200
    body = response.json()
    assert [o["number"] for o in body["data"]] == [second.number, first.number]
    assert body["meta"] == {
        "page": 1,
        "limit": 25,
        "count": 2,
        "pages": 1,
        "from": 1,
        "to": 2,
        "in": 2,
        "previous": None,
        "next": None,
    }
    assert all(o["id"].startswith("or_") for o in body["data"])


@pytest.fixture
def history(customer, shop):
    """Three orders of the customer with known totals, numbers and completion times."""
    orders = [place_order(shop, user=customer, quantity=q) for q in (2, 1, 3)]
    times = [datetime(2026, 1, d, 12, tzinfo=UTC) for d in (10, 20, 15)]
    numbers = ["R000000002", "R000000003", "R000000001"]
    for order, completed_at, number in zip(orders, times, numbers, strict=True):
        Order.objects.filter(pk=order.pk).update(completed_at=completed_at, number=number)
    # totals: 2 x 12.50 + 5 = 30.00, 1 x 12.50 + 5 = 17.50, 3 x 12.50 + 5 = 42.50
    return orders


def _numbers(client, **params) -> list[str]:
    response = client.get(HISTORY, params)
    assert response.status_code == 200, response.json()
    return [o["number"] for o in response.json()["data"]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("completed_at", ["R000000002", "R000000001", "R000000003"]),
        ("-completed_at", ["R000000003", "R000000001", "R000000002"]),
        ("total", ["R000000003", "R000000002", "R000000001"]),
        ("-total", ["R000000001", "R000000002", "R000000003"]),
        ("number", ["R000000001", "R000000002", "R000000003"]),
        ("-number", ["R000000003", "R000000002", "R000000001"]),
    ],
)
def test_history_sorts(customer_api, history, sort, expected):
    assert _numbers(customer_api, sort=sort) == expected


def test_history_filters_by_number(customer_api, history):
    assert _numbers(customer_api, **{"q[number_eq]": "R000000002"}) == ["R000000002"]


def test_history_filters_by_minimum_total(customer_api, history):
    numbers = _numbers(customer_api, **{"q[total_gteq]": "30", "sort": "total"})

    assert numbers == ["R000000002", "R000000001"]


def test_history_filters_by_completion_time(customer_api, history):
    numbers = _numbers(
        customer_api, **{"q[completed_at_gt]": "2026-01-12T00:00:00Z", "sort": "completed_at"}
    )

    assert numbers == ["R000000001", "R000000003"]


def test_history_ignores_unknown_filters(customer_api, history):
    assert len(_numbers(customer_api, **{"q[token_eq]": "x", "q[nope_eq]": "1"})) == 3


def test_a_filter_value_of_the_wrong_type_is_a_bad_request(customer_api, history):
    response = customer_api.get(HISTORY, {"q[total_gteq]": "lots"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_history_paginates(customer_api, history):
    response = customer_api.get(HISTORY, {"limit": 2, "page": 2, "sort": "number"})

    body = response.json()
    assert [o["number"] for o in body["data"]] == ["R000000003"]
    assert body["meta"] == {
        "page": 2,
        "limit": 2,
        "count": 3,
        "pages": 2,
        "from": 3,
        "to": 3,
        "in": 1,
        "previous": 1,
        "next": None,
    }


def test_one_order_of_the_history(customer_api, customer, shop):
    order = place_order(shop, user=customer, quantity=2)

    response = customer_api.get(f"{HISTORY}/{order.order_id}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["number"], body["total"]) == (order.order_id, order.number, "30.00")
    assert body["completed_at"] is not None
    assert Decimal(body["amount_due"]) == Decimal("30.00")


def test_another_customers_order_or_a_cart_is_not_in_the_history(
    customer_api, customer, other_customer, shop
):
    theirs = place_order(shop, user=other_customer)
    cart = create_cart(customer_api)

    for order_id in (theirs.order_id, cart["id"], encode_id("or", 999_999), "nonsense"):
        response = customer_api.get(f"{HISTORY}/{order_id}")

        assert response.status_code == 404
        assert response.json() == ORDER_NOT_FOUND


def test_history_dates_are_iso_8601(customer_api, customer, shop):
    order = place_order(shop, user=customer)
    completed = datetime.now(UTC) - timedelta(days=1)
    Order.objects.filter(pk=order.pk).update(completed_at=completed)

    body = customer_api.get(HISTORY).json()

    assert datetime.fromisoformat(body["data"][0]["completed_at"]) == completed
