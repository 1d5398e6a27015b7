"""Wishlist pages: the customer's wishlists (create, rename, delete, default, sharing, remove
items), "Add to wishlist" from a product page, and the public page of a shared wishlist. Another
customer's wishlist is a 404 and stays as it was; refused forms change nothing."""

from __future__ import annotations

import pytest

from tests.pages import (
    assert_redirects_to_sign_in,
    field_errors,
    messages_of,
    queries_for,
    sign_in,
)
from tests.wishlists.helpers import defaults_of, table
from wishlists.models import Wishlist, WishlistItem
from wishlists.services import wishlist_create, wishlist_item_add


def _wishlist(user, name: str = "Birthday Ideas", *items, **fields) -> Wishlist:
    wishlist = wishlist_create(user=user, name=name, **fields)
    for variant in items:
        wishlist_item_add(user=user, wishlist=wishlist, variant_id=variant.public_id)
    return wishlist


# --- who may see which page ------------------------------------------------------------------


def test_wishlist_pages_send_an_anonymous_visitor_to_sign_in(client, customer):
    wishlist = _wishlist(customer)

    for path in ["/account/wishlists/", f"/account/wishlists/{wishlist.public_id}/"]:
        assert_redirects_to_sign_in(client.get(path), path)


def test_the_list_shows_only_the_owners_wishlists(client, customer, other_customer, variants):
    _wishlist(customer, "Birthday Ideas", variants["mug"], variants["tee_s"])
    _wishlist(other_customer, "Grace's secret list")
    sign_in(client, customer)

    response = client.get("/account/wishlists/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Birthday Ideas" in content and "2 items" in content and "Default" in content
    assert "Grace" not in content


def test_pages_cost_the_same_queries_for_few_items_or_many(client, customer, variants):
    wishlist = _wishlist(customer, "First", variants["tee_s"], is_private=False)
    sign_in(client, customer)
    paths = [
        "/account/wishlists/",
        f"/account/wishlists/{wishlist.public_id}/",
        f"/wishlists/shared/{wishlist.token}/",
    ]
    few = [queries_for(client, path) for path in paths]
    for variant in (variants["mug"], variants["tee_m"]):
        wishlist_item_add(user=customer, wishlist=wishlist, variant_id=variant.public_id)
    _wishlist(customer, "Second", variants["mug"], variants["tee_m"])

    assert [queries_for(client, path) for path in paths] == few


def test_a_wishlist_page_shows_its_items_with_prices(client, customer, variants):
    wishlist = _wishlist(customer, "Birthday Ideas", variants["mug"], variants["tee_m"])
    sign_in(client, customer)

    response = client.get(f"/account/wishlists/{wishlist.public_id}/")

    content = response.content.decode()
    assert "Coffee Mug" in content and "$12.50" in content
    assert "Classic Tee" in content and "Size: M" in content and "$22.00" in content
    assert "Share this wishlist" in content  # private: not shared yet


def test_another_customers_wishlist_is_not_found_and_stays(
    client, customer, other_customer, variants
):
    theirs = _wishlist(other_customer, "Theirs", variants["mug"], is_private=False)
    item = theirs.items.get()
    sign_in(client, customer)
    before = table()
    base = f"/account/wishlists/{theirs.public_id}"

    responses = [
        client.get(f"{base}/"),
        client.post(f"{base}/", {"name": "Mine now"}),
        client.post(f"{base}/delete/"),
        client.post(f"{base}/sharing/", {"share": "0"}),
        client.post(f"{base}/default/"),
        client.post(f"{base}/items/{item.public_id}/remove/"),
        client.get("/account/wishlists/wl_unknown/"),
    ]

    assert [response.status_code for response in responses] == [404] * 7
    assert table() == before


# --- create, rename, delete, default ---------------------------------------------------------


def test_creating_the_first_wishlist_makes_it_the_default(client, customer):
    sign_in(client, customer)

    response = client.post("/account/wishlists/", {"name": "  Holiday  "})

    wishlist = Wishlist.objects.get(user=customer)
    assert response["Location"] == f"/account/wishlists/{wishlist.public_id}/"
    assert (wishlist.name, wishlist.is_default, wishlist.is_private) == ("Holiday", True, True)
    assert messages_of(response) == ["The wishlist “Holiday” has been created."]


@pytest.mark.parametrize(
    ("name", "error"),
    [("", "Name can't be blank"), ("   ", "Name can't be blank")],
)
def test_creating_a_wishlist_without_a_name_creates_nothing(client, customer, name, error):
    sign_in(client, customer)

    response = client.post("/account/wishlists/", {"name": name})

    assert response.status_code == 200
    assert field_errors(response) == {"name": [error]}
    assert messages_of(response) == [
        "The wishlist was not created. Please correct the errors below."
    ]
    assert not Wishlist.objects.exists()


def test_creating_a_wishlist_with_too_long_a_name_creates_nothing(client, customer):
    sign_in(client, customer)

    response = client.post("/account/wishlists/", {"name": "x" * 256})

    assert list(field_errors(response)) == ["name"]
    assert not Wishlist.objects.exists()


def test_renaming_a_wishlist(client, customer):
    wishlist = _wishlist(customer)
    sign_in(client, customer)

    response = client.post(f"/account/wishlists/{wishlist.public_id}/", {"name": "Christmas"})

    assert response["Location"] == f"/account/wishlists/{wishlist.public_id}/"
    wishlist.refresh_from_db()
    assert wishlist.name == "Christmas"


def test_renaming_to_a_blank_name_changes_nothing(client, customer):
    wishlist = _wishlist(customer)
    sign_in(client, customer)
    before = table()

    response = client.post(f"/account/wishlists/{wishlist.public_id}/", {"name": " "})

    assert field_errors(response) == {"name": ["Name can't be blank"]}
    assert table() == before


def test_deleting_the_default_wishlist_promotes_another(client, customer, variants):
    default = _wishlist(customer, "First", variants["mug"])
    other = _wishlist(customer, "Second")
    sign_in(client, customer)

    response = client.post(f"/account/wishlists/{default.public_id}/delete/")

    assert response["Location"] == "/account/wishlists/"
    assert list(Wishlist.objects.filter(user=customer)) == [other]
    assert defaults_of(customer) == ["Second"]
    assert not WishlistItem.objects.exists()


def test_choosing_the_default_wishlist(client, customer):
    _wishlist(customer, "First")
    second = _wishlist(customer, "Second")
    sign_in(client, customer)

    client.post(f"/account/wishlists/{second.public_id}/default/")

    assert defaults_of(customer) == ["Second"]


def test_writes_are_post_only(client, customer):
    wishlist = _wishlist(customer)
    sign_in(client, customer)
    before = table()

    assert client.get(f"/account/wishlists/{wishlist.public_id}/delete/").status_code == 405
    assert client.get("/account/wishlists/add/").status_code == 405
    assert table() == before


# --- items -----------------------------------------------------------------------------------


def test_removing_an_item(client, customer, variants):
    wishlist = _wishlist(customer, "Birthday Ideas", variants["mug"], variants["tee_s"])
    mug = wishlist.items.get(variant=variants["mug"])
    sign_in(client, customer)

    response = client.post(f"/account/wishlists/{wishlist.public_id}/items/{mug.public_id}/remove/")

    assert response["Location"] == f"/account/wishlists/{wishlist.public_id}/"
    assert list(wishlist.items.values_list("variant__sku", flat=True)) == ["TEE-S"]


def test_an_item_of_another_wishlist_is_not_found(client, customer, other_customer, variants):
    mine = _wishlist(customer, "Mine")
    theirs = _wishlist(other_customer, "Theirs", variants["mug"])
    item = theirs.items.get()
    sign_in(client, customer)
    before = table()

    response = client.post(f"/account/wishlists/{mine.public_id}/items/{item.public_id}/remove/")

    assert response.status_code == 404
    assert table() == before


def test_add_to_wishlist_creates_the_default_wishlist_for_a_first_wish(client, customer, variants):
    sign_in(client, customer)

    response = client.post(
        "/account/wishlists/add/",
        {"variant_id": variants["mug"].public_id},
        HTTP_REFERER="http://testserver/products/coffee-mug/",
    )

    assert response["Location"] == "http://testserver/products/coffee-mug/"
    wishlist = Wishlist.objects.get(user=customer)
    assert (wishlist.name, wishlist.is_default) == ("My wishlist", True)
    assert list(wishlist.items.values_list("variant", flat=True)) == [variants["mug"].pk]
    assert messages_of(response) == ["Coffee Mug has been added to your wishlist “My wishlist”."]


def test_add_to_wishlist_uses_the_default_wishlist(client, customer, variants):
    _wishlist(customer, "First")
    second = _wishlist(customer, "Second", is_default=True)
    sign_in(client, customer)

    response = client.post(
        "/account/wishlists/add/",
        {"variant_id": variants["tee_s"].public_id, "next": "/products/classic-tee/"},
    )

    assert response["Location"] == "/products/classic-tee/"
    assert list(second.items.values_list("variant", flat=True)) == [variants["tee_s"].pk]


def test_adding_a_variant_already_wished_for_changes_nothing(client, customer, variants):
    _wishlist(customer, "Birthday Ideas", variants["mug"])
    sign_in(client, customer)
    before = table()

    response = client.post("/account/wishlists/add/", {"variant_id": variants["mug"].public_id})

    assert messages_of(response) == ["That item is already on your wishlist."]
    assert table() == before


@pytest.mark.parametrize("variant", ["draft", "unknown", "missing"])
def test_adding_an_unavailable_variant_creates_nothing(client, customer, variants, variant):
    sign_in(client, customer)
    data = {
        "draft": {"variant_id": variants["draft"].public_id},
        "unknown": {"variant_id": "variant_nope"},
        "missing": {},
    }[variant]

    response = client.post("/account/wishlists/add/", data)

    assert response.status_code == 302
    assert messages_of(response) == ["That item cannot be added to a wishlist."]
    assert table() == {"wishlists": [], "items": []}


def test_add_to_wishlist_signed_out_asks_to_sign_in_and_comes_back(client, variants):
    response = client.post(
        "/account/wishlists/add/",
        {"variant_id": variants["mug"].public_id},
        HTTP_REFERER="http://testserver/products/coffee-mug/?size=m",
    )

    assert response["Location"] == "/account/sign-in/?next=%2Fproducts%2Fcoffee-mug%2F%3Fsize%3Dm"
    assert messages_of(response) == ["Sign in to save items to your wishlist."]
    assert table() == {"wishlists": [], "items": []}


def test_add_to_wishlist_never_returns_to_another_site(client, customer, variants):
    sign_in(client, customer)

    response = client.post(
        "/account/wishlists/add/",
        {"variant_id": variants["mug"].public_id, "next": "https://evil.example/"},
        HTTP_REFERER="https://evil.example/page",
    )

    assert response["Location"] == "/account/wishlists/"


# --- sharing ---------------------------------------------------------------------------------


def test_sharing_a_wishlist_shows_its_link(client, customer, variants):
    wishlist = _wishlist(customer, "Birthday Ideas", variants["mug"])
    sign_in(client, customer)

    client.post(f"/account/wishlists/{wishlist.public_id}/sharing/", {"share": "1"})
    response = client.get(f"/account/wishlists/{wishlist.public_id}/")

    wishlist.refresh_from_db()
    assert wishlist.is_private is False
    link = f"http://testserver/wishlists/shared/{wishlist.token}/"
    assert response.context["share_url"] == link
    assert f'value="{link}" readonly' in response.content.decode()
    assert b"data-copy-target" in response.content


def test_stopping_sharing_makes_the_link_dead(client, customer, variants):
    wishlist = _wishlist(customer, "Birthday Ideas", variants["mug"], is_private=False)
    sign_in(client, customer)

    client.post(f"/account/wishlists/{wishlist.public_id}/sharing/", {"share": "0"})

    wishlist.refresh_from_db()
    assert wishlist.is_private is True
    assert client.get(f"/wishlists/shared/{wishlist.token}/").status_code == 404


def test_a_shared_wishlist_opens_signed_out_without_its_controls(client, customer, variants):
    wishlist = _wishlist(customer, "Birthday Ideas", variants["mug"], is_private=False)

    response = client.get(f"/wishlists/shared/{wishlist.token}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Birthday Ideas" in content and "Coffee Mug" in content and "$12.50" in content
    assert "Remove" not in content and "ada@example.com" not in content


@pytest.mark.parametrize("token", ["private", "unknown"])
def test_a_private_or_unknown_shared_link_is_not_found(client, customer, variants, token):
    wishlist = _wishlist(customer, "Secret", variants["mug"])
    value = wishlist.token if token == "private" else "1" * 24

    assert client.get(f"/wishlists/shared/{value}/").status_code == 404
