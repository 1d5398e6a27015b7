"""DELETE /customers/me with current_password closes the account (OUR_CONTRACT.md)."""

import pytest

from accounts.models import AuthSession, PasswordResetToken, RefreshToken, User
from customers.models import Address
from customers.services import addresses_mark_in_use
from tests.customers.helpers import ADDRESSES, DE_OFFICE, US_HOME, address_table

ME = "/customers/me"
PASSWORD_INVALID = {
    "error": {
        "code": "current_password_invalid",
        "message": "Current password is invalid or missing",
    }
}


def _database() -> dict:
    return {
        "users": list(User.objects.order_by("pk").values()),
        "addresses": address_table(),
        "sessions": list(AuthSession.objects.order_by("pk").values()),
        "refresh_tokens": list(RefreshToken.objects.order_by("pk").values()),
        "reset_tokens": list(PasswordResetToken.objects.order_by("pk").values()),
    }


@pytest.fixture
def full_account(customer_api, customer, api):
    customer.phone = "+1 555 0100"
    customer.accepts_email_marketing = True
    customer.private_metadata = {"loyalty": "gold"}
    customer.save()
    customer_api.post(ADDRESSES, US_HOME)
    customer_api.post(ADDRESSES, DE_OFFICE)
    api.post("/password_resets", {"email": "ada@example.com"})
    assert PasswordResetToken.objects.filter(user=customer).count() == 1
    return customer


@pytest.mark.parametrize(
    "body",
    [
        {"current_password": "wrong password"},
        {"current_password": ""},
        {"current_password": None},
        {"current_password": 12345},
        {"password": "correct horse battery"},
        {},
        None,
    ],
)
def test_closing_without_the_right_password_is_refused_and_changes_nothing(
    customer_api, full_account, body
):
    before = _database()

    response = customer_api.delete(ME, body)

    assert response.status_code == 422
    assert response.json() == PASSWORD_INVALID
    assert _database() == before
    assert customer_api.get(ME).status_code == 200


def test_closing_needs_a_signed_in_customer(api, full_account, password):
    before = _database()

    response = api.delete(ME, {"current_password": password})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_required"
    assert _database() == before


def test_closing_with_the_right_password_is_204(customer_api, full_account, password):
    response = customer_api.delete(ME, {"current_password": password})

    assert response.status_code == 204
    assert response.content == b""


def test_closed_account_access_token_gets_401(customer_api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    for path in (ME, ADDRESSES, "/customers/me/export"):
        response = customer_api.get(path)

        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_required"


def test_closing_ends_every_session_of_the_customer(customer_api, api_key, full_account, password):
    from tests.conftest import StoreClient

    elsewhere = StoreClient(api_key.token).login_as(full_account)

    customer_api.delete(ME, {"current_password": password})

    assert elsewhere.get(ME).status_code == 401
    assert AuthSession.objects.filter(user=full_account).count() == 0
    assert RefreshToken.objects.filter(session__user=full_account).count() == 0


def test_closed_account_refresh_token_is_dead(customer_api, api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    response = api.post("/auth/refresh", {"refresh_token": customer_api.refresh_token})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_refresh_token"


def test_closed_account_access_token_cannot_be_exchanged(customer_api, api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    response = api.post("/auth/refresh", {"token": customer_api.access_token})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_refresh_token"


def test_closed_account_cannot_log_in_with_the_old_email(customer_api, api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    response = api.post("/auth/login", {"email": "ada@example.com", "password": password})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert AuthSession.objects.count() == 0


def test_closed_account_email_can_be_registered_again(customer_api, api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    response = api.post(
        "/customers",
        {
            "email": "ada@example.com",
            "password": "a new password 123",
            "password_confirmation": "a new password 123",
        },
    )

    assert response.status_code == 201
    new_user = User.objects.get(email="ada@example.com")
    assert new_user.pk != full_account.pk
    assert response.json()["user"]["addresses"] == []


def test_closing_erases_the_personal_data(customer_api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    closed = User.objects.get(pk=full_account.pk)
    assert closed.email != "ada@example.com"
    assert closed.email.startswith(f"closed-{full_account.pk}-")
    assert closed.email.endswith("@closed.invalid")
    assert (closed.first_name, closed.last_name, closed.phone) == ("", "", "")
    assert closed.private_metadata == {}
    assert closed.accepts_email_marketing is False
    assert closed.is_active is False
    assert closed.has_usable_password() is False
    assert closed.check_password(password) is False
    assert PasswordResetToken.objects.filter(user=full_account).count() == 0


def test_closing_deletes_addresses_not_in_use(customer_api, full_account, password):
    customer_api.delete(ME, {"current_password": password})

    assert Address.objects.filter(user=full_account).count() == 0


def test_closing_keeps_an_address_in_use_anonymised_and_retired(
    customer_api, full_account, password
):
    in_use = Address.objects.get(user=full_account, city="New York")
    addresses_mark_in_use(address_ids=[in_use.pk])

    customer_api.delete(ME, {"current_password": password})

    kept = Address.objects.get(user=full_account)
    assert kept.pk == in_use.pk
    assert (kept.first_name, kept.last_name, kept.company, kept.phone) == ("", "", "", "")
    assert kept.deleted_at is not None
    assert (kept.is_default_billing, kept.is_default_shipping) == (False, False)
    assert (kept.address1, kept.city, kept.postal_code, kept.country_id) == (
        "350 Fifth Avenue",
        "New York",
        "10118",
        "US",
    )


def test_closing_an_account_leaves_other_customers_alone(
    customer_api, other_api, other_customer, full_account, password
):
    other_api.post(ADDRESSES, US_HOME)
    before_user = User.objects.filter(pk=other_customer.pk).values().get()
    before_addresses = list(Address.objects.filter(user=other_customer).values())

    customer_api.delete(ME, {"current_password": password})

    assert User.objects.filter(pk=other_customer.pk).values().get() == before_user
    assert list(Address.objects.filter(user=other_customer).values()) == before_addresses
    assert other_api.get(ME).status_code == 200
