"""Account pages of customers: the address book (add, edit, delete, defaults, country and state
pickers), the order history and an order, the data export and closing the account. Another
customer's address or order is a 404 and stays as it was; refused forms change nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AuthSession, User
from customers.models import Address
from orders.models import Order
from tests.customers.helpers import address_table, defaults_of
from tests.factories import DEFAULT_PASSWORD, AddressFactory
from tests.orders.helpers import complete, ready_cart
from tests.pages import (
    assert_redirects_to_sign_in,
    field_errors,
    messages_of,
    queries_for,
    sign_in,
)

ADDRESS_FORM = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "company": "",
    "address1": "350 Fifth Avenue",
    "address2": "Floor 86",
    "city": "New York",
    "country_iso": "US",
    "state_abbr": "NY",
    "postal_code": "10118",
    "phone": "+1 555 0100",
}


def _completed_order(user, number: int, *, days_ago: int = 0, total: str = "10.00") -> Order:
    """A completed order row, enough for the history list."""
    return Order.objects.create(
        number=f"R{number:09d}",
        token=f"token-{number}",
        user=user,
        email=user.email,
        currency="USD",
        state=Order.COMPLETE,
        completed_at=timezone.now() - timedelta(days=days_ago),
        item_count=1,
        item_total=Decimal(total),
        total=Decimal(total),
    )


# --- who may see which page ------------------------------------------------------------------

PAGES = [
    "/account/addresses/",
    "/account/addresses/new/",
    "/account/orders/",
    "/account/data/",
    "/account/data/download/",
    "/account/close/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_an_anonymous_visitor_to_sign_in(client, db, path):
    assert_redirects_to_sign_in(client.get(path), path)


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_for_their_owner(client, customer, path):
    sign_in(client, customer)

    assert client.get(path).status_code == 200


# --- the address book ------------------------------------------------------------------------


def test_address_book_lists_only_the_owners_addresses(client, customer, other_customer):
    AddressFactory(user=customer, address1="1 Mine Street", is_default_shipping=True)
    AddressFactory(user=other_customer, address1="9 Theirs Road")
    sign_in(client, customer)

    content = client.get("/account/addresses/").content.decode()

    assert "1 Mine Street" in content and "Default shipping" in content
    assert "9 Theirs Road" not in content


def test_address_book_costs_the_same_queries_for_one_address_or_many(client, customer):
    AddressFactory(user=customer)
    sign_in(client, customer)
    one = queries_for(client, "/account/addresses/")
    for _ in range(4):
        AddressFactory(user=customer)

    assert queries_for(client, "/account/addresses/") == one


def test_address_form_offers_served_countries_and_the_states_of_the_chosen_one(client, customer):
    sign_in(client, customer)

    response = client.get("/account/addresses/new/")

    form = response.context["form"]
    assert form["country_iso"].value() == "US"
    assert ("DE", "Germany") in form.fields["country_iso"].widget.choices
    assert ("AF", "Afghanistan") not in form.fields["country_iso"].widget.choices
    assert ("NY", "New York") in form.fields["state_abbr"].widget.choices
    assert response.context["states"]["CA"][:2] == [
        ("", "Choose a state or province"),
        ("AB", "Alberta"),
    ]
    assert b'id="state-picker-data"' in response.content


def test_without_javascript_the_states_follow_the_chosen_country_and_nothing_is_saved(
    client, customer
):
    sign_in(client, customer)

    response = client.post(
        "/account/addresses/new/", {**ADDRESS_FORM, "country_iso": "CA", "refresh": "1"}
    )

    assert response.status_code == 200
    assert ("ON", "Ontario") in response.context["form"].fields["state_abbr"].widget.choices
    assert response.context["form"]["city"].value() == "New York"
    assert not Address.objects.exists()


def test_adding_the_first_address_makes_it_both_defaults(client, customer):
    sign_in(client, customer)

    response = client.post("/account/addresses/new/", ADDRESS_FORM)

    assert response["Location"] == "/account/addresses/"
    address = Address.objects.get(user=customer)
    assert (address.address1, address.state_abbr, address.state_name, address.country_id) == (
        "350 Fifth Avenue",
        "NY",
        "New York",
        "US",
    )
    assert (address.is_default_billing, address.is_default_shipping) == (True, True)
    assert messages_of(response) == ["The address has been added."]


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"city": ""}, "city", "City can't be blank"),
        ({"postal_code": "ABC"}, "postal_code", "Postal code is invalid"),
        ({"state_abbr": ""}, "state_abbr", "State / province can't be blank"),
        ({"state_abbr": "ZZ"}, "state_abbr", "State / province is invalid"),
        ({"country_iso": "AF"}, "country_iso", "Country is not a country the store ships to"),
        ({"country_iso": ""}, "country_iso", "Country can't be blank"),
    ],
)
def test_a_bad_address_shows_the_error_next_to_the_field_and_saves_nothing(
    client, customer, overrides, field, error
):
    sign_in(client, customer)
    AddressFactory(user=customer)
    table = address_table()

    response = client.post("/account/addresses/new/", {**ADDRESS_FORM, **overrides})

    assert response.status_code == 200
    assert field_errors(response) == {field: [error]}
    assert f'id="id_{field}_error"'.encode() in response.content
    assert b'aria-invalid="true"' in response.content
    assert messages_of(response) == ["The address was not saved. Please correct the errors below."]
    assert address_table() == table


def test_editing_an_address(client, customer):
    address = AddressFactory(user=customer)
    sign_in(client, customer)
    path = f"/account/addresses/{address.public_id}/edit/"
    assert client.get(path).context["form"]["address1"].value() == "350 Fifth Avenue"

    response = client.post(path, {**ADDRESS_FORM, "address1": "20 W 34th St"})

    assert response["Location"] == "/account/addresses/"
    address.refresh_from_db()
    assert address.address1 == "20 W 34th St"


def test_editing_with_bad_input_changes_nothing(client, customer):
    address = AddressFactory(user=customer)
    sign_in(client, customer)
    table = address_table()

    response = client.post(
        f"/account/addresses/{address.public_id}/edit/", {**ADDRESS_FORM, "first_name": ""}
    )

    assert field_errors(response) == {"first_name": ["First name can't be blank"]}
    assert address_table() == table


def test_another_customers_address_is_not_found_and_stays(client, customer, other_customer):
    theirs = AddressFactory(user=other_customer, is_default_shipping=True)
    sign_in(client, customer)
    table = address_table()
    base = f"/account/addresses/{theirs.public_id}"

    responses = [
        client.get(f"{base}/edit/"),
        client.post(f"{base}/edit/", {**ADDRESS_FORM, "address1": "Hijacked"}),
        client.post(f"{base}/delete/"),
        client.post(f"{base}/default/", {"kind": "billing"}),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert address_table() == table


def test_an_unknown_address_id_is_not_found(client, customer):
    sign_in(client, customer)

    assert client.get("/account/addresses/addr_nope/edit/").status_code == 404


def test_deleting_an_address(client, customer):
    address = AddressFactory(user=customer)
    sign_in(client, customer)

    response = client.post(f"/account/addresses/{address.public_id}/delete/")

    assert response["Location"] == "/account/addresses/"
    assert not Address.objects.filter(pk=address.pk).exists()
    assert messages_of(response) == ["The address has been deleted."]


def test_deleting_is_post_only(client, customer):
    address = AddressFactory(user=customer)
    sign_in(client, customer)

    assert client.get(f"/account/addresses/{address.public_id}/delete/").status_code == 405
    assert Address.objects.filter(pk=address.pk).exists()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("shipping", ([1], [2])), ("billing", ([2], [1]))],
)
def test_choosing_a_default_address(client, customer, kind, expected):
    first = AddressFactory(user=customer, is_default_billing=True, is_default_shipping=True)
    second = AddressFactory(user=customer, address1="20 W 34th St")
    sign_in(client, customer)

    response = client.post(f"/account/addresses/{second.public_id}/default/", {"kind": kind})

    assert response["Location"] == "/account/addresses/"
    names = {1: first.pk, 2: second.pk}
    billing, shipping = expected
    assert defaults_of(customer) == ([names[n] for n in billing], [names[n] for n in shipping])
    assert messages_of(response) == [f"Your default {kind} address has been changed."]


def test_choosing_a_default_of_an_unknown_kind_changes_nothing(client, customer):
    AddressFactory(user=customer, is_default_billing=True, is_default_shipping=True)
    second = AddressFactory(user=customer)
    sign_in(client, customer)
    table = address_table()

    response = client.post(f"/account/addresses/{second.public_id}/default/", {"kind": "gift"})

    assert messages_of(response) == ["Choose whether this is your shipping or billing address."]
    assert address_table() == table


# --- orders ----------------------------------------------------------------------------------


def test_order_history_lists_only_the_owners_completed_orders(client, customer, other_customer):
    _completed_order(customer, 1, total="42.50")
    _completed_order(other_customer, 2)
    Order.objects.create(number="R000000003", token="cart-3", user=customer, currency="USD")
    sign_in(client, customer)

    response = client.get("/account/orders/")

    assert [order.number for order in response.context["page"]] == ["R000000001"]
    assert b"$42.50" in response.content


def test_order_history_is_paginated_newest_first(client, customer, django_assert_max_num_queries):
    for number in range(1, 13):
        _completed_order(customer, number, days_ago=number)
    sign_in(client, customer)

    with django_assert_max_num_queries(16):
        first = client.get("/account/orders/")
    second = client.get("/account/orders/?page=2")

    assert [o.number for o in first.context["page"]][:2] == ["R000000001", "R000000002"]
    assert len(first.context["page"]) == 10
    assert [o.number for o in second.context["page"]] == ["R000000011", "R000000012"]
    assert b'rel="next"' in first.content and b'rel="prev"' in second.content


def test_order_page_shows_the_order(client, customer, customer_api, shop):
    cart = ready_cart(customer_api, shop, quantity=2)
    assert complete(customer_api, cart).status_code == 200
    order = Order.objects.get(user=customer, state=Order.COMPLETE)
    sign_in(client, customer)

    response = client.get(f"/account/orders/{order.order_id}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Order {order.number}" in content
    assert "Mug" in content and "$25.00" in content  # 2 x 12.50
    assert "Ground" in content and "Check" in content
    assert "350 Fifth Avenue" in content


def test_another_customers_order_is_not_found(client, customer, other_customer):
    theirs = _completed_order(other_customer, 7)
    sign_in(client, customer)

    assert client.get(f"/account/orders/{theirs.order_id}/").status_code == 404
    assert client.get("/account/orders/or_unknown/").status_code == 404


def test_an_open_cart_is_not_an_order(client, customer):
    cart = Order.objects.create(number="R000000009", token="cart-9", user=customer, currency="USD")
    sign_in(client, customer)

    assert client.get(f"/account/orders/{cart.order_id}/").status_code == 404


# --- personal data ---------------------------------------------------------------------------


def test_data_download_is_a_json_attachment_of_the_export(client, customer):
    AddressFactory(user=customer, address1="1 Mine Street")
    sign_in(client, customer)

    response = client.get("/account/data/download/")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    document = json.loads(response.content)
    assert document["profile"]["email"] == "ada@example.com"
    assert [a["address1"] for a in document["addresses"]] == ["1 Mine Street"]
    assert len(document["sessions"]) == 1


# --- closing the account ---------------------------------------------------------------------


def _user_row(user) -> dict:
    return User.objects.filter(pk=user.pk).values().get()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"current_password": "wrong", "confirm": "on"},
            {"current_password": ["Current password is incorrect."]},
        ),
        (
            {"current_password": DEFAULT_PASSWORD},
            {"confirm": ["Please confirm that you want to close your account."]},
        ),
    ],
    ids=["wrong password", "not confirmed"],
)
def test_closing_refused_changes_nothing(client, customer, data, errors):
    AddressFactory(user=customer)
    sign_in(client, customer)
    row, table = _user_row(customer), address_table()

    response = client.post("/account/close/", data)

    assert response.status_code == 200
    assert field_errors(response) == errors
    assert _user_row(customer) == row and address_table() == table
    assert AuthSession.objects.filter(user=customer).exists()


def test_closing_the_account_signs_out_and_erases_the_profile(client, customer):
    AddressFactory(user=customer)
    sign_in(client, customer)

    response = client.post(
        "/account/close/", {"current_password": DEFAULT_PASSWORD, "confirm": "on"}
    )

    assert response["Location"] == "/"
    customer.refresh_from_db()
    assert (customer.is_active, customer.first_name) == (False, "")
    assert customer.email.endswith("@closed.invalid")
    assert not Address.objects.filter(user=customer).exists()
    assert "_auth_user_id" not in client.session
    assert messages_of(response) == ["Your account has been closed. Goodbye!"]
