"""Cart items: add, change and remove, with every bad quantity and stock refusal."""

import pytest

from catalog.models import Price, Product, StockItem
from orders.models import LineItem
from storeapi.ids import encode_id
from tests.orders.conftest import make_variant
from tests.orders.helpers import add_item, create_cart, order_of, snapshot, token_of

INVALID_QUANTITY = {
    "error": {
        "code": "invalid_quantity",
        "message": "Quantity must be a whole number between 1 and 10000",
    }
}
VARIANT_NOT_FOUND = {"error": {"code": "variant_not_found", "message": "Variant not found"}}
LINE_ITEM_NOT_FOUND = {"error": {"code": "line_item_not_found", "message": "Line item not found"}}
BAD_QUANTITIES = [0, -1, 10_001, 10**12, "abc", 1.5, "1.5", True, False, [], {}, "", " "]


@pytest.fixture
def cart(api, shop):
    return create_cart(api)


@pytest.fixture
def cart_with_item(api, shop):
    cart = create_cart(api)
    return add_item(api, cart, shop["variant"], 2)


# --- add ------------------------------------------------------------------------------------------


def test_adding_an_item_answers_201_with_the_cart(api, shop, cart):
    response = api.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": 2, "metadata": {"gift": True}},
        **token_of(cart),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] == cart["id"]
    [item] = body["items"]
    row = LineItem.objects.get(order=order_of(cart))
    assert item["id"] == row.public_id
    assert (item["variant_id"], item["quantity"], item["price"], item["total"]) == (
        shop["variant"].public_id,
        2,
        "12.50",
        "25.00",
    )
    assert body["item_total"] == "25.00"
    assert body["total_quantity"] == 2
    assert row.metadata == {"gift": True}


def test_quantity_defaults_to_one(api, shop, cart):
    response = api.post(
        f"/carts/{cart['id']}/items", {"variant_id": shop["variant"].public_id}, **token_of(cart)
    )

    assert response.status_code == 201
    assert response.json()["items"][0]["quantity"] == 1


def test_a_numeric_string_quantity_is_accepted(api, shop, cart):
    response = api.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": "3"},
        **token_of(cart),
    )

    assert response.status_code == 201
    assert response.json()["items"][0]["quantity"] == 3


def test_adding_the_same_variant_again_adds_to_its_line(api, shop, cart_with_item):
    body = add_item(api, cart_with_item, shop["variant"], 3)

    assert [(i["id"], i["quantity"]) for i in body["items"]] == [
        (cart_with_item["items"][0]["id"], 5)
    ]
    assert body["item_total"] == "62.50"


@pytest.mark.parametrize(
    "variant_id",
    [encode_id("variant", 999_999), "prod_abc", "", None, 12.5, "variant_", 10**30, 2**63, 0],
    ids=[
        "unknown",
        "other prefix",
        "empty",
        "missing",
        "float",
        "no body",
        "past any key",
        "past a bigint",
        "zero",
    ],
)
def test_an_unknown_variant_is_not_found_and_nothing_changes(api, shop, cart_with_item, variant_id):
    before = snapshot()

    response = api.post(
        f"/carts/{cart_with_item['id']}/items",
        {"variant_id": variant_id, "quantity": 1},
        **token_of(cart_with_item),
    )

    assert response.status_code == 404
    assert response.json() == VARIANT_NOT_FOUND
    assert snapshot() == before


def test_a_variant_of_an_unpublished_product_is_not_found(api, shop, cart):
    draft = make_variant(name="Draft lamp")
    Product.objects.filter(pk=draft.product_id).update(status=Product.DRAFT)
    before = snapshot()

    response = api.post(
        f"/carts/{cart['id']}/items", {"variant_id": draft.public_id}, **token_of(cart)
    )

    assert response.status_code == 404
    assert response.json() == VARIANT_NOT_FOUND
    assert snapshot() == before


def test_a_variant_without_a_price_in_the_cart_currency_is_not_found(api, shop, cart):
    euro_only = make_variant(name="Euro lamp")
    Price.objects.filter(variant=euro_only).update(currency="EUR")

    response = api.post(
        f"/carts/{cart['id']}/items", {"variant_id": euro_only.public_id}, **token_of(cart)
    )

    assert response.status_code == 404
    assert response.json() == VARIANT_NOT_FOUND


def test_every_bad_quantity_on_add_is_invalid_and_nothing_changes(api, shop, cart_with_item):
    before = snapshot()

    for quantity in BAD_QUANTITIES:
        response = api.post(
            f"/carts/{cart_with_item['id']}/items",
            {"variant_id": shop["variant"].public_id, "quantity": quantity},
            **token_of(cart_with_item),
        )

        assert (response.status_code, response.json()) == (422, INVALID_QUANTITY), quantity
    assert snapshot() == before


def test_adding_to_a_line_past_the_maximum_is_invalid(api, shop, cart):
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=20_000)
    add_item(api, cart, shop["variant"], 10_000)
    before = snapshot()

    response = api.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": 1},
        **token_of(cart),
    )

    assert response.status_code == 422
    assert response.json() == INVALID_QUANTITY
    assert snapshot() == before


def test_more_than_the_stock_is_refused_and_nothing_changes(api, shop, cart_with_item):
    before = snapshot()

    response = api.post(
        f"/carts/{cart_with_item['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": 9},
        **token_of(cart_with_item),
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": {"code": "insufficient_stock", "message": "Mug does not have 11 available"}
    }
    assert snapshot() == before


def test_exactly_the_stock_on_hand_can_be_added(api, shop, cart_with_item):
    body = add_item(api, cart_with_item, shop["variant"], 8)

    assert body["items"][0]["quantity"] == 10


def test_a_backorderable_variant_can_be_added_past_its_stock(api, shop, cart):
    preorder = make_variant(name="Preorder", on_hand=1, backorderable=True)

    body = add_item(api, cart, preorder, 50)

    assert body["items"][0]["quantity"] == 50
    assert body["warnings"] == []


def test_an_untracked_variant_can_be_added_in_any_quantity(api, shop, cart):
    ebook = make_variant(name="Ebook", on_hand=0)
    ebook.track_inventory = False
    ebook.save()

    body = add_item(api, cart, ebook, 200)

    assert body["items"][0]["quantity"] == 200


def test_a_sold_out_variant_cannot_be_added(api, shop, cart):
    sold_out = make_variant(name="Tote", on_hand=0)
    before = snapshot()

    response = api.post(
        f"/carts/{cart['id']}/items", {"variant_id": sold_out.public_id}, **token_of(cart)
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert snapshot() == before


# --- update ---------------------------------------------------------------------------------------


def test_updating_an_item_sets_its_quantity_and_merges_metadata(api, shop, cart):
    api.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": 1, "metadata": {"a": 1, "b": 1}},
        **token_of(cart),
    )
    item_id = LineItem.objects.get(order=order_of(cart)).public_id

    response = api.patch(
        f"/carts/{cart['id']}/items/{item_id}",
        {"quantity": 4, "metadata": {"b": 2}},
        **token_of(cart),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["items"][0]["quantity"] == 4
    assert body["item_total"] == "50.00"
    assert body["total"] == "50.00"
    assert LineItem.objects.get(order=order_of(cart)).metadata == {"a": 1, "b": 2}


def test_lowering_an_item_is_always_allowed(api, shop, cart_with_item):
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=1)
    item_id = cart_with_item["items"][0]["id"]

    response = api.patch(
        f"/carts/{cart_with_item['id']}/items/{item_id}",
        {"quantity": 1},
        **token_of(cart_with_item),
    )

    assert response.status_code == 200
    assert response.json()["items"][0]["quantity"] == 1


def test_every_bad_quantity_on_update_is_invalid_and_nothing_changes(api, shop, cart_with_item):
    item_id = cart_with_item["items"][0]["id"]
    before = snapshot()

    for quantity in BAD_QUANTITIES:
        response = api.patch(
            f"/carts/{cart_with_item['id']}/items/{item_id}",
            {"quantity": quantity},
            **token_of(cart_with_item),
        )

        assert (response.status_code, response.json()) == (422, INVALID_QUANTITY), quantity
    assert snapshot() == before


def test_raising_an_item_past_the_stock_is_an_invalid_quantity(api, shop, cart_with_item):
    item_id = cart_with_item["items"][0]["id"]
    before = snapshot()

    response = api.patch(
        f"/carts/{cart_with_item['id']}/items/{item_id}",
        {"quantity": 11},
        **token_of(cart_with_item),
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": {"code": "invalid_quantity", "message": "Mug does not have 11 available"}
    }
    assert snapshot() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_an_unknown_item_is_not_found(api, shop, cart_with_item, method):
    before = snapshot()

    response = api.call(
        method,
        f"/carts/{cart_with_item['id']}/items/{encode_id('li', 999_999)}",
        {"quantity": 1},
        **token_of(cart_with_item),
    )

    assert response.status_code == 404
    assert response.json() == LINE_ITEM_NOT_FOUND
    assert snapshot() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_an_item_of_another_cart_is_not_found(api, shop, cart_with_item, method):
    other = add_item(api, create_cart(api), shop["variant"], 1)
    before = snapshot()

    response = api.call(
        method,
        f"/carts/{cart_with_item['id']}/items/{other['items'][0]['id']}",
        {"quantity": 3},
        **token_of(cart_with_item),
    )

    assert response.status_code == 404
    assert response.json() == LINE_ITEM_NOT_FOUND
    assert snapshot() == before


# --- remove ---------------------------------------------------------------------------------------


def test_removing_an_item_answers_200_with_the_cart(api, shop, cart_with_item):
    item_id = cart_with_item["items"][0]["id"]

    response = api.delete(
        f"/carts/{cart_with_item['id']}/items/{item_id}", **token_of(cart_with_item)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == cart_with_item["id"]
    assert body["items"] == []
    assert body["item_total"] == "0.00"
    assert body["total_quantity"] == 0
    assert not LineItem.objects.filter(order=order_of(cart_with_item)).exists()
