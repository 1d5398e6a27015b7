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


# --- the one-statement read behind GET /customers/me ----------------------------------------


def _profile_parts(profile):
    return (
        profile.user.pk,
        [(a.pk, a.country.iso, a.country.name) for a in profile.addresses],
        profile.store_credit_total,
        profile.currency,
    )


def test_session_with_profile_matches_the_session_and_profile_reads(
    customer, django_assert_num_queries
):
    from decimal import Decimal

    from accounts.selectors import session_get_active
    from accounts.services import SessionContext, session_start
    from customers.selectors import customer_profile, session_get_active_with_profile
    from payments.models import StoreCredit
    from payments.services.balances import store_credit_grant

    now = timezone.now()
    kept = [
        AddressFactory(user=customer),
        AddressFactory(user=customer, country_id="DE", state_abbr=""),
    ]
    retired = AddressFactory(user=customer)
    Address.objects.filter(pk=retired.pk).update(deleted_at=now)
    AddressFactory(user=UserFactory())  # another customer's
    Address.objects.filter(pk=kept[0].pk).update(updated_at=now - timedelta(hours=1))
    store_credit_grant(user=customer, amount=Decimal("10.10"), currency="USD")
    used = store_credit_grant(user=customer, amount=Decimal("20.20"), currency="USD")
    StoreCredit.objects.filter(pk=used.pk).update(amount_used=Decimal("0.30"))
    store_credit_grant(user=customer, amount=Decimal("7.00"), currency="EUR")
    store_credit_grant(user=UserFactory(), amount=Decimal("99.00"), currency="USD")
    session_id = session_start(user=customer, context=SessionContext(None, "")).session_id

    with django_assert_num_queries(1):
        session, profile = session_get_active_with_profile(
            session_id=session_id, user_id=customer.pk, currency="USD"
        )

    expected = customer_profile(user=customer, currency="USD")
    assert _profile_parts(profile) == _profile_parts(expected)
    assert [a.pk for a in profile.addresses] == [kept[1].pk, kept[0].pk]
    assert profile.store_credit_total == Decimal("30.00")
    assert str(profile.store_credit_total) == "30.00"  # exact, even where SQLite sums floats
    assert session.pk == session_get_active(session_id=session_id, user_id=customer.pk).pk
    assert session.user is profile.user
    assert profile.user.email == customer.email


def test_session_with_profile_without_addresses_or_credit(customer):
    from decimal import Decimal

    from accounts.services import SessionContext, session_start
    from customers.selectors import session_get_active_with_profile

    session_id = session_start(user=customer, context=SessionContext(None, "")).session_id

    _, profile = session_get_active_with_profile(
        session_id=session_id, user_id=customer.pk, currency="EUR"
    )

    assert (profile.addresses, profile.store_credit_total, profile.currency) == (
        [],
        Decimal("0.00"),
        "EUR",
    )


def test_session_with_profile_of_an_ended_session_or_inactive_customer_is_none(customer):
    from accounts.models import AuthSession, User
    from accounts.services import SessionContext, session_start
    from customers.selectors import session_get_active_with_profile

    AddressFactory(user=customer)
    revoked = session_start(user=customer, context=SessionContext(None, "")).session_id
    AuthSession.objects.filter(pk=revoked).update(revoked_at=timezone.now())
    live = session_start(user=customer, context=SessionContext(None, "")).session_id
    other = UserFactory()

    def read(session_id, user_id):
        return session_get_active_with_profile(
            session_id=session_id, user_id=user_id, currency="USD"
        )

    assert read(revoked, customer.pk) is None
    assert read(live, other.pk) is None  # a session id with another customer's id
    assert read(live, customer.pk) is not None
    User.objects.filter(pk=customer.pk).update(is_active=False)
    assert read(live, customer.pk) is None
