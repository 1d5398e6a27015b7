"""GET /customers/me as the customers app fills it: addresses, defaults, full name, groups."""

from datetime import timedelta

from django.utils import timezone

from customers.models import Address
from customers.services import addresses_mark_in_use
from tests.customers.helpers import ADDRESSES, DE_OFFICE, US_HOME
from tests.factories import AddressFactory, UserFactory

ME = "/customers/me"


def test_customer_without_addresses_has_empty_address_keys(customer_api, customer):
    response = customer_api.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": customer.public_id,
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": None,
        "accepts_email_marketing": False,
        "full_name": "Ada Lovelace",
        "available_store_credit_total": "0.00",
        "display_available_store_credit_total": "$0.00",
        "addresses": [],
        "default_billing_address": None,
        "default_shipping_address": None,
        "newsletter_subscriber": None,
        "customer_groups": [],
    }


def test_customer_has_addresses_and_both_defaults(customer_api):
    home = customer_api.post(ADDRESSES, US_HOME).json()
    office = customer_api.post(ADDRESSES, {**DE_OFFICE, "is_default_shipping": True}).json()

    body = customer_api.get(ME).json()

    assert body["default_billing_address"] == {**home, "is_default_shipping": False}
    assert body["default_shipping_address"] == office
    assert {a["id"] for a in body["addresses"]} == {home["id"], office["id"]}
    assert (
        body["addresses"][0] == customer_api.get(f"{ADDRESSES}/{body['addresses'][0]['id']}").json()
    )


def test_customer_addresses_are_ordered_by_most_recently_updated(customer_api, customer):
    now = timezone.now()
    older = AddressFactory(user=customer, city="Albany")
    newer = AddressFactory(user=customer, city="Buffalo")
    Address.objects.filter(pk=older.pk).update(updated_at=now - timedelta(hours=1))
    Address.objects.filter(pk=newer.pk).update(updated_at=now - timedelta(hours=2))

    body = customer_api.get(ME).json()

    assert [a["id"] for a in body["addresses"]] == [older.public_id, newer.public_id]


def test_customer_addresses_leave_out_retired_ones(customer_api, customer):
    home = customer_api.post(ADDRESSES, US_HOME).json()
    addresses_mark_in_use(address_ids=[Address.objects.get().pk])
    customer_api.delete(f"{ADDRESSES}/{home['id']}")

    body = customer_api.get(ME).json()

    assert Address.objects.filter(user=customer).count() == 1
    assert body["addresses"] == []
    assert body["default_billing_address"] is None


def test_customer_addresses_leave_out_other_customers_addresses(customer_api, other_customer):
    AddressFactory(user=other_customer, is_default_billing=True, is_default_shipping=True)

    body = customer_api.get(ME).json()

    assert body["addresses"] == []
    assert body["default_billing_address"] is None
    assert body["default_shipping_address"] is None


def test_full_name_falls_back_to_the_email(api):
    nameless = UserFactory(email="nobody@example.com", first_name="", last_name="")
    client = api.login_as(nameless)

    body = client.get(ME).json()

    assert body["full_name"] == "nobody@example.com"
    assert (body["first_name"], body["last_name"]) == (None, None)


def test_full_name_with_only_a_first_name(api):
    client = api.login_as(UserFactory(first_name="Ada", last_name=""))

    assert client.get(ME).json()["full_name"] == "Ada"


def test_customer_me_honours_fields(customer_api, customer):
    customer_api.post(ADDRESSES, US_HOME)

    response = customer_api.get(ME, {"fields": "email,default_billing_address"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "email", "default_billing_address"}
    assert body["id"] == customer.public_id
    assert body["default_billing_address"]["city"] == "New York"


def test_customer_me_needs_a_signed_in_customer(api, customer):
    AddressFactory(user=customer)

    response = api.get(ME)

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "authentication_required", "message": "Authentication required"}
    }
