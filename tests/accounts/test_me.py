import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from accounts.authentication import StoreJWTAuthentication
from accounts.models import AuthSession, User
from accounts.services import SessionContext, session_start
from tests.conftest import StoreClient

# Every key of `@spree/sdk/zod`'s CustomerSchema (SDK 1.2.1).
CUSTOMER_SCHEMA_KEYS = {
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
AUTH_REQUIRED = {"error": {"code": "authentication_required", "message": "Authentication required"}}
CURRENT_PASSWORD_INVALID = {
    "error": {
        "code": "current_password_invalid",
        "message": "Current password is invalid or missing",
    }
}


def _row(user):
    return User.objects.values().get(pk=user.pk)


# --- GET ----------------------------------------------------------------------------------


def test_me_returns_the_customer_with_every_sdk_key(customer_api, customer):
    response = customer_api.get("/customers/me")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == CUSTOMER_SCHEMA_KEYS
    assert body == {
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


def test_me_full_name_falls_back_to_the_email(api_key):
    user = User.objects.create_user("nameless@example.com", "password123")
    client = StoreClient(api_key.token).login_as(user)

    body = client.get("/customers/me").json()

    assert body["full_name"] == "nameless@example.com"
    assert body["first_name"] is None
    assert body["last_name"] is None


def test_me_never_shows_private_metadata_or_internals(customer_api, customer):
    customer.private_metadata = {"risk": "internal-note-xyz"}
    customer.save()

    response = customer_api.get("/customers/me")

    text = response.content.decode()
    assert "internal-note-xyz" not in text
    for hidden in ("metadata", "password", "failed_login_count", "locked_until", "is_staff"):
        assert hidden not in response.json()


def test_me_fields_keeps_only_the_requested_keys_and_id(customer_api, customer):
    response = customer_api.get("/customers/me", {"fields": "full_name,addresses"})

    assert response.json() == {
        "id": customer.public_id,
        "full_name": "Ada Lovelace",
        "addresses": [],
    }


def test_me_fields_with_unknown_names_keeps_only_id(customer_api, customer):
    response = customer_api.get("/customers/me", {"fields": "password,nope"})

    assert response.json() == {"id": customer.public_id}


def test_me_without_a_token_is_401(api):
    response = api.get("/customers/me")

    assert response.status_code == 401
    assert response.json() == AUTH_REQUIRED


def test_me_shows_the_caller_not_another_customer(other_api, other_customer):
    assert other_api.get("/customers/me").json()["id"] == other_customer.public_id


def test_me_query_count_is_bounded(customer_api, django_assert_max_num_queries):
    customer_api.get("/customers/me")  # the publishable key is now cached and touched

    # one statement: session + customer + address book + store credit total
    with django_assert_max_num_queries(1):
        response = customer_api.get("/customers/me")

    assert response.status_code == 200


def test_me_query_count_with_a_cold_key_cache(customer_api, django_assert_max_num_queries):
    # plus the key lookup and its hourly last_used_at write
    with django_assert_max_num_queries(3):
        response = customer_api.get("/customers/me")

    assert response.status_code == 200


def test_me_query_count_does_not_grow_with_sessions(
    customer_api, customer, django_assert_max_num_queries
):
    customer_api.get("/customers/me")
    for _ in range(10):
        session_start(user=customer, context=SessionContext(None, ""))

    with django_assert_max_num_queries(1):
        customer_api.get("/customers/me")


def test_authenticating_a_request_costs_at_most_one_query(
    customer_api, customer, django_assert_max_num_queries
):
    django_request = RequestFactory().get(
        "/api/v3/store/customers/me", HTTP_AUTHORIZATION=f"Bearer {customer_api.access_token}"
    )

    with django_assert_max_num_queries(1):
        user, session = StoreJWTAuthentication().authenticate(Request(django_request))
        assert (user.pk, user.email, user.is_active) == (customer.pk, "ada@example.com", True)
        assert session.pk == customer_api.session_id
        assert session.user is user


def test_authenticating_a_plain_django_request_costs_at_most_one_query(
    customer_api, django_assert_max_num_queries
):
    django_request = RequestFactory().get(
        "/", HTTP_AUTHORIZATION=f"Bearer {customer_api.access_token}"
    )

    with django_assert_max_num_queries(1):
        user, _session = StoreJWTAuthentication().authenticate(django_request)

    assert user.email == "ada@example.com"


def test_authenticating_without_a_token_costs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert StoreJWTAuthentication().authenticate(RequestFactory().get("/")) is None


def test_authenticating_a_revoked_session_returns_no_user(customer_api):
    AuthSession.objects.filter(pk=customer_api.session_id).update(revoked_reason="x")
    from django.utils import timezone

    AuthSession.objects.filter(pk=customer_api.session_id).update(revoked_at=timezone.now())
    django_request = RequestFactory().get(
        "/", HTTP_AUTHORIZATION=f"Bearer {customer_api.access_token}"
    )

    assert StoreJWTAuthentication().authenticate(django_request) is None


def test_an_inactive_customers_token_is_refused(customer_api, customer):
    User.objects.filter(pk=customer.pk).update(is_active=False)

    assert customer_api.get("/customers/me").json() == AUTH_REQUIRED


# --- PATCH --------------------------------------------------------------------------------


def test_patch_updates_the_profile(customer_api, customer):
    response = customer_api.patch(
        "/customers/me",
        {
            "first_name": " Augusta ",
            "last_name": "King",
            "phone": "+44 20 7946 0000",
            "accepts_email_marketing": True,
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == CUSTOMER_SCHEMA_KEYS
    assert body["first_name"] == "Augusta"
    assert body["last_name"] == "King"
    assert body["phone"] == "+44 20 7946 0000"
    assert body["accepts_email_marketing"] is True
    assert body["full_name"] == "Augusta King"
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == ("Augusta", "King")
    assert customer.accepts_email_marketing is True


def test_patch_with_null_clears_a_name(customer_api, customer):
    response = customer_api.patch("/customers/me", {"last_name": None})

    assert response.status_code == 200
    assert response.json()["last_name"] is None
    customer.refresh_from_db()
    assert customer.last_name == ""


def test_patch_respects_fields(customer_api, customer):
    response = customer_api.patch("/customers/me?fields=first_name", {"first_name": "Augusta"})

    assert response.json() == {"id": customer.public_id, "first_name": "Augusta"}


def test_patch_ignores_keys_that_are_not_permitted(customer_api, customer):
    response = customer_api.patch(
        "/customers/me",
        {"is_staff": True, "is_superuser": True, "id": "cus_gbHJdmfrXB", "first_name": "Ada"},
    )

    assert response.status_code == 200
    assert response.json()["id"] == customer.public_id
    customer.refresh_from_db()
    assert customer.is_staff is False
    assert customer.is_superuser is False


def test_patch_metadata_is_write_only_and_merged(customer_api, customer):
    customer.private_metadata = {"kept": 1}
    customer.save()

    response = customer_api.patch("/customers/me", {"metadata": {"size": "M"}})

    assert response.status_code == 200
    assert "metadata" not in response.json()
    assert "size" not in response.content.decode()
    customer.refresh_from_db()
    assert customer.private_metadata == {"kept": 1, "size": "M"}


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"first_name": 7}, {"first_name": ["must be a string"]}),
        (
            {"accepts_email_marketing": "often"},
            {"accepts_email_marketing": ["must be true or false"]},
        ),
        ({"metadata": ["a"]}, {"metadata": ["must be an object"]}),
        ({"phone": "1" * 41}, {"phone": ["is too long (maximum is 40 characters)"]}),
    ],
)
def test_patch_with_wrong_types_is_422_and_changes_nothing(customer_api, customer, body, details):
    before = _row(customer)

    response = customer_api.patch("/customers/me", body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"] == details
    assert _row(customer) == before


def test_patch_without_a_token_is_401_and_changes_nothing(api, customer):
    before = _row(customer)

    response = api.patch("/customers/me", {"first_name": "Mallory"})

    assert response.json() == AUTH_REQUIRED
    assert _row(customer) == before


def test_patch_changes_only_the_callers_profile(customer_api, other_customer):
    before = _row(other_customer)

    customer_api.patch("/customers/me", {"first_name": "Changed"})

    assert _row(other_customer) == before


# --- the current_password rule ------------------------------------------------------------


@pytest.mark.parametrize("current", [None, "", "wrong password"])
def test_password_change_needs_the_current_password(customer_api, customer, current):
    before = _row(customer)
    body = {"password": "new password 1", "password_confirmation": "new password 1"}
    if current is not None:
        body["current_password"] = current

    response = customer_api.patch("/customers/me", body)

    assert response.status_code == 422
    assert response.json() == CURRENT_PASSWORD_INVALID
    assert _row(customer) == before


@pytest.mark.parametrize("current", [None, "wrong password"])
def test_email_change_needs_the_current_password(customer_api, customer, current):
    before = _row(customer)
    body = {"email": "ada.king@example.com"}
    if current is not None:
        body["current_password"] = current

    response = customer_api.patch("/customers/me", body)

    assert response.json() == CURRENT_PASSWORD_INVALID
    assert _row(customer) == before


def test_sending_the_same_email_needs_no_current_password(customer_api, customer):
    response = customer_api.patch(
        "/customers/me", {"email": "ADA@example.com", "first_name": "Augusta"}
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.email, customer.first_name) == ("ada@example.com", "Augusta")


def test_email_change_with_the_current_password(customer_api, customer, password):
    response = customer_api.patch(
        "/customers/me", {"email": "Ada.King@Example.com", "current_password": password}
    )

    assert response.status_code == 200
    assert response.json()["email"] == "ada.king@example.com"
    customer.refresh_from_db()
    assert customer.email == "ada.king@example.com"


def test_email_change_to_a_taken_email_is_422(customer_api, customer, other_customer, password):
    before = _row(customer)

    response = customer_api.patch(
        "/customers/me", {"email": "GRACE@example.com", "current_password": password}
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "validation_error",
        "message": "Email has already been taken",
        "details": {"email": ["has already been taken"]},
    }
    assert _row(customer) == before


def test_email_change_to_an_invalid_email_is_422(customer_api, customer, password):
    before = _row(customer)

    response = customer_api.patch(
        "/customers/me", {"email": "not-an-email", "current_password": password}
    )

    assert response.json()["error"]["details"] == {"email": ["is invalid"]}
    assert _row(customer) == before


def test_password_change_with_the_current_password(customer_api, customer, password):
    response = customer_api.patch(
        "/customers/me",
        {
            "password": "new password 1",
            "password_confirmation": "new password 1",
            "current_password": password,
        },
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.check_password("new password 1")
    assert not customer.check_password(password)


@pytest.mark.parametrize(
    ("new", "confirmation", "details"),
    [
        ("short1", "short1", {"password": ["is too short (minimum is 8 characters)"]}),
        ("new password 1", "other", {"password_confirmation": ["doesn't match Password"]}),
    ],
)
def test_invalid_new_password_is_422_and_changes_nothing(
    customer_api, customer, password, new, confirmation, details
):
    other = session_start(user=customer, context=SessionContext(None, "phone"))
    before = _row(customer)

    response = customer_api.patch(
        "/customers/me",
        {"password": new, "password_confirmation": confirmation, "current_password": password},
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"] == details
    assert _row(customer) == before
    assert AuthSession.objects.get(pk=other.session_id).revoked_at is None


def test_password_change_ends_every_other_session_but_keeps_this_one(
    api, customer_api, customer, password, other_api
):
    phone = session_start(user=customer, context=SessionContext(None, "phone"))
    tablet = session_start(user=customer, context=SessionContext(None, "tablet"))

    response = customer_api.patch(
        "/customers/me",
        {
            "password": "new password 1",
            "password_confirmation": "new password 1",
            "current_password": password,
        },
    )

    assert response.status_code == 200
    for ended in (phone, tablet):
        session = AuthSession.objects.get(pk=ended.session_id)
        assert session.revoked_reason == "password_changed"
        token = ended.access_token
        assert api.get("/customers/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
        refreshed = api.post("/auth/refresh", {"refresh_token": ended.refresh_token})
        assert refreshed.status_code == 401
    assert AuthSession.objects.get(pk=customer_api.session_id).revoked_at is None
    assert customer_api.get("/customers/me").status_code == 200
    kept = api.post("/auth/refresh", {"refresh_token": customer_api.refresh_token})
    assert kept.status_code == 200
    assert AuthSession.objects.get(pk=other_api.session_id).revoked_at is None


def test_profile_change_without_password_keeps_other_sessions(customer_api, customer):
    phone = session_start(user=customer, context=SessionContext(None, "phone"))

    customer_api.patch("/customers/me", {"first_name": "Augusta"})

    assert AuthSession.objects.get(pk=phone.session_id).revoked_at is None


def test_me_answers_head_like_get_without_a_body(customer_api):
    get = customer_api.get("/customers/me")

    head = customer_api.call("HEAD", "/customers/me")

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
