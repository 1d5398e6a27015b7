import jwt
import pytest
from django.conf import settings

from accounts.models import AuthSession, RefreshToken, User
from tests.conftest import StoreClient
from tests.factories import UserFactory

CUSTOMER_KEYS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "accepts_email_marketing",
    "full_name",
    "available_store_credit_total",
    "display_available_store_credit_total",
    "addresses",
    "default_billing_address",
    "default_shipping_address",
    "newsletter_subscriber",
    "customer_groups",
}
VALID = {
    "email": "Grace.Hopper@Example.com ",
    "password": "password123",
    "password_confirmation": "password123",
    "first_name": "Grace",
    "last_name": "Hopper",
    "phone": "+1 555 0100",
    "accepts_email_marketing": True,
}


def _register(client, headers=None, **changes):
    body = {**VALID, **changes}
    body = {key: value for key, value in body.items() if value is not ...}
    return client.post("/customers", body, **(headers or {}))


def test_register_returns_201_with_tokens_and_the_customer(api):
    response = _register(api)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "refresh_token", "user"}
    user = User.objects.get()
    assert set(body["user"]) == CUSTOMER_KEYS
    assert body["user"]["id"] == user.public_id
    assert body["user"]["email"] == "grace.hopper@example.com"
    assert body["user"]["first_name"] == "Grace"
    assert body["user"]["last_name"] == "Hopper"
    assert body["user"]["phone"] == "+1 555 0100"
    assert body["user"]["accepts_email_marketing"] is True
    assert body["user"]["full_name"] == "Grace Hopper"
    assert len(body["refresh_token"]) == 32


def test_register_stores_the_customer_normalised(api):
    _register(api)

    user = User.objects.get()
    assert user.email == "grace.hopper@example.com"
    assert user.check_password("password123")
    assert (user.first_name, user.last_name, user.phone) == ("Grace", "Hopper", "+1 555 0100")
    assert user.accepts_email_marketing is True
    assert user.is_staff is False


def test_register_starts_a_session_with_the_callers_ip_and_user_agent(api):
    response = _register(
        api, headers={"HTTP_USER_AGENT": "Storefront/1.0", "REMOTE_ADDR": "203.0.113.9"}
    )

    session = AuthSession.objects.get()
    assert session.user.email == "grace.hopper@example.com"
    assert session.ip_address == "203.0.113.9"
    assert session.user_agent == "Storefront/1.0"
    assert RefreshToken.objects.filter(session=session, retired_at__isnull=True).count() == 1
    claims = jwt.decode(
        response.json()["token"],
        settings.JWT_SIGNING_KEY,
        algorithms=["HS256"],
        audience="store_api",
        issuer="spree",
    )
    assert claims["sid"] == session.pk
    assert claims["user_id"] == session.user_id


def test_register_alias_under_auth_behaves_the_same(api):
    response = api.post("/auth/register", VALID)

    assert response.status_code == 201
    assert set(response.json()) == {"token", "refresh_token", "user"}
    assert response.json()["user"]["email"] == "grace.hopper@example.com"
    assert User.objects.count() == 1


def test_register_with_only_email_and_password(api):
    response = api.post("/customers", {"email": "min@example.com", "password": "password123"})

    assert response.status_code == 201
    user = response.json()["user"]
    assert user["first_name"] is None
    assert user["last_name"] is None
    assert user["phone"] is None
    assert user["accepts_email_marketing"] is False
    assert user["full_name"] == "min@example.com"


def test_register_ignores_any_authorization_header(api, customer):
    other = StoreClient(api.api_key).login_as(customer)

    response = _register(other)

    assert response.status_code == 201
    assert response.json()["user"]["email"] == "grace.hopper@example.com"


def test_register_ignores_keys_it_does_not_permit(api):
    response = _register(api, is_staff=True, is_superuser=True, id="cus_UkLWZg9DAJ")

    assert response.status_code == 201
    user = User.objects.get()
    assert user.is_staff is False
    assert user.is_superuser is False


def test_register_keeps_metadata_private(api):
    response = _register(api, metadata={"source": "partner-xyz", "campaign": 7})

    assert response.status_code == 201
    assert "metadata" not in response.json()["user"]
    assert "partner-xyz" not in response.content.decode()
    assert User.objects.get().private_metadata == {"source": "partner-xyz", "campaign": 7}


def test_duplicate_email_in_another_case_is_422(api):
    UserFactory(email="grace.hopper@example.com")

    response = _register(api, email="GRACE.HOPPER@example.COM")

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Email has already been taken",
            "details": {"email": ["has already been taken"]},
        }
    }
    assert User.objects.count() == 1
    assert AuthSession.objects.count() == 0


def test_short_password_is_422(api):
    response = _register(api, password="short12", password_confirmation="short12")

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "validation_error",
        "message": "Password is too short (minimum is 8 characters)",
        "details": {"password": ["is too short (minimum is 8 characters)"]},
    }
    assert User.objects.count() == 0


def test_mismatched_confirmation_is_422(api):
    response = _register(api, password_confirmation="password124")

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "validation_error",
        "message": "Password confirmation doesn't match Password",
        "details": {"password_confirmation": ["doesn't match Password"]},
    }
    assert User.objects.count() == 0


def test_invalid_email_is_422(api):
    response = _register(api, email="not-an-email")

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"email": ["is invalid"]}
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "details"),
    [
        ({"email": ...}, {"email": ["can't be blank"]}),
        ({"email": ""}, {"email": ["can't be blank"]}),
        ({"password": ..., "password_confirmation": ...}, {"password": ["can't be blank"]}),
        ({"password": "", "password_confirmation": ...}, {"password": ["can't be blank"]}),
        ({"email": None}, {"email": ["can't be blank"]}),
    ],
)
def test_missing_email_or_password_is_422(api, changes, details):
    response = _register(api, **changes)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"] == details
    assert User.objects.count() == 0


def test_several_errors_are_reported_together(api):
    response = _register(api, email="bad", password="short", password_confirmation="other")

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "email": ["is invalid"],
        "password": ["is too short (minimum is 8 characters)"],
        "password_confirmation": ["doesn't match Password"],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", 42, "must be a string"),
        ("phone", ["+1"], "must be a string"),
        ("password", 12345678, "must be a string"),
        ("accepts_email_marketing", "yes please", "must be true or false"),
        ("first_name", "x" * 101, "is too long (maximum is 100 characters)"),
    ],
)
def test_wrong_types_are_422_with_details(api, field, value, message):
    response = _register(api, **{field: value})

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {field: [message]}
    assert User.objects.count() == 0


def test_register_without_api_key_is_refused(db):
    response = _register(StoreClient())

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert User.objects.count() == 0
