"""Staff screens: customers with their address book inline, countries, addresses."""

import pytest
from django.test import Client

from accounts.models import User
from customers import geography
from customers.models import Address, Country
from tests.customers.helpers import DE_OFFICE
from tests.factories import AddressFactory, UserFactory


@pytest.fixture
def staff(db):
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def shoppers(customer, other_customer):
    customer.phone = "+1 555 0100"
    customer.save()
    other_customer.phone = "+49 30 1234"
    other_customer.accepts_email_marketing = True
    other_customer.save()
    address = AddressFactory(user=customer, address1="350 Fifth Avenue", is_default_billing=True)
    return {"ada": customer, "grace": other_customer, "address": address}


def _listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_customer_changelist_opens(staff, shoppers):
    response = staff.get("/admin/accounts/user/")

    assert response.status_code == 200
    assert {u.email for u in _listed(response)} >= {"ada@example.com", "grace@example.com"}


@pytest.mark.parametrize(
    ("query", "email"),
    [
        ("ada@example", "ada@example.com"),
        ("Hopper", "grace@example.com"),
        ("Grace", "grace@example.com"),
        ("555 0100", "ada@example.com"),
        ("+49 30", "grace@example.com"),
    ],
)
def test_customer_changelist_searches_email_name_and_phone(staff, shoppers, query, email):
    response = staff.get("/admin/accounts/user/", {"q": query})

    assert response.status_code == 200
    assert [u.email for u in _listed(response)] == [email]


def test_customer_changelist_filters_by_marketing_consent(staff, shoppers):
    response = staff.get("/admin/accounts/user/", {"accepts_email_marketing__exact": "1"})

    assert response.status_code == 200
    assert [u.email for u in _listed(response)] == ["grace@example.com"]


def test_customer_changelist_filters_by_join_date(staff, shoppers):
    from datetime import timedelta

    from django.utils import timezone

    User.objects.filter(pk=shoppers["grace"].pk).update(
        date_joined=timezone.now() - timedelta(days=400)
    )
    since = (timezone.now() - timedelta(days=7)).replace(microsecond=0)

    response = staff.get("/admin/accounts/user/", {"date_joined__gte": since.isoformat()})

    assert response.status_code == 200
    assert {u.email for u in _listed(response)} == {"ada@example.com", "staff@example.com"}


def test_customer_change_page_shows_the_address_book_inline(staff, shoppers):
    response = staff.get(f"/admin/accounts/user/{shoppers['ada'].pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "350 Fifth Avenue" in content
    inline_models = [formset.opts.model for formset in response.context["inline_admin_formsets"]]
    assert Address in inline_models


def test_country_changelist_filters_by_served(staff, db):
    response = staff.get("/admin/customers/country/", {"is_served__exact": "1"})

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert [spec.field_path for spec in changelist.filter_specs] == ["is_served"]
    assert changelist.result_count == len(geography.DEFAULT_SERVED_COUNTRIES)
    assert {c.iso for c in _listed(response)} >= {"US", "DE"}


def test_country_changelist_searches(staff, db):
    response = staff.get("/admin/customers/country/", {"q": "DEU"})

    assert response.status_code == 200
    assert [c.iso for c in _listed(response)] == ["DE"]


def test_country_admin_action_serves_countries(staff, db):
    response = staff.post(
        "/admin/customers/country/",
        {"action": "serve", "_selected_action": ["HK", "MO"]},
    )

    assert response.status_code == 302
    assert set(
        Country.objects.filter(iso__in=["HK", "MO"], is_served=True).values_list("iso", flat=True)
    ) == {"HK", "MO"}


def test_countries_cannot_be_added_or_deleted_in_the_admin(staff, db):
    assert staff.get("/admin/customers/country/add/").status_code == 403
    assert staff.get("/admin/customers/country/US/delete/").status_code == 403


def test_address_admin_changelist_and_change_page_open(staff, shoppers):
    listing = staff.get("/admin/customers/address/", {"q": "ada@example.com"})
    change = staff.get(f"/admin/customers/address/{shoppers['address'].pk}/change/")

    assert listing.status_code == 200
    assert [a.pk for a in _listed(listing)] == [shoppers["address"].pk]
    assert change.status_code == 200
    assert "350 Fifth Avenue" in change.content.decode()


def test_address_admin_filters_retired_addresses(staff, shoppers):
    from django.utils import timezone

    retired = AddressFactory(user=shoppers["grace"], deleted_at=timezone.now())

    response = staff.get("/admin/customers/address/", {"deleted_at__isempty": "0"})

    assert response.status_code == 200
    assert [a.pk for a in _listed(response)] == [retired.pk]


def test_customers_admin_is_closed_to_shoppers(db):
    shopper = UserFactory()
    client = Client()
    client.force_login(shopper)

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_country_staff_stop_serving_is_refused_at_once(staff, customer_api):
    office = {**DE_OFFICE}
    assert customer_api.post("/customers/me/addresses", office).status_code == 201

    staff.post("/admin/customers/country/", {"action": "stop_serving", "_selected_action": ["DE"]})

    response = customer_api.post("/customers/me/addresses", office)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "country_iso": ["is not a country the store ships to"]
    }
    assert customer_api.get("/countries/DE").status_code == 404

    staff.post("/admin/customers/country/", {"action": "serve", "_selected_action": ["DE"]})

    assert customer_api.post("/customers/me/addresses", office).status_code == 201
    assert customer_api.get("/countries/DE").status_code == 200
