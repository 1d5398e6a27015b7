"""The cart routes: create, get, update (email, note, metadata, addresses, items), delete, list."""

import re

import pytest

from catalog.models import Price
from customers.models import Address
from orders.models import LineItem, Order
from tests.factories import AddressFactory
from tests.orders.conftest import US_ADDRESS, make_variant
from tests.orders.helpers import (
    AUTHENTICATION_REQUIRED,
    CART_NOT_FOUND,
    add_item,
    addressed_cart,
    complete,
    create_cart,
    order_of,
    pay,
    snapshot,
    token_of,
    update_cart,
)

BASE58 = re.compile(r"\A[1-9A-HJ-NP-Za-km-z]{35}\Z")
EMPTY_CART_REQUIREMENTS = [
    {"step": "cart", "field": "line_items", "message": "Add at least one item to your cart"},
    {"step": "address", "field": "email", "message": "Email address is required"},
    {"step": "address", "field": "ship_address", "message": "Shipping address is required"},
    {
        "step": "delivery",
        "field": "shipping_method",
        "message": "Select a shipping method for all shipments",
    },
]


# --- create -----------------------------------------------------------------------------------


def test_guest_cart_is_created_empty_with_a_fresh_token(api, shop):
    response = api.post("/carts")

    assert response.status_code == 201
    cart = response.json()
    row = order_of(cart)
    assert cart["id"] == row.cart_id
    assert cart["token"] == row.token
    assert BASE58.match(cart["token"])  # 35 base58 characters: ~205 bits
    assert re.fullmatch(r"R\d{9}", cart["number"])
    assert row.user_id is None
    assert row.state == Order.CART
    assert cart["email"] is None
    assert cart["currency"] == "USD"
    assert cart["items"] == []
    assert cart["fulfillments"] == []
    assert cart["payments"] == []
    assert cart["total"] == "0.00"
    assert cart["current_step"] == "address"
    assert cart["completed_steps"] == []
    assert cart["requirements"] == EMPTY_CART_REQUIREMENTS
    assert cart["payment_methods"][0]["id"] == shop["check"].public_id


def test_every_cart_gets_its_own_token_and_number(api):
    first, second = create_cart(api), create_cart(api)

    assert first["token"] != second["token"]
    assert first["number"] != second["number"]
    assert first["id"] != second["id"]


def test_cart_created_with_a_jwt_belongs_to_the_customer_with_their_email(customer_api, customer):
    cart = create_cart(customer_api)

    row = order_of(cart)
    assert row.user_id == customer.pk
    assert row.email == "ada@example.com"
    assert cart["email"] == "ada@example.com"


def test_cart_created_with_items_and_email_holds_them(api, shop):
    cart = create_cart(
        api,
        {
            "email": "Guest@Example.com",
            "items": [{"variant_id": shop["variant"].public_id, "quantity": 2}],
            "metadata": {"source": "landing"},
        },
    )

    assert cart["email"] == "guest@example.com"
    assert [(i["variant_id"], i["quantity"], i["total"]) for i in cart["items"]] == [
        (shop["variant"].public_id, 2, "25.00")
    ]
    assert cart["item_total"] == "25.00"
    assert order_of(cart).metadata == {"source": "landing"}


def test_cart_create_with_an_unknown_variant_creates_nothing(api, shop):
    before = snapshot()

    response = api.post("/carts", {"items": [{"variant_id": "variant_unknown00", "quantity": 1}]})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "variant_not_found"
    assert snapshot() == before


def test_a_cart_is_created_in_a_currency_the_store_sells(api, shop):
    euro = make_variant(name="Euro mug", price="11.00")
    Price.objects.filter(variant=euro).update(currency="EUR")

    by_body = create_cart(api, {"currency": "eur"})
    by_header = create_cart(api, HTTP_X_SPREE_CURRENCY="EUR")

    assert (by_body["currency"], by_header["currency"]) == ("EUR", "EUR")
    assert add_item(api, by_body, euro, 1)["item_total"] == "11.00"


@pytest.mark.parametrize("currency", ["ZZZ", "EURO", "eu", 5, None, ""])
def test_a_currency_the_store_does_not_sell_falls_back_to_the_store_currency(api, shop, currency):
    assert create_cart(api, {"currency": currency})["currency"] == "USD"


def test_changing_the_currency_reprices_the_items(api, shop):
    Price.objects.create(variant=shop["variant"], currency="EUR", amount="11.00")
    cart = add_item(api, create_cart(api), shop["variant"], 2)

    body = update_cart(api, cart, {"currency": "EUR"})

    assert (body["currency"], body["item_total"], body["items"][0]["price"]) == (
        "EUR",
        "22.00",
        "11.00",
    )
    assert body["display_item_total"] == "€22.00"


@pytest.mark.parametrize(
    ("currency", "message"),
    [
        ("ZZZ", "is not supported"),
        ("GBP", "is not available for every item"),
        ("EURO", "is invalid"),
    ],
)
def test_a_currency_change_the_items_cannot_follow_changes_nothing(api, shop, currency, message):
    Price.objects.create(variant=make_variant(name="Lamp"), currency="GBP", amount="9.00")
    cart = add_item(api, create_cart(api), shop["variant"], 1)
    before = snapshot()

    response = api.patch(f"/carts/{cart['id']}", {"currency": currency}, **token_of(cart))

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"currency": [message]}
    assert snapshot() == before


# --- get ----------------------------------------------------------------------------------------


def test_get_returns_the_cart_with_its_items_and_totals(api, shop):
    cart = create_cart(api)
    add_item(api, cart, shop["variant"], 3)

    response = api.get(f"/carts/{cart['id']}", **token_of(cart))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == cart["id"]
    assert body["total_quantity"] == 3
    assert body["item_total"] == "37.50"
    assert body["display_item_total"] == "$37.50"
    assert body["total"] == "37.50"
    assert body["amount_due"] == "37.50"
    assert body["warnings"] == []


# --- update: email, note, metadata ---------------------------------------------------------------


def test_update_sets_email_note_and_merges_metadata(api, shop):
    cart = create_cart(api, {"metadata": {"source": "landing", "ab": "a"}})

    body = update_cart(
        api,
        cart,
        {
            "email": "  Shopper@Example.COM ",
            "customer_note": "Leave it at the door",
            "metadata": {"ab": "b", "gift": True},
            "locale": "de",
        },
    )

    assert body["email"] == "shopper@example.com"
    assert body["customer_note"] == "Leave it at the door"
    assert body["locale"] == "de"
    row = order_of(cart)
    assert (row.email, row.customer_note) == ("shopper@example.com", "Leave it at the door")
    assert row.metadata == {"source": "landing", "ab": "b", "gift": True}


def test_an_invalid_email_is_a_validation_error_and_changes_nothing(api, shop):
    cart = create_cart(api, {"email": "first@example.com"})
    before = snapshot()

    response = api.patch(
        f"/carts/{cart['id']}",
        {"email": "not-an-email", "customer_note": "ignored"},
        **token_of(cart),
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "validation_error",
        "message": "Email is invalid",
        "details": {"email": ["is invalid"]},
    }
    assert snapshot() == before


def test_a_note_of_the_wrong_type_is_a_validation_error(api, shop):
    cart = create_cart(api)
    before = snapshot()

    response = api.patch(f"/carts/{cart['id']}", {"customer_note": 42}, **token_of(cart))

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"customer_note": ["must be a string"]}
    assert snapshot() == before


def test_a_body_that_is_not_an_object_is_a_bad_request(api, shop):
    cart = create_cart(api)

    response = api.patch(f"/carts/{cart['id']}", [1, 2], **token_of(cart))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


# --- update: addresses ---------------------------------------------------------------------------


def test_customer_sets_their_own_addresses_by_id(customer_api, customer, shop):
    home = AddressFactory(user=customer)
    office = AddressFactory(
        user=customer,
        address1="1 Infinite Loop",
        city="Cupertino",
        postal_code="95014",
        state_abbr="CA",
        state_name="California",
    )
    cart = create_cart(customer_api)
    add_item(customer_api, cart, shop["variant"])

    response = customer_api.patch(
        f"/carts/{cart['id']}",
        {"shipping_address_id": home.public_id, "billing_address_id": office.public_id},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["shipping_address"]["id"] == home.public_id
    assert body["billing_address"]["id"] == office.public_id
    assert body["shipping_eq_billing_address"] is False
    row = order_of(cart)
    assert (row.ship_address_id, row.bill_address_id) == (home.pk, office.pk)
    assert body["current_step"] == "payment"


def test_address_id_of_another_customer_is_not_found_and_nothing_changes(
    customer_api, other_customer, shop
):
    theirs = AddressFactory(user=other_customer)
    cart = create_cart(customer_api)
    before = snapshot()

    for field in ("shipping_address_id", "billing_address_id"):
        response = customer_api.patch(f"/carts/{cart['id']}", {field: theirs.public_id})

        assert response.status_code == 404
        assert response.json()["error"] == {
            "code": "record_not_found",
            "message": "Address not found",
        }
    assert snapshot() == before


def test_guest_cannot_borrow_an_address_book_entry_by_id(api, other_customer, shop):
    theirs = AddressFactory(user=other_customer)
    cart = create_cart(api)
    before = snapshot()

    response = api.patch(
        f"/carts/{cart['id']}", {"shipping_address_id": theirs.public_id}, **token_of(cart)
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Address not found"
    assert snapshot() == before


def test_an_id_with_another_prefix_is_not_an_address(customer_api, customer, shop):
    home = AddressFactory(user=customer)
    cart = create_cart(customer_api)

    response = customer_api.patch(
        f"/carts/{cart['id']}", {"shipping_address_id": home.public_id.replace("addr_", "cart_")}
    )

    assert response.status_code == 404
    assert order_of(cart).ship_address_id is None


def test_inline_shipping_address_with_use_shipping_fills_both(api, shop):
    cart = create_cart(api)
    add_item(api, cart, shop["variant"])

    body = update_cart(
        api, cart, {"email": "g@example.com", "shipping_address": US_ADDRESS, "use_shipping": True}
    )

    row = order_of(cart)
    assert row.ship_address_id == row.bill_address_id
    address = Address.objects.get(pk=row.ship_address_id)
    assert address.user_id is None
    assert (address.city, address.postal_code, address.state_abbr) == ("New York", "10118", "NY")
    assert body["shipping_address"]["full_name"] == "Ada Lovelace"
    assert body["billing_address"] == body["shipping_address"]
    assert body["shipping_eq_billing_address"] is True


def test_without_use_shipping_the_billing_address_stays_empty(api, shop):
    cart = create_cart(api)

    body = update_cart(api, cart, {"shipping_address": US_ADDRESS})

    assert body["shipping_address"]["city"] == "New York"
    assert body["billing_address"] is None
    assert body["shipping_eq_billing_address"] is False


def test_separate_inline_billing_address(api, shop):
    cart = create_cart(api)
    billing = {**US_ADDRESS, "address1": "1 Main Street", "city": "Albany", "postal_code": "12207"}

    body = update_cart(api, cart, {"shipping_address": US_ADDRESS, "billing_address": billing})

    assert body["shipping_address"]["city"] == "New York"
    assert body["billing_address"]["city"] == "Albany"
    assert body["shipping_eq_billing_address"] is False


def test_inline_address_errors_are_keyed_by_the_address_field_and_change_nothing(api, shop):
    cart = create_cart(api, {"email": "first@example.com"})
    before = snapshot()

    response = api.patch(
        f"/carts/{cart['id']}",
        {
            "email": "second@example.com",
            "shipping_address": {**US_ADDRESS, "postal_code": "ABCDE", "city": ""},
        },
        **token_of(cart),
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"] == {
        "shipping_address.city": ["can't be blank"],
        "shipping_address.postal_code": ["is invalid"],
    }
    assert snapshot() == before


def test_inline_billing_address_errors_name_the_billing_field(api, shop):
    cart = create_cart(api)

    response = api.patch(
        f"/carts/{cart['id']}",
        {"billing_address": {**US_ADDRESS, "country_iso": "ZZ"}},
        **token_of(cart),
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"billing_address.country_iso": ["is invalid"]}


def test_an_address_that_is_not_an_object_is_a_validation_error(api, shop):
    cart = create_cart(api)

    response = api.patch(f"/carts/{cart['id']}", {"shipping_address": "Main St"}, **token_of(cart))

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"shipping_address": ["must be an object"]}


def test_inline_address_on_a_customer_cart_goes_into_their_address_book(
    customer_api, customer, shop
):
    cart = create_cart(customer_api)

    body = customer_api.patch(
        f"/carts/{cart['id']}", {"shipping_address": US_ADDRESS, "use_shipping": True}
    ).json()

    saved = Address.objects.get(user=customer)
    assert body["shipping_address"]["id"] == saved.public_id
    assert (saved.is_default_billing, saved.is_default_shipping) == (True, True)


def test_a_guest_may_set_an_address_already_on_their_cart_by_id(api, shop):
    cart = create_cart(api)
    shipping = update_cart(api, cart, {"shipping_address": US_ADDRESS})["shipping_address"]

    body = update_cart(api, cart, {"billing_address_id": shipping["id"]})

    assert body["billing_address"]["id"] == shipping["id"]
    assert body["shipping_eq_billing_address"] is True


def test_an_inline_address_with_only_an_id_is_that_address(customer_api, customer, shop):
    home = AddressFactory(user=customer)
    cart = create_cart(customer_api)

    body = customer_api.patch(
        f"/carts/{cart['id']}", {"shipping_address": {"id": home.public_id}}
    ).json()

    assert body["shipping_address"]["id"] == home.public_id
    assert Address.objects.filter(user=customer).count() == 1


# --- update: items --------------------------------------------------------------------------------


def test_items_are_upserted_by_variant(api, shop):
    poster = make_variant(name="Poster", price="8.00")
    cart = create_cart(api)
    add_item(api, cart, shop["variant"], 1)

    body = update_cart(
        api,
        cart,
        {
            "items": [
                {"variant_id": shop["variant"].public_id, "quantity": 4},
                {"variant_id": poster.public_id, "quantity": 2},
            ]
        },
    )

    assert [(i["name"], i["quantity"]) for i in body["items"]] == [("Mug", 4), ("Poster", 2)]
    assert body["item_total"] == "66.00"
    assert LineItem.objects.filter(order=order_of(cart)).count() == 2


def test_upserting_quantity_zero_removes_the_item(api, shop):
    cart = create_cart(api)
    add_item(api, cart, shop["variant"], 2)

    body = update_cart(
        api, cart, {"items": [{"variant_id": shop["variant"].public_id, "quantity": 0}]}
    )

    assert body["items"] == []
    assert body["item_total"] == "0.00"


def test_upserting_an_invalid_quantity_changes_nothing(api, shop):
    cart = create_cart(api)
    add_item(api, cart, shop["variant"], 2)
    before = snapshot()

    response = api.patch(
        f"/carts/{cart['id']}",
        {
            "email": "x@example.com",
            "items": [{"variant_id": shop["variant"].public_id, "quantity": -1}],
        },
        **token_of(cart),
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_quantity"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("items", "details"),
    [
        ("x", {"items": ["must be a list"]}),
        ([{"quantity": 1}], {"items": ["each item needs a variant_id"]}),
        (["variant_x"], {"items": ["each item needs a variant_id"]}),
    ],
)
def test_malformed_items_are_a_validation_error(api, shop, items, details):
    cart = add_item(api, create_cart(api), shop["variant"], 1)
    before = snapshot()

    response = api.patch(f"/carts/{cart['id']}", {"items": items}, **token_of(cart))

    assert response.status_code == 422
    assert response.json()["error"]["details"] == details
    assert snapshot() == before


# --- delete ---------------------------------------------------------------------------------------


def test_delete_answers_204_and_removes_the_cart_with_its_items(api, shop):
    cart = addressed_cart(api, shop["variant"])
    pay(api, cart, shop["check"])
    row = order_of(cart)

    response = api.delete(f"/carts/{cart['id']}", **token_of(cart))

    assert response.status_code == 204
    assert response.content == b""
    assert not Order.objects.filter(pk=row.pk).exists()
    assert not LineItem.objects.filter(order_id=row.pk).exists()
    assert api.get(f"/carts/{cart['id']}", **token_of(cart)).json() == CART_NOT_FOUND


def test_a_completed_cart_cannot_be_deleted(api, shop):
    cart = addressed_cart(api, shop["variant"])
    pay(api, cart, shop["check"])
    assert complete(api, cart).status_code == 200
    before = snapshot()

    response = api.delete(f"/carts/{cart['id']}", **token_of(cart))

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND
    assert snapshot() == before


# --- list -----------------------------------------------------------------------------------------


def test_listing_carts_needs_a_jwt(api, shop):
    create_cart(api)

    response = api.get("/carts")

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED


def test_listing_carts_shows_only_the_customers_open_carts_newest_first(
    customer_api, other_api, api, shop
):
    older = create_cart(customer_api)
    newer = create_cart(customer_api)
    add_item(customer_api, older, shop["variant"])  # touched last: listed first
    done = addressed_cart(customer_api, shop["variant"])
    pay(customer_api, done, shop["check"])
    assert complete(customer_api, done).status_code == 200
    create_cart(other_api)
    create_cart(api)

    response = customer_api.get("/carts")

    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body["data"]] == [older["id"], newer["id"]]
    assert body["meta"]["count"] == 2
    assert body["data"][0]["token"] == older["token"]
