"""seed_demo gives the demo customer a default wishlist with one item, once."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from tests.conftest import StoreClient
from tests.factories import UserFactory
from wishlists.demo import seed_wishlist
from wishlists.models import Wishlist, WishlistItem


def _seed() -> tuple[str, dict]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1])


def _rows() -> dict[str, list[dict]]:
    return {
        "wishlists": list(Wishlist.objects.order_by("pk").values()),
        "items": list(WishlistItem.objects.order_by("pk").values()),
    }


def test_seed_demo_gives_the_demo_customer_a_default_wishlist_with_one_item(db):
    text, summary = _seed()

    user = User.objects.get(email="demo@example.com")
    wishlist = Wishlist.objects.get(user=user)
    assert summary["wishlist_id"] == wishlist.public_id
    assert (wishlist.name, wishlist.is_default, wishlist.is_private) == ("My Wishlist", True, True)
    item = WishlistItem.objects.get(wishlist=wishlist)
    assert (item.variant.public_id, item.quantity) == (summary["variant_id"], 1)
    assert f"Created demo wishlist {wishlist.public_id}" in text


def test_seed_demo_twice_changes_no_wishlist(db):
    _, first = _seed()
    rows = _rows()

    text, second = _seed()

    assert second["wishlist_id"] == first["wishlist_id"]
    assert _rows() == rows
    assert "Created" not in text


def test_the_demo_wishlist_is_served_to_the_demo_login(db):
    _, summary = _seed()
    client = StoreClient(summary["publishable_key"])
    login = client.post(
        "/auth/login", {"email": summary["user_email"], "password": summary["user_password"]}
    )
    client.access_token = login.json()["token"]

    response = client.get(f"/wishlists/{summary['wishlist_id']}", {"expand": "items"})

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert [i["variant_id"] for i in response.json()["items"]] == [summary["variant_id"]]


def test_seed_wishlist_keeps_a_customers_existing_wishlists(db):
    user = UserFactory()
    own = Wishlist.objects.create(user=user, name="Own", is_default=True)
    lines: list[str] = []

    result = seed_wishlist(user=user, variant_id="variant_unused", write=lines.append)

    assert result == {"wishlist_id": own.public_id}
    assert lines == []
    assert Wishlist.objects.filter(user=user).count() == 1
