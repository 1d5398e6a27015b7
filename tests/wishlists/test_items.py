"""POST /wishlists/:id/items and PATCH/DELETE /wishlists/:id/items/:item_id: shapes, the
variant and quantity rules, and the duplicate-variant decision (a 422, as Spree)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from storeapi.ids import encode_id
from tests.wishlists.helpers import (
    ITEM_NOT_FOUND,
    WISHLIST_NOT_FOUND,
    WISHLISTS,
    add_item,
    create_wishlist,
    table,
    validation_error,
)
from wishlists.models import Wishlist, WishlistItem

DUPLICATE = validation_error(
    "Variant id has already been taken", {"variant_id": ["has already been taken"]}
)


@pytest.fixture
def wishlist(customer_api, variants) -> Wishlist:
    return create_wishlist(customer_api, "Gifts")


def _items(wishlist: Wishlist) -> str:
    return f"{WISHLISTS}/{wishlist.public_id}/items"


# --- add -------------------------------------------------------------------------------


def test_add_answers_201_with_the_item_and_its_variant(customer_api, wishlist, variants):
    tee_s = variants["tee_s"]

    response = customer_api.post(_items(wishlist), {"variant_id": tee_s.public_id, "quantity": 2})

    assert response.status_code == 201
    item = WishlistItem.objects.get()
    body = response.json()
    variant = body.pop("variant")
    assert body == {
        "id": item.public_id,
        "variant_id": tee_s.public_id,
        "product_id": tee_s.product.public_id,
        "wishlist_id": wishlist.public_id,
        "quantity": 2,
    }
    assert (variant["id"], variant["sku"], variant["options_text"]) == (
        tee_s.public_id,
        "TEE-S",
        "Size: S",
    )
    assert (variant["price"]["amount"], variant["price"]["currency"]) == ("20.00", "USD")
    assert (variant["in_stock"], variant["purchasable"]) == (True, True)
    assert (item.wishlist, item.variant, item.quantity) == (wishlist, tee_s, 2)


def test_add_without_a_quantity_wishes_for_one(customer_api, wishlist, variants):
    response = customer_api.post(_items(wishlist), {"variant_id": variants["mug"].public_id})

    assert response.status_code == 201
    assert response.json()["quantity"] == 1
    assert WishlistItem.objects.get().quantity == 1


def test_add_accepts_an_integer_string_and_a_plain_variant_pk(customer_api, wishlist, variants):
    response = customer_api.post(
        _items(wishlist), {"variant_id": variants["mug"].pk, "quantity": "3"}
    )

    assert response.status_code == 201
    assert response.json()["quantity"] == 3
    assert response.json()["variant_id"] == variants["mug"].public_id


def test_add_expands_the_product_when_asked(customer_api, wishlist, variants):
    response = customer_api.post(
        f"{_items(wishlist)}?expand=product", {"variant_id": variants["mug"].public_id}
    )

    assert response.status_code == 201
    assert response.json()["product"]["slug"] == "coffee-mug"
    assert response.json()["product"]["id"] == response.json()["product_id"]


def test_add_touches_the_wishlist(customer_api, wishlist, variants):
    long_ago = timezone.now() - timedelta(days=3)
    Wishlist.objects.filter(pk=wishlist.pk).update(updated_at=long_ago)

    customer_api.post(_items(wishlist), {"variant_id": variants["mug"].public_id})

    wishlist.refresh_from_db()
    assert wishlist.updated_at > long_ago + timedelta(days=2)


@pytest.mark.parametrize("body", [{}, {"variant_id": None}, {"variant_id": ""}, {"quantity": 2}])
def test_add_without_a_variant_is_422_details_variant(customer_api, wishlist, body):
    response = customer_api.post(_items(wishlist), body)

    assert response.status_code == 422
    assert response.json() == validation_error(
        "Variant can't be blank", {"variant": ["can't be blank"]}
    )
    assert WishlistItem.objects.count() == 0


@pytest.mark.parametrize(
    "make_id",
    [
        lambda v: "variant_doesnotexist",
        lambda v: encode_id("variant", 999_999),
        lambda v: v["mug"].product.public_id,
        lambda v: encode_id("prod", v["mug"].pk),
        lambda v: v["draft"].public_id,
        lambda v: v["future"].public_id,
        lambda v: 999_999,
        lambda v: True,
        lambda v: {"id": v["mug"].public_id},
        lambda v: [v["mug"].public_id],
    ],
    ids=[
        "garbage",
        "unknown",
        "product id",
        "other prefix",
        "draft product",
        "scheduled product",
        "unknown pk",
        "boolean",
        "object",
        "list",
    ],
)
def test_add_of_an_unknown_or_unoffered_variant_is_422_details_variant(
    customer_api, wishlist, variants, make_id
):
    response = customer_api.post(_items(wishlist), {"variant_id": make_id(variants)})

    assert response.status_code == 422
    assert response.json() == validation_error("Variant is invalid", {"variant": ["is invalid"]})
    assert WishlistItem.objects.count() == 0


QUANTITY_ERRORS = [
    (0, "must be greater than 0"),
    (-2, "must be greater than 0"),
    ("0", "must be greater than 0"),
    (1.5, "must be an integer"),
    (2.0, "must be an integer"),
    ("1.5", "must be an integer"),
    ("two", "is not a number"),
    ("", "is not a number"),
    (True, "is not a number"),
    ([1], "is not a number"),
    ({"n": 1}, "is not a number"),
    (2**31, "must be less than or equal to 2147483647"),
]


@pytest.mark.parametrize(("quantity", "message"), QUANTITY_ERRORS)
def test_add_with_a_quantity_that_is_not_a_positive_integer_is_422(
    customer_api, wishlist, variants, quantity, message
):
    response = customer_api.post(
        _items(wishlist), {"variant_id": variants["mug"].public_id, "quantity": quantity}
    )

    assert response.status_code == 422
    assert response.json() == validation_error(f"Quantity {message}", {"quantity": [message]})
    assert WishlistItem.objects.count() == 0


def test_add_reports_variant_and_quantity_errors_together(customer_api, wishlist):
    response = customer_api.post(_items(wishlist), {"variant_id": "variant_nope", "quantity": 0})

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "variant": ["is invalid"],
        "quantity": ["must be greater than 0"],
    }


def test_adding_a_variant_already_on_the_wishlist_is_422_and_changes_nothing(
    customer_api, wishlist, variants
):
    add_item(customer_api, wishlist, variants["mug"], 2)
    before = table()

    response = customer_api.post(
        _items(wishlist), {"variant_id": variants["mug"].public_id, "quantity": 5}
    )

    assert response.status_code == 422
    assert response.json() == DUPLICATE
    assert table() == before
    assert WishlistItem.objects.get().quantity == 2


def test_the_same_variant_may_be_on_two_wishlists(customer_api, wishlist, variants):
    other = create_wishlist(customer_api, "Other")
    add_item(customer_api, wishlist, variants["mug"])

    response = customer_api.post(_items(other), {"variant_id": variants["mug"].public_id})

    assert response.status_code == 201
    assert WishlistItem.objects.filter(variant=variants["mug"]).count() == 2


def test_add_to_an_unknown_wishlist_is_404(customer_api, variants):
    response = customer_api.post(
        f"{WISHLISTS}/wl_doesnotexist/items", {"variant_id": variants["mug"].public_id}
    )

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND


def test_add_with_a_body_that_is_not_an_object_is_400(customer_api, wishlist):
    response = customer_api.call("POST", _items(wishlist), raw="[1, 2]")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_there_is_no_route_to_list_items(customer_api, wishlist):
    response = customer_api.get(_items(wishlist))

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


# --- update ----------------------------------------------------------------------------


def test_update_sets_the_quantity(customer_api, wishlist, variants):
    item = add_item(customer_api, wishlist, variants["tee_m"], 1)

    response = customer_api.patch(f"{_items(wishlist)}/{item.public_id}", {"quantity": 4})

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["quantity"], body["variant"]["sku"]) == (item.public_id, 4, "TEE-M")
    assert "product" not in body
    item.refresh_from_db()
    assert item.quantity == 4


def test_update_expands_the_product_when_asked(customer_api, wishlist, variants):
    item = add_item(customer_api, wishlist, variants["tee_m"], 1)

    response = customer_api.patch(
        f"{_items(wishlist)}/{item.public_id}?expand=product", {"quantity": 2}
    )

    assert response.json()["product"]["slug"] == "classic-tee"


@pytest.mark.parametrize(
    ("body", "message"),
    [({"quantity": q}, m) for q, m in QUANTITY_ERRORS]
    + [({}, "can't be blank"), ({"quantity": None}, "can't be blank")],
)
def test_update_with_a_quantity_that_is_not_a_positive_integer_is_422(
    customer_api, wishlist, variants, body, message
):
    item = add_item(customer_api, wishlist, variants["mug"], 2)
    before = table()

    response = customer_api.patch(f"{_items(wishlist)}/{item.public_id}", body)

    assert response.status_code == 422
    assert response.json() == validation_error(f"Quantity {message}", {"quantity": [message]})
    assert table() == before


def test_update_of_an_item_of_another_of_my_wishlists_is_404(customer_api, wishlist, variants):
    other = create_wishlist(customer_api, "Other")
    item = add_item(customer_api, other, variants["mug"])
    before = table()

    response = customer_api.patch(f"{_items(wishlist)}/{item.public_id}", {"quantity": 3})

    assert response.status_code == 404
    assert response.json() == ITEM_NOT_FOUND
    assert table() == before


@pytest.mark.parametrize("item_id", ["wi_doesnotexist", "wl_UkLWZg9DAJ", "1"])
def test_update_of_an_unknown_item_is_404(customer_api, wishlist, item_id):
    response = customer_api.patch(f"{_items(wishlist)}/{item_id}", {"quantity": 3})

    assert response.status_code == 404
    assert response.json() == ITEM_NOT_FOUND


# --- delete ----------------------------------------------------------------------------


def test_delete_answers_204_and_removes_only_that_item(customer_api, wishlist, variants):
    gone = add_item(customer_api, wishlist, variants["mug"])
    kept = add_item(customer_api, wishlist, variants["tee_s"])

    response = customer_api.delete(f"{_items(wishlist)}/{gone.public_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert list(WishlistItem.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Wishlist.objects.filter(pk=wishlist.pk).exists()


def test_delete_twice_is_404_the_second_time(customer_api, wishlist, variants):
    item = add_item(customer_api, wishlist, variants["mug"])
    assert customer_api.delete(f"{_items(wishlist)}/{item.public_id}").status_code == 204

    response = customer_api.delete(f"{_items(wishlist)}/{item.public_id}")

    assert response.status_code == 404
    assert response.json() == ITEM_NOT_FOUND


def test_delete_through_the_wrong_wishlist_is_404_and_keeps_the_item(
    customer_api, wishlist, variants
):
    other = create_wishlist(customer_api, "Other")
    item = add_item(customer_api, other, variants["mug"])

    response = customer_api.delete(f"{_items(wishlist)}/{item.public_id}")

    assert response.status_code == 404
    assert response.json() == ITEM_NOT_FOUND
    assert WishlistItem.objects.filter(pk=item.pk).exists()


def test_a_variant_removed_from_the_wishlist_can_be_added_again(customer_api, wishlist, variants):
    item = add_item(customer_api, wishlist, variants["mug"])
    customer_api.delete(f"{_items(wishlist)}/{item.public_id}")

    response = customer_api.post(_items(wishlist), {"variant_id": variants["mug"].public_id})

    assert response.status_code == 201
