"""PATCH /carts/:id/associate (STORE_API.md §2.5): the JWT and the cart token together move a
guest cart to the signed-in customer."""

import pytest

from orders.models import Order
from storeapi.ids import encode_id
from tests.factories import AddressFactory
from tests.orders.helpers import (
    ACCESS_DENIED,
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
)


def _associate(client, cart, **headers):
    return client.patch(f"/carts/{cart['id']}/associate", **headers)


@pytest.fixture
def guest_cart(api, shop):
    cart = create_cart(api, {"email": "guest@example.com"})
    return add_item(api, cart, shop["variant"], 2)


def test_without_a_jwt_it_is_401_and_nothing_changes(api, shop, guest_cart):
    before = snapshot()

    response = _associate(api, guest_cart, **token_of(guest_cart))

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED
    assert snapshot() == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_X_SPREE_TOKEN": "wrong"}, {"HTTP_X_SPREE_ORDER_TOKEN": "wrong"}],
    ids=["missing token", "wrong token", "wrong order token"],
)
def test_without_the_cart_token_it_is_403_and_nothing_changes(
    customer_api, shop, guest_cart, headers
):
    before = snapshot()

    response = _associate(customer_api, guest_cart, **headers)

    assert response.status_code == 403
    assert response.json() == ACCESS_DENIED
    assert snapshot() == before


def test_even_the_owner_needs_the_token(customer_api, shop):
    cart = create_cart(customer_api)
    before = snapshot()

    response = _associate(customer_api, cart)

    assert response.status_code == 403
    assert snapshot() == before


def test_another_customers_cart_is_not_found_even_with_its_token(other_api, customer_api, shop):
    theirs = create_cart(other_api)
    before = snapshot()

    response = _associate(customer_api, theirs, **token_of(theirs))

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND
    assert snapshot() == before


def test_a_completed_cart_is_not_found(api, customer_api, shop):
    cart = addressed_cart(api, shop["variant"])
    pay(api, cart, shop["check"])
    assert complete(api, cart).status_code == 200
    before = snapshot()

    response = _associate(customer_api, cart, **token_of(cart))

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND
    assert snapshot() == before


def test_an_unknown_cart_is_not_found(customer_api, shop):
    response = customer_api.patch(
        f"/carts/{encode_id('cart', 999_999)}/associate", HTTP_X_SPREE_TOKEN="anything"
    )

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND


def test_a_guest_cart_becomes_the_customers_with_their_email_and_default_addresses(
    customer_api, customer, shop, guest_cart
):
    billing = AddressFactory(
        user=customer,
        is_default_billing=True,
        city="Boston",
        postal_code="02110",
        state_abbr="MA",
        state_name="Massachusetts",
    )
    shipping = AddressFactory(user=customer, is_default_shipping=True)
    AddressFactory(user=customer)  # neither default: never picked

    response = _associate(customer_api, guest_cart, **token_of(guest_cart))

    assert response.status_code == 200
    body = response.json()
    row = order_of(guest_cart)
    assert row.user_id == customer.pk
    assert row.email == "ada@example.com"
    assert body["email"] == "ada@example.com"
    assert (row.bill_address_id, row.ship_address_id) == (billing.pk, shipping.pk)
    assert body["billing_address"]["id"] == billing.public_id
    assert body["shipping_address"]["id"] == shipping.public_id
    assert body["token"] == guest_cart["token"]
    assert [i["quantity"] for i in body["items"]] == [2]
    assert body["current_step"] == "payment"
    assert body["fulfillments"][0]["delivery_rates"][0]["selected"] is True
    # Now the customer's: the JWT alone opens it.
    assert customer_api.get(f"/carts/{guest_cart['id']}").status_code == 200


def test_addresses_already_on_the_cart_are_kept(api, customer_api, customer, shop):
    cart = addressed_cart(api, shop["variant"])
    AddressFactory(user=customer, is_default_billing=True, is_default_shipping=True)

    body = _associate(customer_api, cart, **token_of(cart)).json()

    assert body["shipping_address"]["id"] == cart["shipping_address"]["id"]
    assert body["billing_address"]["id"] == cart["billing_address"]["id"]


def test_a_customer_without_defaults_keeps_an_empty_cart_address(customer_api, shop, guest_cart):
    body = _associate(customer_api, guest_cart, **token_of(guest_cart)).json()

    assert body["shipping_address"] is None
    assert body["billing_address"] is None
    assert body["current_step"] == "address"


def test_associating_an_own_cart_again_is_harmless(customer_api, customer, shop, guest_cart):
    first = _associate(customer_api, guest_cart, **token_of(guest_cart)).json()

    response = _associate(customer_api, guest_cart, **token_of(guest_cart))

    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert order_of(guest_cart).user_id == customer.pk


def test_the_customers_other_carts_are_not_merged(customer_api, customer, shop, guest_cart):
    own = add_item(customer_api, create_cart(customer_api), shop["variant"], 1)

    _associate(customer_api, guest_cart, **token_of(guest_cart))

    assert Order.objects.filter(user=customer, state=Order.CART).count() == 2
    assert [i["quantity"] for i in customer_api.get(f"/carts/{own['id']}").json()["items"]] == [1]
    listed = customer_api.get("/carts").json()
    assert {c["id"] for c in listed["data"]} == {own["id"], guest_cart["id"]}
