"""Default billing and shipping addresses: the first address, moves, deletion, constraints.

Documented choice (customers.services.address_delete): deleting a default clears that role; it
is not moved to another address. The next address created takes the empty role.
"""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Address
from tests.customers.helpers import ADDRESSES, DE_OFFICE, US_HOME, defaults_of
from tests.factories import AddressFactory

GB_FLAT = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "12 St James's Square",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country_iso": "GB",
}


def _flags(body: dict) -> tuple[bool, bool]:
    return body["is_default_billing"], body["is_default_shipping"]


def _pk(public_id: str) -> int:
    return next(a.pk for a in Address.objects.all() if a.public_id == public_id)


def test_first_address_becomes_default_billing_and_shipping(customer_api, customer):
    response = customer_api.post(ADDRESSES, US_HOME)

    assert response.status_code == 201
    assert _flags(response.json()) == (True, True)
    pk = _pk(response.json()["id"])
    assert defaults_of(customer) == ([pk], [pk])


def test_second_address_without_flags_takes_no_default(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()

    second = customer_api.post(ADDRESSES, DE_OFFICE).json()

    assert _flags(second) == (False, False)
    assert defaults_of(customer) == ([_pk(first["id"])], [_pk(first["id"])])


def test_create_with_default_billing_moves_only_the_billing_default(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()

    second = customer_api.post(ADDRESSES, {**DE_OFFICE, "is_default_billing": True}).json()

    assert _flags(second) == (True, False)
    assert defaults_of(customer) == ([_pk(second["id"])], [_pk(first["id"])])
    reread = customer_api.get(f"{ADDRESSES}/{first['id']}").json()
    assert _flags(reread) == (False, True)


def test_create_with_default_shipping_moves_only_the_shipping_default(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()

    second = customer_api.post(ADDRESSES, {**DE_OFFICE, "is_default_shipping": True}).json()

    assert _flags(second) == (False, True)
    assert defaults_of(customer) == ([_pk(first["id"])], [_pk(second["id"])])


def test_create_with_both_defaults_moves_both(customer_api, customer):
    customer_api.post(ADDRESSES, US_HOME)

    second = customer_api.post(
        ADDRESSES, {**DE_OFFICE, "is_default_billing": True, "is_default_shipping": True}
    ).json()

    assert _flags(second) == (True, True)
    assert defaults_of(customer) == ([_pk(second["id"])], [_pk(second["id"])])


def test_update_with_default_billing_moves_the_billing_default(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()
    second = customer_api.post(ADDRESSES, DE_OFFICE).json()

    response = customer_api.patch(f"{ADDRESSES}/{second['id']}", {"is_default_billing": True})

    assert response.status_code == 200
    assert response.json()["id"] == second["id"]
    assert _flags(response.json()) == (True, False)
    assert defaults_of(customer) == ([_pk(second["id"])], [_pk(first["id"])])


def test_update_with_default_shipping_moves_the_shipping_default(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()
    second = customer_api.post(ADDRESSES, DE_OFFICE).json()
    third = customer_api.post(ADDRESSES, GB_FLAT).json()

    customer_api.patch(f"{ADDRESSES}/{second['id']}", {"is_default_shipping": True})
    response = customer_api.patch(f"{ADDRESSES}/{third['id']}", {"is_default_shipping": True})

    assert _flags(response.json()) == (False, True)
    assert defaults_of(customer) == ([_pk(first["id"])], [_pk(third["id"])])


def test_update_with_a_default_flag_false_clears_that_default(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()

    response = customer_api.patch(f"{ADDRESSES}/{first['id']}", {"is_default_shipping": False})

    assert _flags(response.json()) == (True, False)
    assert defaults_of(customer) == ([_pk(first["id"])], [])


def test_update_without_default_flags_keeps_the_defaults(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()
    second = customer_api.post(ADDRESSES, DE_OFFICE).json()

    customer_api.patch(f"{ADDRESSES}/{first['id']}", {"city": "Brooklyn"})
    customer_api.patch(f"{ADDRESSES}/{second['id']}", {"city": "Hamburg", "postal_code": "20095"})

    assert defaults_of(customer) == ([_pk(first["id"])], [_pk(first["id"])])


def test_deleting_the_default_clears_it_and_does_not_move_it(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()
    second = customer_api.post(ADDRESSES, DE_OFFICE).json()

    response = customer_api.delete(f"{ADDRESSES}/{first['id']}")

    assert response.status_code == 204
    assert defaults_of(customer) == ([], [])
    assert _flags(customer_api.get(f"{ADDRESSES}/{second['id']}").json()) == (False, False)
    me = customer_api.get("/customers/me").json()
    assert me["default_billing_address"] is None
    assert me["default_shipping_address"] is None


def test_next_address_created_takes_the_empty_default_role_only(customer_api, customer):
    first = customer_api.post(ADDRESSES, US_HOME).json()
    second = customer_api.post(ADDRESSES, {**DE_OFFICE, "is_default_shipping": True}).json()
    customer_api.delete(f"{ADDRESSES}/{first['id']}")
    assert defaults_of(customer) == ([], [_pk(second["id"])])

    third = customer_api.post(ADDRESSES, GB_FLAT).json()

    assert _flags(third) == (True, False)
    assert defaults_of(customer) == ([_pk(third["id"])], [_pk(second["id"])])


def test_deleting_a_default_in_use_clears_it_too(customer_api, customer):
    from customers.services import addresses_mark_in_use

    first = customer_api.post(ADDRESSES, US_HOME).json()
    addresses_mark_in_use(address_ids=[_pk(first["id"])])

    customer_api.delete(f"{ADDRESSES}/{first['id']}")
    third = customer_api.post(ADDRESSES, DE_OFFICE).json()

    assert _flags(third) == (True, True)
    assert defaults_of(customer) == ([_pk(third["id"])], [_pk(third["id"])])


def test_default_moves_of_one_customer_leave_another_customers_defaults(
    customer_api, other_api, customer, other_customer
):
    theirs = other_api.post(ADDRESSES, US_HOME).json()
    customer_api.post(ADDRESSES, US_HOME)

    customer_api.post(
        ADDRESSES, {**DE_OFFICE, "is_default_billing": True, "is_default_shipping": True}
    )

    assert defaults_of(other_customer) == ([_pk(theirs["id"])], [_pk(theirs["id"])])


def test_database_allows_one_default_billing_per_customer(customer):
    AddressFactory(user=customer, is_default_billing=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        AddressFactory(user=customer, is_default_billing=True)


def test_database_allows_one_default_shipping_per_customer(customer):
    AddressFactory(user=customer, is_default_shipping=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        AddressFactory(user=customer, is_default_shipping=True)


def test_database_refuses_a_retired_default(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        AddressFactory(user=customer, is_default_billing=True, deleted_at=timezone.now())
