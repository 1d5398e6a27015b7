"""seed_demo gives the demo customer an address book; a second run changes nothing."""

import json
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from customers.models import Address
from storeapi.models import ApiKey
from tests.conftest import StoreClient


def _seed() -> tuple[str, dict]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1])


def test_seed_demo_gives_the_demo_customer_two_addresses(db):
    _, summary = _seed()

    user = User.objects.get(email="demo@example.com")
    addresses = list(Address.objects.filter(user=user).order_by("pk"))
    assert [(a.city, a.state_abbr, a.country_id) for a in addresses] == [
        ("New York", "NY", "US"),
        ("Cupertino", "CA", "US"),
    ]
    home, office = addresses
    assert (home.is_default_billing, home.is_default_shipping) == (True, False)
    assert (office.is_default_billing, office.is_default_shipping) == (False, True)
    assert all(a.deleted_at is None and a.in_use_since is None for a in addresses)
    assert summary["country_iso"] == "US"
    assert summary["user_email"] == "demo@example.com"
    assert summary["user_id"] == user.public_id


def test_seed_demo_customer_sees_the_addresses_through_the_api(db):
    _, summary = _seed()
    client = StoreClient(summary["publishable_key"])
    login = client.post(
        "/auth/login", {"email": summary["user_email"], "password": summary["user_password"]}
    )
    assert login.status_code == 200
    client.access_token = login.json()["token"]

    me = client.get("/customers/me").json()

    assert me["default_billing_address"]["city"] == "New York"
    assert me["default_shipping_address"]["city"] == "Cupertino"
    assert len(me["addresses"]) == 2
    assert client.get("/countries/" + summary["country_iso"]).status_code == 200


def test_seed_demo_twice_changes_nothing(db):
    _, first = _seed()
    users = list(User.objects.order_by("pk").values())
    addresses = list(Address.objects.order_by("pk").values())
    keys = list(ApiKey.objects.order_by("pk").values())

    text, second = _seed()

    assert second == first
    assert list(User.objects.order_by("pk").values()) == users
    assert list(Address.objects.order_by("pk").values()) == addresses
    assert list(ApiKey.objects.order_by("pk").values()) == keys
    assert "Created" not in text
