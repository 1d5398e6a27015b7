"""The address book routes: authorization matrix, statuses and shapes, the in-use rule."""

import pytest

from customers.models import Address
from customers.services import addresses_mark_in_use
from storeapi.ids import encode_id
from tests.customers.helpers import ADDRESSES, DE_OFFICE, US_HOME, address_row, address_table
from tests.factories import AddressFactory

AUTHENTICATION_REQUIRED = {
    "error": {"code": "authentication_required", "message": "Authentication required"}
}
ADDRESS_NOT_FOUND = {"error": {"code": "record_not_found", "message": "Address not found"}}


def _expected(address: Address, **overrides) -> dict:
    """The Address shape of the US_HOME payload stored as `address`."""
    return {
        "id": address.public_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "full_name": "Ada Lovelace",
        "address1": "350 Fifth Avenue",
        "address2": "Floor 86",
        "postal_code": "10118",
        "city": "New York",
        "phone": "+1 555 0100",
        "company": "Analytical Engines",
        "country_name": "United States",
        "country_iso": "US",
        "state_text": "NY",
        "state_abbr": "NY",
        "state_name": "New York",
        "quick_checkout": False,
        "is_default_billing": True,
        "is_default_shipping": True,
        **overrides,
    }


@pytest.fixture
def own_address(customer_api, customer):
    response = customer_api.post(ADDRESSES, US_HOME)
    assert response.status_code == 201
    return Address.objects.get(user=customer)


# --- anonymous: 401 on every route, nothing changes ---------------------------------------


@pytest.mark.parametrize(
    ("method", "route", "body"),
    [
        ("GET", "list", None),
        ("POST", "list", US_HOME),
        ("GET", "detail", None),
        ("PATCH", "detail", {"city": "Boston"}),
        ("DELETE", "detail", None),
    ],
)
def test_anonymous_caller_gets_401_on_every_address_route(api, method, route, body):
    address = AddressFactory()
    before = address_table()
    path = ADDRESSES if route == "list" else f"{ADDRESSES}/{address.public_id}"

    response = api.call(method, path, body)

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED
    assert address_table() == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_invalid_access_token_is_treated_as_anonymous_on_the_address_book(api, method):
    api.access_token = "not.a.jwt"

    response = api.call(method, ADDRESSES, US_HOME if method == "POST" else None)

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED
    assert Address.objects.count() == 0


def test_access_token_of_a_logged_out_session_gets_401_on_the_address_book(
    customer_api, own_address
):
    logout = customer_api.post("/auth/logout", {"refresh_token": customer_api.refresh_token})
    assert logout.status_code == 204

    response = customer_api.get(ADDRESSES)

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED


# --- another customer: 404 on every id route, nothing changes -----------------------------


def test_address_of_another_customer_is_not_found_on_get(other_api, own_address):
    before = address_table()

    response = other_api.get(f"{ADDRESSES}/{own_address.public_id}")

    assert response.status_code == 404
    assert response.json() == ADDRESS_NOT_FOUND
    assert address_table() == before


def test_address_of_another_customer_is_not_found_on_patch(other_api, own_address):
    before = address_table()

    response = other_api.patch(
        f"{ADDRESSES}/{own_address.public_id}",
        {"city": "Boston", "postal_code": "02108", "state_abbr": "MA", "is_default_billing": True},
    )

    assert response.status_code == 404
    assert response.json() == ADDRESS_NOT_FOUND
    assert address_table() == before
    assert address_row(own_address.pk)["city"] == "New York"


def test_address_of_another_customer_in_use_is_not_found_on_patch(other_api, own_address):
    addresses_mark_in_use(address_ids=[own_address.pk])
    before = address_table()

    response = other_api.patch(f"{ADDRESSES}/{own_address.public_id}", {"city": "Buffalo"})

    assert response.status_code == 404
    assert response.json() == ADDRESS_NOT_FOUND
    assert address_table() == before
    assert Address.objects.count() == 1


def test_address_of_another_customer_is_not_found_on_delete(other_api, own_address):
    before = address_table()

    response = other_api.delete(f"{ADDRESSES}/{own_address.public_id}")

    assert response.status_code == 404
    assert response.json() == ADDRESS_NOT_FOUND
    assert address_table() == before
    assert address_row(own_address.pk)["deleted_at"] is None


def test_address_list_of_another_customer_shows_only_their_own(
    other_api, other_customer, own_address
):
    theirs = AddressFactory(user=other_customer, city="Arlington", state_abbr="VA")

    response = other_api.get(ADDRESSES)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["data"]] == [theirs.public_id]
    assert response.json()["meta"]["count"] == 1


def test_address_created_by_another_customer_goes_to_their_own_book(
    other_api, other_customer, customer, own_address
):
    before = address_row(own_address.pk)

    response = other_api.post(ADDRESSES, {**DE_OFFICE, "is_default_billing": True})

    assert response.status_code == 201
    created = Address.objects.get(pk=Address.objects.exclude(pk=own_address.pk).get().pk)
    assert created.user_id == other_customer.pk
    assert created.is_default_billing is True
    assert address_row(own_address.pk) == before
    assert Address.objects.filter(user=customer).count() == 1


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_malformed_or_wrongly_prefixed_address_ids_are_not_found(
    customer_api, own_address, method
):
    before = address_table()
    for bad_id in (
        encode_id("addr", own_address.pk + 1000),
        "addr_nonsense!",
        "addr_",
        encode_id("cus", own_address.pk),
        str(own_address.pk),
    ):
        response = customer_api.call(method, f"{ADDRESSES}/{bad_id}", {"city": "Boston"})

        assert response.status_code == 404, bad_id
        assert response.json() == ADDRESS_NOT_FOUND, bad_id
    assert address_table() == before


# --- owner: statuses and shapes -----------------------------------------------------------


def test_create_address_returns_201_with_the_address_shape(customer_api, customer):
    response = customer_api.post(ADDRESSES, US_HOME)

    assert response.status_code == 201
    address = Address.objects.get(user=customer)
    assert response.json() == _expected(address)
    assert address_row(address.pk) | {"created_at": None, "updated_at": None} == {
        "id": address.pk,
        "user_id": customer.pk,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "company": "Analytical Engines",
        "address1": "350 Fifth Avenue",
        "address2": "Floor 86",
        "city": "New York",
        "postal_code": "10118",
        "phone": "+1 555 0100",
        "country_id": "US",
        "state_abbr": "NY",
        "state_name": "New York",
        "quick_checkout": False,
        "is_default_billing": True,
        "is_default_shipping": True,
        "in_use_since": None,
        "created_at": None,
        "updated_at": None,
        "deleted_at": None,
    }


def test_create_address_trims_text_and_normalises_codes(customer_api, customer):
    response = customer_api.post(
        ADDRESSES,
        {
            **US_HOME,
            "first_name": "  Ada ",
            "city": " New York ",
            "country_iso": "us",
            "state_abbr": "ny",
            "postal_code": " 10118-0110 ",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["first_name"], body["city"], body["country_iso"]) == ("Ada", "New York", "US")
    assert (body["state_abbr"], body["state_name"], body["postal_code"]) == (
        "NY",
        "New York",
        "10118-0110",
    )


def test_blank_optional_fields_are_null_in_the_address_shape(customer_api, customer):
    response = customer_api.post(ADDRESSES, {**DE_OFFICE, "address2": "", "company": None})

    assert response.status_code == 201
    body = response.json()
    assert body["address2"] is None
    assert body["company"] is None
    assert body["phone"] is None
    assert body["state_text"] is None
    assert body["state_abbr"] is None
    assert body["state_name"] is None
    assert body["country_name"] == "Germany"


def test_get_own_address_returns_200_with_the_address_shape(customer_api, own_address):
    response = customer_api.get(f"{ADDRESSES}/{own_address.public_id}")

    assert response.status_code == 200
    assert response.json() == _expected(own_address)


def test_get_own_address_honours_fields(customer_api, own_address):
    response = customer_api.get(f"{ADDRESSES}/{own_address.public_id}", {"fields": "city,phone"})

    assert response.status_code == 200
    assert response.json() == {
        "id": own_address.public_id,
        "city": "New York",
        "phone": "+1 555 0100",
    }


def test_patch_own_address_returns_200_and_changes_only_the_given_fields(customer_api, own_address):
    response = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}",
        {"address1": "20 W 34th St", "postal_code": "10001"},
    )

    assert response.status_code == 200
    assert response.json() == _expected(own_address, address1="20 W 34th St", postal_code="10001")
    row = address_row(own_address.pk)
    assert (row["address1"], row["postal_code"], row["city"], row["company"]) == (
        "20 W 34th St",
        "10001",
        "New York",
        "Analytical Engines",
    )
    assert Address.objects.count() == 1


def test_patch_changing_the_country_drops_the_old_state(customer_api, own_address):
    response = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}",
        {"country_iso": "DE", "city": "Berlin", "postal_code": "10117"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["country_iso"], body["state_abbr"], body["state_name"]) == ("DE", None, None)
    assert address_row(own_address.pk)["state_abbr"] == ""


def test_patch_that_fails_validation_changes_nothing(customer_api, own_address):
    before = address_table()

    response = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}", {"city": "", "postal_code": "ABCDE"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "city": ["can't be blank"],
        "postal_code": ["is invalid"],
    }
    assert address_table() == before


def test_delete_own_address_returns_204_and_removes_the_row(customer_api, own_address):
    response = customer_api.delete(f"{ADDRESSES}/{own_address.public_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert not Address.objects.filter(pk=own_address.pk).exists()
    again = customer_api.get(f"{ADDRESSES}/{own_address.public_id}")
    assert again.status_code == 404
    assert again.json() == ADDRESS_NOT_FOUND


def test_request_body_that_is_not_an_object_is_400_and_creates_nothing(customer_api):
    response = customer_api.post(ADDRESSES, [US_HOME])

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert Address.objects.count() == 0


def test_malformed_json_is_400_and_creates_nothing(customer_api):
    response = customer_api.call("POST", ADDRESSES, raw='{"city": ')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert Address.objects.count() == 0


def test_owner_and_user_id_in_the_body_are_ignored(customer_api, customer, other_customer):
    response = customer_api.post(
        ADDRESSES, {**US_HOME, "user_id": other_customer.public_id, "user": other_customer.pk}
    )

    assert response.status_code == 201
    assert Address.objects.get().user_id == customer.pk


# --- the in-use rule ----------------------------------------------------------------------


def test_patch_of_an_address_in_use_creates_a_new_address_and_retires_the_old(
    customer_api, customer, own_address
):
    addresses_mark_in_use(address_ids=[own_address.pk])
    old_before = address_row(own_address.pk)

    response = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}", {"address1": "20 W 34th St", "postal_code": "10001"}
    )

    assert response.status_code == 200
    new = Address.objects.get(user=customer, deleted_at__isnull=True)
    assert new.pk != own_address.pk
    assert response.json() == _expected(new, address1="20 W 34th St", postal_code="10001")
    assert response.json()["id"] != own_address.public_id
    assert new.in_use_since is None
    old_after = address_row(own_address.pk)
    assert old_after["deleted_at"] is not None
    unchanged = {"deleted_at", "updated_at", "is_default_billing", "is_default_shipping"}
    assert {k: v for k, v in old_after.items() if k not in unchanged} == {
        k: v for k, v in old_before.items() if k not in unchanged
    }
    assert (old_after["address1"], old_after["postal_code"]) == ("350 Fifth Avenue", "10118")
    assert (old_after["is_default_billing"], old_after["is_default_shipping"]) == (False, False)


def test_patch_of_an_address_in_use_moves_its_defaults_to_the_new_address(
    customer_api, customer, own_address
):
    addresses_mark_in_use(address_ids=[own_address.pk])

    response = customer_api.patch(f"{ADDRESSES}/{own_address.public_id}", {"city": "Brooklyn"})

    new_id = response.json()["id"]
    me = customer_api.get("/customers/me").json()
    assert me["default_billing_address"]["id"] == new_id
    assert me["default_shipping_address"]["id"] == new_id
    assert [a["id"] for a in me["addresses"]] == [new_id]


def test_retired_address_is_not_found_and_not_listed(customer_api, own_address):
    addresses_mark_in_use(address_ids=[own_address.pk])
    new_id = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}", {"city": "Brooklyn"}
    ).json()["id"]

    old = customer_api.get(f"{ADDRESSES}/{own_address.public_id}")
    listed = customer_api.get(ADDRESSES).json()

    assert old.status_code == 404
    assert old.json() == ADDRESS_NOT_FOUND
    assert [row["id"] for row in listed["data"]] == [new_id]
    assert listed["meta"]["count"] == 1


def test_patch_of_a_retired_address_is_not_found_and_changes_nothing(customer_api, own_address):
    addresses_mark_in_use(address_ids=[own_address.pk])
    customer_api.patch(f"{ADDRESSES}/{own_address.public_id}", {"city": "Brooklyn"})
    before = address_table()

    response = customer_api.patch(f"{ADDRESSES}/{own_address.public_id}", {"city": "Queens"})

    assert response.status_code == 404
    assert response.json() == ADDRESS_NOT_FOUND
    assert address_table() == before


def test_patch_of_an_address_in_use_changing_only_default_flags_keeps_its_id(
    customer_api, customer, own_address
):
    second = customer_api.post(ADDRESSES, DE_OFFICE).json()
    addresses_mark_in_use(address_ids=[own_address.pk])
    customer_api.patch(f"{ADDRESSES}/{second['id']}", {"is_default_billing": True})

    response = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}", {"is_default_billing": True}
    )

    assert response.status_code == 200
    assert response.json()["id"] == own_address.public_id
    assert response.json()["is_default_billing"] is True
    assert Address.objects.filter(user=customer).count() == 2
    row = address_row(own_address.pk)
    assert (row["deleted_at"], row["is_default_billing"]) == (None, True)
    assert (
        address_row(Address.objects.exclude(pk=own_address.pk).get().pk)["is_default_billing"]
        is False
    )


def test_patch_of_an_address_in_use_with_the_same_values_keeps_its_id(
    customer_api, customer, own_address
):
    addresses_mark_in_use(address_ids=[own_address.pk])

    response = customer_api.patch(
        f"{ADDRESSES}/{own_address.public_id}",
        {"city": "New York", "state_abbr": "ny", "postal_code": "10118"},
    )

    assert response.status_code == 200
    assert response.json()["id"] == own_address.public_id
    assert Address.objects.filter(user=customer).count() == 1
    assert address_row(own_address.pk)["deleted_at"] is None


def test_delete_of_an_address_in_use_soft_deletes_it(customer_api, customer, own_address):
    addresses_mark_in_use(address_ids=[own_address.pk])
    before = address_row(own_address.pk)

    response = customer_api.delete(f"{ADDRESSES}/{own_address.public_id}")

    assert response.status_code == 204
    after = address_row(own_address.pk)
    assert after["deleted_at"] is not None
    assert (after["is_default_billing"], after["is_default_shipping"]) == (False, False)
    for field in ("first_name", "last_name", "address1", "city", "postal_code", "phone"):
        assert after[field] == before[field]
    assert customer_api.get(ADDRESSES).json()["data"] == []


def test_delete_of_an_address_not_in_use_hard_deletes_it(customer_api, own_address):
    response = customer_api.delete(f"{ADDRESSES}/{own_address.public_id}")

    assert response.status_code == 204
    assert Address.objects.count() == 0


def test_marking_in_use_only_stamps_addresses_not_yet_in_use(customer):
    first = AddressFactory(user=customer)
    second = AddressFactory(user=customer)
    assert addresses_mark_in_use(address_ids=[first.pk]) == 1
    stamp = address_row(first.pk)["in_use_since"]

    marked = addresses_mark_in_use(address_ids=[first.pk, second.pk])

    assert marked == 1
    assert address_row(first.pk)["in_use_since"] == stamp
    assert address_row(second.pk)["in_use_since"] is not None


def test_create_with_the_same_idempotency_key_is_replayed_not_repeated(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME, HTTP_IDEMPOTENCY_KEY="address-create-1")
    second = customer_api.post(ADDRESSES, US_HOME, HTTP_IDEMPOTENCY_KEY="address-create-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Address.objects.filter(user=customer).count() == 1
