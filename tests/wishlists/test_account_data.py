"""Wishlists in the personal data export, and gone when the account is closed."""

from __future__ import annotations

from tests.wishlists.helpers import WISHLISTS, add_item, create_wishlist
from wishlists.models import Wishlist, WishlistItem

EXPORT = "/customers/me/export"


def test_export_lists_the_customers_wishlists_with_their_items(customer_api, other_api, variants):
    gifts = create_wishlist(customer_api, "Gifts", is_private=False)
    item = add_item(customer_api, gifts, variants["tee_s"], 2)
    empty = create_wishlist(customer_api, "Empty")
    create_wishlist(other_api, "Not mine")
    gifts.refresh_from_db()
    item.refresh_from_db()
    empty.refresh_from_db()

    response = customer_api.get(EXPORT)

    assert response.status_code == 200
    assert response.json()["wishlists"] == [
        {
            "id": gifts.public_id,
            "name": "Gifts",
            "token": gifts.token,
            "is_default": True,
            "is_private": False,
            "created_at": gifts.created_at.isoformat(),
            "updated_at": gifts.updated_at.isoformat(),
            "items": [
                {
                    "id": item.public_id,
                    "variant_id": variants["tee_s"].public_id,
                    "product_id": variants["tee_s"].product.public_id,
                    "product_name": "Classic Tee",
                    "sku": "TEE-S",
                    "quantity": 2,
                    "created_at": item.created_at.isoformat(),
                }
            ],
        },
        {
            "id": empty.public_id,
            "name": "Empty",
            "token": empty.token,
            "is_default": False,
            "is_private": True,
            "created_at": empty.created_at.isoformat(),
            "updated_at": empty.updated_at.isoformat(),
            "items": [],
        },
    ]


def test_export_of_a_customer_without_wishlists_has_an_empty_list(customer_api):
    assert customer_api.get(EXPORT).json()["wishlists"] == []


def test_closing_the_account_deletes_its_wishlists_and_only_those(
    customer_api, other_api, variants, password
):
    mine = create_wishlist(customer_api, "Mine", is_private=False)
    add_item(customer_api, mine, variants["mug"])
    theirs = create_wishlist(other_api, "Theirs")
    kept = add_item(other_api, theirs, variants["mug"])

    response = customer_api.delete("/customers/me", {"current_password": password})

    assert response.status_code == 204
    assert list(Wishlist.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert list(WishlistItem.objects.values_list("pk", flat=True)) == [kept.pk]
    assert other_api.get(f"{WISHLISTS}/{theirs.public_id}").status_code == 200


def test_a_closed_accounts_shared_link_stops_working(customer_api, api, password):
    shared = create_wishlist(customer_api, "Shared", is_private=False)
    assert api.get(f"/shared_wishlists/{shared.token}").status_code == 200

    customer_api.delete("/customers/me", {"current_password": password})

    assert api.get(f"/shared_wishlists/{shared.token}").status_code == 404


def test_a_refused_closing_keeps_the_wishlists(customer_api, variants):
    mine = create_wishlist(customer_api, "Mine")
    add_item(customer_api, mine, variants["mug"])

    response = customer_api.delete("/customers/me", {"current_password": "wrong"})

    assert response.status_code == 422
    assert Wishlist.objects.count() == 1
    assert WishlistItem.objects.count() == 1
