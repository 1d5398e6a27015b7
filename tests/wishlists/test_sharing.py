"""GET /shared_wishlists/:token (OUR_CONTRACT.md): a wishlist that is not private, with its
items, for anyone with the publishable key; private or unknown is a 404. Share tokens carry at
least 128 bits of randomness."""

from __future__ import annotations

import math

import pytest

from storeapi.tokens import BASE58_ALPHABET
from tests.conftest import StoreClient
from tests.wishlists.helpers import (
    WISHLIST_NOT_FOUND,
    WISHLISTS,
    add_item,
    create_wishlist,
    table,
    wishlist_shape,
)
from wishlists.models import SHARE_TOKEN_LENGTH, Wishlist, new_share_token

SHARED = "/shared_wishlists"


@pytest.fixture
def public(customer_api, variants) -> Wishlist:
    wishlist = create_wishlist(customer_api, "Wedding", is_private=False)
    add_item(customer_api, wishlist, variants["tee_s"], 2)
    add_item(customer_api, wishlist, variants["mug"], 1)
    return wishlist


def test_a_public_wishlist_is_shown_with_its_items_to_a_guest(api, public, variants):
    before = table()

    response = api.get(f"{SHARED}/{public.token}")

    assert response.status_code == 200
    body = response.json()
    items = body.pop("items")
    assert body == wishlist_shape(public)
    assert [(i["variant"]["sku"], i["quantity"], i["wishlist_id"]) for i in items] == [
        ("TEE-S", 2, public.public_id),
        ("MUG-1", 1, public.public_id),
    ]
    assert all("product" not in item for item in items)
    assert table() == before


def test_a_shared_wishlist_can_expand_the_products(api, public):
    response = api.get(f"{SHARED}/{public.token}", {"expand": "items.product"})

    assert [i["product"]["slug"] for i in response.json()["items"]] == [
        "classic-tee",
        "coffee-mug",
    ]


def test_a_shared_wishlist_without_items_has_an_empty_list(api, customer_api):
    empty = create_wishlist(customer_api, "Empty", is_private=False)

    response = api.get(f"{SHARED}/{empty.token}")

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_another_signed_in_customer_may_read_a_shared_wishlist(other_api, public):
    response = other_api.get(f"{SHARED}/{public.token}")

    assert response.status_code == 200
    assert response.json()["id"] == public.public_id


def test_a_private_wishlist_is_not_shared(api, customer_api, variants):
    private = create_wishlist(customer_api, "Secret")
    add_item(customer_api, private, variants["mug"])

    response = api.get(f"{SHARED}/{private.token}")

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND


def test_a_private_wishlist_is_not_shared_even_with_its_owner(customer_api):
    private = create_wishlist(customer_api, "Secret")

    response = customer_api.get(f"{SHARED}/{private.token}")

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND


def test_making_a_wishlist_private_stops_sharing_it(api, customer_api, public):
    assert api.get(f"{SHARED}/{public.token}").status_code == 200

    customer_api.patch(f"{WISHLISTS}/{public.public_id}", {"is_private": True})

    assert api.get(f"{SHARED}/{public.token}").status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "1" * SHARE_TOKEN_LENGTH,
        "nope",
        "0" * SHARE_TOKEN_LENGTH,
        "O" * SHARE_TOKEN_LENGTH,
        "a" * (SHARE_TOKEN_LENGTH + 1),
    ],
)
def test_an_unknown_or_malformed_token_is_404(api, public, token):
    response = api.get(f"{SHARED}/{token}")

    assert response.status_code == 404
    assert response.json() == WISHLIST_NOT_FOUND


def test_a_token_in_another_case_is_not_the_token(api, public):
    response = api.get(f"{SHARED}/{public.token.swapcase()}")

    assert response.status_code == 404


def test_the_wishlist_id_is_not_a_share_token(api, public):
    response = api.get(f"{SHARED}/{public.public_id}")

    assert response.status_code == 404


def test_the_shared_route_needs_the_publishable_key(public):
    response = StoreClient(api_key=None).get(f"{SHARED}/{public.token}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_shared_wishlist_is_read_only(api, customer_api, public):
    before = table()

    for method in ("POST", "PATCH", "PUT", "DELETE"):
        response = api.call(method, f"{SHARED}/{public.token}", {"name": "Mine"})
        assert response.status_code == 405, method

    assert table() == before


# --- share tokens ----------------------------------------------------------------------


def test_share_tokens_carry_at_least_128_bits(customer_api):
    wishlist = create_wishlist(customer_api)

    assert len(wishlist.token) == SHARE_TOKEN_LENGTH
    assert set(wishlist.token) <= set(BASE58_ALPHABET)
    assert len(BASE58_ALPHABET) == 58
    assert SHARE_TOKEN_LENGTH * math.log2(len(BASE58_ALPHABET)) >= 128


def test_share_tokens_are_random_and_distinct():
    tokens = [new_share_token() for _ in range(2000)]

    assert len(set(tokens)) == len(tokens)
    # Every position draws from the whole alphabet: 2000 draws over 58 symbols leave none out.
    assert set("".join(tokens)) == set(BASE58_ALPHABET)
    assert {token[0] for token in tokens} == set(BASE58_ALPHABET)


def test_each_wishlist_gets_its_own_token_which_stays(customer_api):
    first = create_wishlist(customer_api, "First")
    second = create_wishlist(customer_api, "Second")
    token = first.token

    customer_api.patch(f"{WISHLISTS}/{first.public_id}", {"name": "Renamed", "is_private": False})

    first.refresh_from_db()
    assert first.token == token
    assert first.token != second.token
