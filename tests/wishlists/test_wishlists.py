"""GET/POST /wishlists and GET/PATCH/DELETE /wishlists/:id: statuses, shapes, validation,
pagination, expand and fields."""

from __future__ import annotations

import pytest

from storeapi.ids import encode_id
from tests.wishlists.helpers import (
    WISHLIST_NOT_FOUND,
    WISHLISTS,
    add_item,
    create_wishlist,
    table,
    validation_error,
    wishlist_shape,
)
from wishlists.models import Wishlist, WishlistItem

NAME_BLANK = validation_error("Name can't be blank", {"name": ["can't be blank"]})


# --- create ----------------------------------------------------------------------------


def test_create_answers_201_with_the_wishlist(customer_api, customer):
    response = customer_api.post(WISHLISTS, {"name": "Birthday Ideas", "is_private": True})

    assert response.status_code == 201
    wishlist = Wishlist.objects.get(user=customer)
    assert response.json() == {
        "id": wishlist.public_id,
        "name": "Birthday Ideas",
        "token": wishlist.token,
        "is_default": True,
        "is_private": True,
    }
    assert wishlist.public_id.startswith("wl_")


def test_create_is_private_unless_told_otherwise(customer_api, customer):
    private = customer_api.post(WISHLISTS, {"name": "Secret"}).json()
    public = customer_api.post(WISHLISTS, {"name": "Open", "is_private": False}).json()

    assert (private["is_private"], public["is_private"]) == (True, False)
    assert list(Wishlist.objects.order_by("pk").values_list("name", "is_private")) == [
        ("Secret", True),
        ("Open", False),
    ]


def test_create_trims_the_name(customer_api):
    response = customer_api.post(WISHLISTS, {"name": "  Books  "})

    assert response.status_code == 201
    assert response.json()["name"] == "Books"


def test_create_ignores_fields_it_does_not_accept(customer_api, customer, other_customer):
    response = customer_api.post(
        WISHLISTS, {"name": "Mine", "user_id": other_customer.public_id, "token": "abc"}
    )

    assert response.status_code == 201
    wishlist = Wishlist.objects.get()
    assert wishlist.user == customer
    assert wishlist.token != "abc"


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": None}, {"is_private": False}]
)
def test_create_without_a_name_is_422_and_creates_nothing(customer_api, body):
    response = customer_api.post(WISHLISTS, body)

    assert response.status_code == 422
    assert response.json() == NAME_BLANK
    assert Wishlist.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"name": 42}, {"name": ["must be a string"]}),
        ({"name": "x" * 256}, {"name": ["is too long (maximum is 255 characters)"]}),
        ({"name": "Ok", "is_private": "maybe"}, {"is_private": ["must be true or false"]}),
        ({"name": "Ok", "is_default": 3}, {"is_default": ["must be true or false"]}),
    ],
)
def test_create_with_a_wrong_value_is_422_with_details(customer_api, body, details):
    response = customer_api.post(WISHLISTS, body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"] == details
    assert Wishlist.objects.count() == 0


@pytest.mark.parametrize("raw", ['["a list"]', '"text"', "{not json"])
def test_create_with_a_body_that_is_not_an_object_is_400(customer_api, raw):
    response = customer_api.call("POST", WISHLISTS, raw=raw)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert Wishlist.objects.count() == 0


# --- list ------------------------------------------------------------------------------


def test_list_shows_own_wishlists_in_creation_order_with_meta(customer_api, other_api):
    first = create_wishlist(customer_api, "First")
    second = create_wishlist(customer_api, "Second", is_private=False)
    create_wishlist(other_api, "Not mine")

    response = customer_api.get(WISHLISTS)

    assert response.status_code == 200
    assert response.json() == {
        "data": [wishlist_shape(first), wishlist_shape(second)],
        "meta": {
            "page": 1,
            "limit": 25,
            "count": 2,
            "pages": 1,
            "from": 1,
            "to": 2,
            "in": 2,
            "previous": None,
            "next": None,
        },
    }


def test_list_of_a_customer_without_wishlists_is_empty(customer_api):
    response = customer_api.get(WISHLISTS)

    assert response.status_code == 200
    assert response.json()["data"] == []
    assert response.json()["meta"]["count"] == 0


def test_list_paginates(customer_api):
    for name in ("A", "B", "C"):
        create_wishlist(customer_api, name)

    response = customer_api.get(WISHLISTS, {"page": 2, "limit": 2})

    body = response.json()
    assert [w["name"] for w in body["data"]] == ["C"]
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


def test_list_sorts_and_filters_on_whitelisted_attributes(customer_api):
    for name in ("Books", "Art", "Camping"):
        create_wishlist(customer_api, name)

    by_name = customer_api.get(WISHLISTS, {"sort": "-name"}).json()["data"]
    filtered = customer_api.get(WISHLISTS, {"q[name_cont]": "amp"}).json()["data"]
    ignored = customer_api.get(WISHLISTS, {"sort": "token", "q[token_eq]": "x"}).json()["data"]

    assert [w["name"] for w in by_name] == ["Camping", "Books", "Art"]
    assert [w["name"] for w in filtered] == ["Camping"]
    assert [w["name"] for w in ignored] == ["Books", "Art", "Camping"]


def test_list_leaves_items_out_unless_expanded(customer_api, variants):
    wishlist = create_wishlist(customer_api)
    add_item(customer_api, wishlist, variants["mug"])

    plain = customer_api.get(WISHLISTS).json()["data"][0]
    expanded = customer_api.get(WISHLISTS, {"expand": "items"}).json()["data"][0]

    assert "items" not in plain
    assert [item["variant"]["sku"] for item in expanded["items"]] == ["MUG-1"]
    assert "product" not in expanded["items"][0]


def test_list_expands_items_with_their_products(customer_api, variants):
    wishlist = create_wishlist(customer_api)
    add_item(customer_api, wishlist, variants["tee_m"])
    add_item(customer_api, wishlist, variants["mug"], 3)

    data = customer_api.get(WISHLISTS, {"expand": "items.product"}).json()["data"]

    items = data[0]["items"]
    assert [(i["variant"]["sku"], i["quantity"], i["product"]["slug"]) for i in items] == [
        ("TEE-M", 1, "classic-tee"),
        ("MUG-1", 3, "coffee-mug"),
    ]
    assert items[0]["product"]["id"] == items[0]["product_id"]
    # The product shows its default variant's price (the first purchasable one: TEE-S).
    assert items[0]["product"]["price"]["amount"] == "20.00"
    assert items[0]["product"]["default_variant_id"] == variants["tee_s"].public_id


def test_fields_keep_the_id_and_the_expanded_items(customer_api, variants):
    wishlist = create_wishlist(customer_api)
    add_item(customer_api, wishlist, variants["mug"])

    data = customer_api.get(WISHLISTS, {"fields": "name", "expand": "items.product"}).json()

    assert set(data["data"][0]) == {"id", "name", "items"}
    assert "product" in data["data"][0]["items"][0]


# --- get -------------------------------------------------------------------------------


def test_get_answers_the_wishlist(customer_api):
    wishlist = create_wishlist(customer_api, "Camping", is_private=False)

    response = customer_api.get(f"{WISHLISTS}/{wishlist.public_id}")

    assert response.status_code == 200
    assert response.json() == wishlist_shape(wishlist)
    assert response.json()["is_private"] is False


def test_get_expands_items_and_their_products(customer_api, variants):
    wishlist = create_wishlist(customer_api)
    item = add_item(customer_api, wishlist, variants["tee_s"], 2)

    response = customer_api.get(f"{WISHLISTS}/{wishlist.public_id}", {"expand": "items.product"})

    body = response.json()
    assert [i["id"] for i in body["items"]] == [item.public_id]
    assert body["items"][0]["product"]["name"] == "Classic Tee"


@pytest.mark.parametrize(
    "make_id",
    [
        lambda w: "wl_doesnotexist",
        lambda w: encode_id("wl", w.pk + 1000),
        lambda w: encode_id("addr", w.pk),
        lambda w: str(w.pk),
        lambda w: "wl_!!",
    ],
)
def test_get_of_an_unknown_id_is_404(customer_api, make_id):
    wishlist = create_wishlist(customer_api)

    response = customer_api.get(f"{WISHLISTS}/{make_id(wishlist)}")

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND


# --- update ----------------------------------------------------------------------------


def test_update_changes_name_and_privacy(customer_api):
    wishlist = create_wishlist(customer_api, "Old")
    token = wishlist.token

    response = customer_api.patch(
        f"{WISHLISTS}/{wishlist.public_id}", {"name": "New", "is_private": False}
    )

    assert response.status_code == 200
    assert response.json() == wishlist_shape(wishlist)
    assert (wishlist.name, wishlist.is_private, wishlist.token) == ("New", False, token)


def test_update_with_an_empty_body_changes_nothing(customer_api):
    wishlist = create_wishlist(customer_api, "Same")
    before = table()

    response = customer_api.patch(f"{WISHLISTS}/{wishlist.public_id}", {})

    assert response.status_code == 200
    assert response.json()["name"] == "Same"
    after = table()
    for row in after["wishlists"] + before["wishlists"]:
        row.pop("updated_at")
    assert after == before


def test_update_answers_expanded_items_when_asked(customer_api, variants):
    wishlist = create_wishlist(customer_api)
    add_item(customer_api, wishlist, variants["mug"])

    response = customer_api.patch(
        f"{WISHLISTS}/{wishlist.public_id}?expand=items", {"name": "Renamed"}
    )

    assert response.status_code == 200
    assert [i["variant"]["sku"] for i in response.json()["items"]] == ["MUG-1"]


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"name": ""}, {"name": ["can't be blank"]}),
        ({"name": "  "}, {"name": ["can't be blank"]}),
        ({"name": None}, {"name": ["can't be blank"]}),
        ({"name": ["x"]}, {"name": ["must be a string"]}),
        ({"is_private": "yes please"}, {"is_private": ["must be true or false"]}),
    ],
)
def test_update_with_a_wrong_value_is_422_and_changes_nothing(customer_api, body, details):
    wishlist = create_wishlist(customer_api, "Keep")
    before = table()

    response = customer_api.patch(f"{WISHLISTS}/{wishlist.public_id}", body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"] == details
    assert table() == before


def test_update_of_an_unknown_id_is_404(customer_api):
    response = customer_api.patch(f"{WISHLISTS}/wl_doesnotexist", {"name": "x"})

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND


# --- delete ----------------------------------------------------------------------------


def test_delete_answers_204_and_removes_the_wishlist_with_its_items(customer_api, variants):
    wishlist = create_wishlist(customer_api)
    add_item(customer_api, wishlist, variants["mug"])
    add_item(customer_api, wishlist, variants["tee_s"])
    kept = create_wishlist(customer_api, "Kept")
    add_item(customer_api, kept, variants["mug"])

    response = customer_api.delete(f"{WISHLISTS}/{wishlist.public_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert list(Wishlist.objects.values_list("name", flat=True)) == ["Kept"]
    assert list(WishlistItem.objects.values_list("wishlist__name", flat=True)) == ["Kept"]


def test_delete_twice_is_404_the_second_time(customer_api):
    wishlist = create_wishlist(customer_api)
    assert customer_api.delete(f"{WISHLISTS}/{wishlist.public_id}").status_code == 204

    response = customer_api.delete(f"{WISHLISTS}/{wishlist.public_id}")

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND
