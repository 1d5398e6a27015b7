"""Authorization matrix of every wishlist route: anonymous 401, another customer 404 with
nothing changed, the owner served."""

from __future__ import annotations

import pytest

from tests.conftest import StoreClient
from tests.wishlists.helpers import (
    AUTHENTICATION_REQUIRED,
    ITEM_NOT_FOUND,
    WISHLIST_NOT_FOUND,
    WISHLISTS,
    add_item,
    create_wishlist,
    table,
)
from wishlists.models import Wishlist, WishlistItem


@pytest.fixture
def owned(customer_api, variants):
    """The customer's public wishlist with the mug on it."""
    wishlist = create_wishlist(customer_api, "Kitchen", is_private=False)
    item = add_item(customer_api, wishlist, variants["mug"], 2)
    return wishlist, item


def _route(route: str, wishlist: Wishlist, item: WishlistItem) -> str:
    return {
        "list": WISHLISTS,
        "detail": f"{WISHLISTS}/{wishlist.public_id}",
        "items": f"{WISHLISTS}/{wishlist.public_id}/items",
        "item": f"{WISHLISTS}/{wishlist.public_id}/items/{item.public_id}",
    }[route]


EVERY_ROUTE = [
    ("GET", "list", None),
    ("POST", "list", {"name": "Mine now"}),
    ("GET", "detail", None),
    ("PATCH", "detail", {"name": "Renamed", "is_default": True}),
    ("DELETE", "detail", None),
    ("POST", "items", {"variant_id": "VARIANT", "quantity": 1}),
    ("PATCH", "item", {"quantity": 9}),
    ("DELETE", "item", None),
]
ID_ROUTES = [case for case in EVERY_ROUTE if case[1] != "list"]


def _body(body, variants):
    if body and body.get("variant_id") == "VARIANT":
        return {**body, "variant_id": variants["tee_s"].public_id}
    return body


# --- anonymous -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "route", "body"), EVERY_ROUTE)
def test_anonymous_caller_gets_401_on_every_wishlist_route(
    api, owned, variants, method, route, body
):
    wishlist, item = owned
    before = table()

    response = api.call(method, _route(route, wishlist, item), _body(body, variants))

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED
    assert table() == before


@pytest.mark.parametrize(("method", "route", "body"), EVERY_ROUTE)
def test_invalid_access_token_is_anonymous_on_every_wishlist_route(
    api, owned, variants, method, route, body
):
    wishlist, item = owned
    api.access_token = "not.a.jwt"
    before = table()

    response = api.call(method, _route(route, wishlist, item), _body(body, variants))

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED
    assert table() == before


def test_logged_out_session_gets_401_on_wishlists(customer_api, owned):
    logout = customer_api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})
    assert logout.status_code == 204

    response = customer_api.get(WISHLISTS)

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED


def test_jwt_without_a_publishable_key_gets_401_invalid_token(customer, owned):
    client = StoreClient(api_key=None).login_as(customer)

    response = client.get(WISHLISTS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


# --- another customer ------------------------------------------------------------------


@pytest.mark.parametrize(("method", "route", "body"), ID_ROUTES)
def test_wishlist_of_another_customer_is_not_found_on_every_route(
    other_api, owned, variants, method, route, body
):
    wishlist, item = owned
    before = table()

    response = other_api.call(method, _route(route, wishlist, item), _body(body, variants))

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND
    assert table() == before


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_item_of_another_customer_is_not_found_through_their_own_wishlist(other_api, owned, method):
    _wishlist, item = owned
    theirs = create_wishlist(other_api, "Theirs")
    before = table()

    response = other_api.call(
        method, f"{WISHLISTS}/{theirs.public_id}/items/{item.public_id}", {"quantity": 5}
    )

    assert response.status_code == 404
    assert response.json() == ITEM_NOT_FOUND
    assert table() == before


def test_list_of_another_customer_shows_only_their_wishlists(other_api, owned):
    theirs = create_wishlist(other_api, "Theirs")

    response = other_api.get(WISHLISTS, {"expand": "items"})

    assert response.status_code == 200
    assert [w["id"] for w in response.json()["data"]] == [theirs.public_id]


def test_another_customer_creating_a_wishlist_does_not_touch_the_owners(other_api, owned, customer):
    wishlist, _item = owned

    response = other_api.post(WISHLISTS, {"name": "Theirs", "is_default": True})

    assert response.status_code == 201
    wishlist.refresh_from_db()
    assert wishlist.is_default is True
    assert Wishlist.objects.get(name="Theirs").is_default is True


# --- the owner -------------------------------------------------------------------------

OWNER_STATUSES = {
    ("GET", "list"): 200,
    ("POST", "list"): 201,
    ("GET", "detail"): 200,
    ("PATCH", "detail"): 200,
    ("DELETE", "detail"): 204,
    ("POST", "items"): 201,
    ("PATCH", "item"): 200,
    ("DELETE", "item"): 204,
}


@pytest.mark.parametrize(("method", "route", "body"), EVERY_ROUTE)
def test_owner_is_served_on_every_wishlist_route(
    customer_api, owned, variants, method, route, body
):
    wishlist, item = owned

    response = customer_api.call(method, _route(route, wishlist, item), _body(body, variants))

    assert response.status_code == OWNER_STATUSES[(method, route)], response.content
    if response.status_code == 204:
        assert response.content == b""
