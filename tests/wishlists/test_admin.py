"""Staff screens: wishlists with their items, searchable by owner; the default rules hold."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.wishlists.helpers import add_item, create_wishlist, defaults_of
from wishlists.models import Wishlist, WishlistItem

CHANGELIST = "/admin/wishlists/wishlist/"


@pytest.fixture
def staff(db):
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def lists(customer_api, other_api, variants):
    gifts = create_wishlist(customer_api, "Gifts")
    add_item(customer_api, gifts, variants["mug"], 2)
    add_item(customer_api, gifts, variants["tee_s"])
    books = create_wishlist(customer_api, "Books")
    camping = create_wishlist(other_api, "Camping")
    return {"gifts": gifts, "books": books, "camping": camping}


def _listed(response) -> list[str]:
    assert response.status_code == 200
    return sorted(w.name for w in response.context["cl"].result_list)


def test_changelist_lists_every_wishlist_with_its_item_count(staff, lists):
    response = staff.get(CHANGELIST)

    assert _listed(response) == ["Books", "Camping", "Gifts"]
    counts = {w.name: w.item_total for w in response.context["cl"].result_list}
    assert counts == {"Gifts": 2, "Books": 0, "Camping": 0}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ada@example.com", ["Books", "Gifts"]),
        ("grace@", ["Camping"]),
        ("Hopper", ["Camping"]),
        ("Lovelace", ["Books", "Gifts"]),
        ("gift", ["Gifts"]),
    ],
)
def test_changelist_searches_by_owner_and_name(staff, lists, query, expected):
    assert _listed(staff.get(CHANGELIST, {"q": query})) == expected


def test_change_page_shows_the_items_inline(staff, lists):
    response = staff.get(f"{CHANGELIST}{lists['gifts'].pk}/change/")

    assert response.status_code == 200
    assert b"MUG-1" in response.content
    assert b"TEE-S" in response.content
    assert lists["gifts"].token.encode() in response.content


def test_staff_cannot_add_wishlists(staff, lists):
    assert staff.get(f"{CHANGELIST}add/").status_code == 403


def test_make_default_action_moves_the_owners_default(staff, lists, customer):
    response = staff.post(
        CHANGELIST, {"action": "make_default", "_selected_action": [lists["books"].pk]}
    )

    assert response.status_code == 302
    assert defaults_of(customer) == ["Books"]


def test_deleting_the_default_in_the_admin_promotes_another(staff, lists, customer):
    response = staff.post(f"{CHANGELIST}{lists['gifts'].pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert defaults_of(customer) == ["Books"]
    assert WishlistItem.objects.count() == 0


def test_bulk_delete_in_the_admin_keeps_the_default_rules(staff, lists, customer, other_customer):
    response = staff.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [lists["gifts"].pk, lists["camping"].pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert list(Wishlist.objects.values_list("name", flat=True)) == ["Books"]
    assert defaults_of(customer) == ["Books"]
    assert defaults_of(other_customer) == []


def test_editing_an_item_quantity_in_the_admin_refuses_zero(staff, lists):
    gifts = lists["gifts"]
    items = list(gifts.items.order_by("pk"))
    data = {
        "name": "Gifts",
        "is_private": "on",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data[f"items-{index}-id"] = str(item.pk)
        data[f"items-{index}-wishlist"] = str(gifts.pk)
        data[f"items-{index}-variant"] = str(item.variant_id)
        data[f"items-{index}-quantity"] = "0" if index == 0 else "7"

    refused = staff.post(f"{CHANGELIST}{gifts.pk}/change/", data)
    unchanged = [i.quantity for i in gifts.items.order_by("pk")]
    data["items-0-quantity"] = "4"
    accepted = staff.post(f"{CHANGELIST}{gifts.pk}/change/", data)

    assert refused.status_code == 200  # the form again, with the error
    assert b"The quantity must be greater than 0." in refused.content
    assert unchanged == [2, 1]
    assert accepted.status_code == 302
    assert [i.quantity for i in gifts.items.order_by("pk")] == [4, 7]
