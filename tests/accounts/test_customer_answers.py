"""GET /customers/me reuses the answer it made while the rows it was made from are unchanged
(accounts/answers.py): whatever writes them, the next read shows it, and the session is still
checked on every request. Real commits on PostgreSQL, where rows carry their version."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import AuthSession, User
from accounts.services import SessionContext, session_start
from customers.models import Address, Country
from customers.selectors import (
    session_get_active_with_profile,
    session_get_active_with_profile_version,
)
from payments.models import StoreCredit
from payments.services.balances import store_credit_grant
from storeapi import memo
from tests.factories import AddressFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row versions (xmin) are PostgreSQL's"
    ),
]

AUTH_REQUIRED = {"error": {"code": "authentication_required", "message": "Authentication required"}}


def _me(client):
    response = client.get("/customers/me")
    assert response.status_code == 200
    return response.json()


def _fresh(client):
    """The answer made from the rows, nothing kept."""
    memo.clear()
    return _me(client)


def test_a_second_read_is_one_statement_and_the_same_answer(
    customer_api, customer, django_assert_num_queries
):
    AddressFactory(user=customer)
    store_credit_grant(user=customer, amount=Decimal("12.50"), currency="USD")
    first = customer_api.get("/customers/me")
    customer_api.get("/customers/me")  # the countries named are read into the settings cache

    with django_assert_num_queries(1) as queries:
        second = customer_api.get("/customers/me")

    assert "xmin" in queries.captured_queries[0]["sql"]
    assert second.content == first.content
    assert second.headers["Content-Type"] == first.headers["Content-Type"] == "application/json"
    assert second.json()["addresses"][0]["country_name"] == "United States"
    assert second.json()["available_store_credit_total"] == "12.50"


def _rename(user, address, credit):
    User.objects.filter(pk=user.pk).update(first_name="Augusta")


def _edit_address(user, address, credit):
    Address.objects.filter(pk=address.pk).update(city="Brooklyn")


def _add_address(user, address, credit):
    AddressFactory(user=user, address1="1 Main Street")


def _retire_address(user, address, credit):
    Address.objects.filter(pk=address.pk).update(deleted_at=timezone.now())


def _delete_address(user, address, credit):
    Address.objects.filter(pk=address.pk).delete()


def _spend_credit(user, address, credit):
    StoreCredit.objects.filter(pk=credit.pk).update(amount_used=F("amount_used") + Decimal("2.00"))


def _grant_credit(user, address, credit):
    store_credit_grant(user=user, amount=Decimal("5.00"), currency="USD")


@pytest.mark.parametrize(
    "write",
    [
        _rename,
        _edit_address,
        _add_address,
        _retire_address,
        _delete_address,
        _spend_credit,
        _grant_credit,
    ],
)
def test_a_write_through_any_path_shows_on_the_next_read(customer_api, customer, write):
    address = AddressFactory(user=customer)
    AddressFactory(user=customer, address1="2 Side Street")
    credit = store_credit_grant(user=customer, amount=Decimal("10.00"), currency="USD")
    before = _me(customer_api)

    write(customer, address, credit)  # no signals, no service: nothing tells the memo
    after = _me(customer_api)

    assert after != before
    assert after == _fresh(customer_api)


def test_a_write_through_the_api_shows_on_the_next_read(customer_api, customer):
    _me(customer_api)

    patched = customer_api.patch("/customers/me", {"first_name": "Augusta"})
    created = customer_api.post(
        "/customers/me/addresses",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "address1": "350 Fifth Avenue",
            "city": "New York",
            "postal_code": "10118",
            "country_iso": "US",
            "state_abbr": "NY",
        },
    )

    assert (patched.status_code, created.status_code) == (200, 201)
    after = _me(customer_api)
    assert after["first_name"] == "Augusta"
    assert [a["id"] for a in after["addresses"]] == [created.json()["id"]]


def test_a_renamed_country_shows_on_the_next_read(customer_api, customer):
    AddressFactory(user=customer)
    _me(customer_api)

    country = Country.objects.get(iso="US")
    country.name = "United States of America"
    country.save()

    assert _me(customer_api)["addresses"][0]["country_name"] == "United States of America"


def test_a_revoked_session_is_refused_though_its_answer_was_kept(customer_api, customer):
    _me(customer_api)

    AuthSession.objects.filter(user=customer).update(revoked_at=timezone.now())

    response = customer_api.get("/customers/me")
    assert (response.status_code, response.json()) == (401, AUTH_REQUIRED)


def test_a_deactivated_customer_is_refused_though_the_answer_was_kept(customer_api, customer):
    _me(customer_api)

    User.objects.filter(pk=customer.pk).update(is_active=False)

    assert customer_api.get("/customers/me").status_code == 401


def test_another_session_of_the_same_customer_gets_the_same_answer(
    api_key, customer, customer_api, django_assert_num_queries
):
    from tests.conftest import StoreClient

    first = customer_api.get("/customers/me")
    other_device = StoreClient(api_key.token).login_as(customer)

    with django_assert_num_queries(1):
        second = other_device.get("/customers/me")

    assert second.content == first.content


def test_fields_are_picked_from_the_kept_answer_without_changing_it(customer_api, customer):
    full = _me(customer_api)

    picked = customer_api.get("/customers/me", {"fields": "email"}).json()

    assert picked == {"id": customer.public_id, "email": "ada@example.com"}
    assert _me(customer_api) == full


def test_the_version_read_matches_the_profile_read(customer):
    session_id = session_start(user=customer, context=SessionContext(None, "")).session_id
    ids = {"session_id": session_id, "user_id": customer.pk, "currency": "USD"}
    versions = []
    for _ in range(3):
        _, profile = session_get_active_with_profile(**ids)
        _, version = session_get_active_with_profile_version(**ids)
        assert profile.version == version
        versions.append(version)
        AddressFactory(user=customer)
    assert len(set(versions)) == 3


def test_no_version_is_read_inside_a_transaction(customer):
    """A transaction that rewrites a row leaves it the same xmin: nothing is kept from it."""
    session_id = session_start(user=customer, context=SessionContext(None, "")).session_id

    with transaction.atomic():
        _, profile = session_get_active_with_profile(
            session_id=session_id, user_id=customer.pk, currency="USD"
        )

    assert profile.version is None
