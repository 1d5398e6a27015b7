"""GET /customers/me/export: every piece of personal data we hold about the caller."""

from accounts.models import AuthSession
from customers.models import Address
from customers.services import addresses_mark_in_use
from tests.customers.helpers import ADDRESSES, DE_OFFICE, US_HOME

EXPORT = "/customers/me/export"


def test_export_needs_a_signed_in_customer(api, customer):
    response = api.get(EXPORT)

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "authentication_required", "message": "Authentication required"}
    }


def test_export_has_the_profile(customer_api, customer):
    customer.phone = "+1 555 0100"
    customer.accepts_email_marketing = True
    customer.private_metadata = {"loyalty": "gold"}
    customer.save()

    response = customer_api.get(EXPORT)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "profile",
        "addresses",
        "sessions",
        "wishlists",
        "orders",
        "credit_cards",
        "payment_sources",
        "store_credits",
        "gift_cards",
    }
    assert body["profile"] == {
        "id": customer.public_id,
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+1 555 0100",
        "accepts_email_marketing": True,
        "metadata": {"loyalty": "gold"},
        "date_joined": customer.date_joined.isoformat(),
        "last_login": None,
    }


def test_export_has_every_address_including_retired_ones(customer_api, customer):
    home = customer_api.post(ADDRESSES, US_HOME).json()
    office = customer_api.post(ADDRESSES, DE_OFFICE).json()
    addresses_mark_in_use(address_ids=[Address.objects.get(city="New York").pk])
    replacement = customer_api.patch(f"{ADDRESSES}/{home['id']}", {"city": "Brooklyn"}).json()

    addresses = customer_api.get(EXPORT).json()["addresses"]

    assert [a["id"] for a in addresses] == [home["id"], office["id"], replacement["id"]]
    retired = addresses[0]
    retired_row = Address.objects.get(city="New York")
    assert retired == {
        "id": home["id"],
        "first_name": "Ada",
        "last_name": "Lovelace",
        "company": "Analytical Engines",
        "address1": "350 Fifth Avenue",
        "address2": "Floor 86",
        "city": "New York",
        "postal_code": "10118",
        "phone": "+1 555 0100",
        "country_iso": "US",
        "state_abbr": "NY",
        "state_name": "New York",
        "is_default_billing": False,
        "is_default_shipping": False,
        "created_at": retired_row.created_at.isoformat(),
        "deleted_at": retired_row.deleted_at.isoformat(),
    }
    assert addresses[1]["deleted_at"] is None
    assert (addresses[2]["city"], addresses[2]["is_default_billing"]) == ("Brooklyn", True)


def test_export_has_the_sessions(customer_api, customer):
    second = customer_api.post(
        "/auth/login", {"email": "ada@example.com", "password": "correct horse battery"}
    )
    assert second.status_code == 200

    sessions = customer_api.get(EXPORT).json()["sessions"]

    rows = AuthSession.objects.filter(user=customer).order_by("pk")
    assert [s["id"] for s in sessions] == [row.public_id for row in rows]
    assert len(sessions) == 2
    assert sessions[0] == {
        "id": rows[0].public_id,
        "created_at": rows[0].created_at.isoformat(),
        "last_used_at": rows[0].last_used_at.isoformat(),
        "ip_address": "127.0.0.1",
        "user_agent": "pytest",
        "revoked_at": None,
    }


def test_export_shows_only_the_callers_data(customer_api, other_api, customer, other_customer):
    customer_api.post(ADDRESSES, US_HOME)
    other_api.post(ADDRESSES, {**DE_OFFICE, "first_name": "Grace", "last_name": "Hopper"})
    other_customer.phone = "+49 30 000000"
    other_customer.save()

    body = customer_api.get(EXPORT).json()

    own_sessions = set(AuthSession.objects.filter(user=customer).values_list("pk", flat=True))
    assert body["profile"]["id"] == customer.public_id
    assert [a["city"] for a in body["addresses"]] == ["New York"]
    assert len(body["sessions"]) == len(own_sessions) == 1
    text = str(body)
    for foreign in ("grace@example.com", "Grace", "Hopper", "Berlin", "+49 30 000000"):
        assert foreign not in text
    other_session = AuthSession.objects.get(user=other_customer)
    assert other_session.public_id not in text
