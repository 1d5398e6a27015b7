"""POST/GET /customers/me/payment_setup_sessions[/:id] and PATCH .../complete: saving a card
or a wallet for later through the gateway. Card numbers and CVV never reach the database."""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from payments.models import CreditCard, PaymentMethod, PaymentSetupSession, PaymentSource
from storeapi.models import IdempotencyRecord
from tests.payments.helpers import (
    NOT_AUTHENTICATED,
    REFUSED_CARD_DATA,
    not_found,
    payments_snapshot,
    snapshot_counts,
)

PATH = "/customers/me/payment_setup_sessions"
SESSION_NOT_FOUND = not_found("Payment setup session not found")
METHOD_NOT_FOUND = not_found("Payment method not found")
CARD_NUMBER = "4111111111111111"


def _create(client, method, external_data=None):
    body = {"payment_method_id": method.public_id}
    if external_data is not None:
        body["external_data"] = external_data
    return client.post(PATH, body)


def _method_json(method) -> dict:
    return {
        "id": method.public_id,
        "name": method.name,
        "description": None,
        "type": method.type_name,
        "session_required": True,
        "source_required": False,
    }


def test_create_opens_a_pending_session_at_the_gateway(customer_api, customer, bogus):
    response = _create(customer_api, bogus)

    assert response.status_code == 201, response.json()
    body = response.json()
    session = PaymentSetupSession.objects.get()
    assert body == {
        "id": session.public_id,
        "status": "pending",
        "external_id": session.external_id,
        "external_client_secret": f"{session.external_id}_secret",
        "external_data": {},
        "payment_method_id": bogus.public_id,
        "payment_source_id": None,
        "payment_source_type": None,
        "customer_id": customer.public_id,
        "payment_method": _method_json(bogus),
    }
    assert body["id"].startswith("pss_")
    assert session.external_id.startswith("bogus_seti_")
    assert session.user == customer


def test_get_returns_the_session(customer_api, bogus):
    created = _create(customer_api, bogus).json()

    response = customer_api.get(f"{PATH}/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


def test_completing_with_a_test_card_saves_it(customer_api, customer, bogus):
    created = _create(customer_api, bogus).json()

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete",
        {"external_data": {"token": "tok_visa", "exp_month": 4, "exp_year": 2031, "name": "Ada"}},
    )

    assert response.status_code == 200, response.json()
    card = CreditCard.objects.get(user=customer)
    assert (card.brand, card.last4, card.month, card.year, card.name) == (
        "visa",
        "4242",
        4,
        2031,
        "Ada",
    )
    assert card.gateway_payment_profile_id.startswith("card_")
    assert card.is_default is True
    body = response.json()
    assert body["status"] == "completed"
    assert body["payment_source_id"] == card.public_id
    assert body["payment_source_type"] == "credit_card"
    # The one-time token is not kept; the rest of the provider data is.
    assert body["external_data"] == {"exp_month": 4, "exp_year": 2031, "name": "Ada"}
    listed = customer_api.get("/customers/me/credit_cards").json()["data"]
    assert [
        (c["id"], c["brand"], c["last4"], c["month"], c["year"], c["name"]) for c in listed
    ] == [(card.public_id, "visa", "4242", 4, 2031, "Ada")]


def test_a_card_token_sent_at_create_is_not_kept(customer_api, customer, bogus):
    created = _create(customer_api, bogus, {"token": "tok_mastercard", "name": "Ada"}).json()

    assert created["external_data"] == {"name": "Ada"}
    assert PaymentSetupSession.objects.get().external_data == {"name": "Ada"}
    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_mastercard"}}
    )
    assert response.status_code == 200, response.json()
    card = CreditCard.objects.get(user=customer)
    assert (card.brand, card.last4, card.month, card.name) == ("master", "4444", 12, "Ada")
    assert card.year == timezone.localdate().year + 1


def test_second_saved_card_is_not_the_default(customer_api, customer, bogus):
    for token in ("tok_visa", "tok_amex"):
        created = _create(customer_api, bogus).json()
        customer_api.patch(f"{PATH}/{created['id']}/complete", {"external_data": {"token": token}})

    cards = {c.last4: c.is_default for c in CreditCard.objects.filter(user=customer)}
    assert cards == {"4242": True, "0005": False}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("tok_declined", "Your card was declined."),
        ("tok_insufficient_funds", "Your card has insufficient funds."),
        ("tok_expired_card", "Your card has expired."),
        ("tok_unknown", "Unknown test card token; see the README for the test tokens."),
    ],
)
def test_a_declined_card_fails_the_session_and_saves_nothing(
    customer_api, customer, bogus, token, message
):
    created = _create(customer_api, bogus).json()

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": token}}
    )

    assert response.status_code == 422
    assert response.json() == {"error": {"code": "gateway_error", "message": message}}
    assert PaymentSetupSession.objects.get().status == "failed"
    assert not CreditCard.objects.exists()
    fetched = customer_api.get(f"{PATH}/{created['id']}").json()
    assert (fetched["status"], fetched["payment_source_id"]) == ("failed", None)


def test_a_failed_session_cannot_be_completed_again(customer_api, bogus):
    created = _create(customer_api, bogus).json()
    customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_declined"}}
    )

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_visa"}}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "processing_error"
    assert not CreditCard.objects.exists()


def test_an_expiry_in_the_past_is_declined(customer_api, bogus):
    created = _create(customer_api, bogus).json()

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete",
        {"external_data": {"token": "tok_visa", "exp_month": 1, "exp_year": 2020}},
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "gateway_error",
        "message": "Your card has expired.",
    }
    assert not CreditCard.objects.exists()


def test_completing_twice_returns_the_same_session_and_one_card(customer_api, customer, bogus):
    created = _create(customer_api, bogus).json()
    first = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_visa"}}
    )

    second = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_amex"}}
    )

    assert second.status_code == 200
    assert second.json() == first.json()
    assert CreditCard.objects.filter(user=customer).count() == 1


def test_completing_with_the_wallet_saves_a_payment_source(customer_api, customer, wallet):
    created = _create(customer_api, wallet).json()
    assert created["external_id"].startswith("wallet_setup_")
    assert created["external_client_secret"] is None

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"email": "ada@example.com"}}
    )

    assert response.status_code == 200, response.json()
    source = PaymentSource.objects.get(user=customer)
    assert (source.type, source.label, source.is_default) == (
        "paypal",
        "PayPal (a***@example.com)",
        True,
    )
    assert source.gateway_payment_profile_id.startswith("ba_")
    body = response.json()
    assert (body["status"], body["payment_source_id"], body["payment_source_type"]) == (
        "completed",
        source.public_id,
        "payment_source",
    )
    assert not CreditCard.objects.exists()
    listed = customer_api.get("/customers/me/payment_sources").json()["data"]
    assert [s["id"] for s in listed] == [source.public_id]


def test_a_refused_wallet_fails_the_session(customer_api, wallet):
    created = _create(customer_api, wallet).json()

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"email": "declined@example.com"}}
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "gateway_error",
        "message": "The wallet refused the payment.",
    }
    assert PaymentSetupSession.objects.get().status == "failed"
    assert not PaymentSource.objects.exists()


# --- payment methods -----------------------------------------------------------------------


@pytest.mark.parametrize("method_id", ["pm_nope", "", None, "card_UkLWZg9DAJ"])
def test_unknown_payment_method_is_not_found(customer_api, bogus, method_id):
    response = customer_api.post(PATH, {"payment_method_id": method_id})

    assert response.status_code == 404
    assert response.json() == METHOD_NOT_FOUND
    assert not PaymentSetupSession.objects.exists()


def test_inactive_payment_method_is_unavailable(customer_api, bogus):
    PaymentMethod.objects.filter(pk=bogus.pk).update(is_active=False)

    response = _create(customer_api, bogus)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_method_unavailable"
    assert not PaymentSetupSession.objects.exists()


@pytest.mark.parametrize("provider", [PaymentMethod.CHECK, PaymentMethod.STORE_CREDIT])
def test_a_method_without_a_gateway_is_unavailable(customer_api, provider):
    method = PaymentMethod.objects.create(name="No gateway", provider=provider)

    response = _create(customer_api, method)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_method_unavailable"
    assert not PaymentSetupSession.objects.exists()


def test_a_session_of_a_method_deactivated_later_still_completes(customer_api, customer, bogus):
    created = _create(customer_api, bogus).json()
    PaymentMethod.objects.filter(pk=bogus.pk).update(is_active=False)

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_visa"}}
    )

    assert response.status_code == 200
    assert CreditCard.objects.filter(user=customer).count() == 1


# --- card data is refused and never stored -------------------------------------------------


@pytest.mark.parametrize(
    "external_data",
    [
        {"number": CARD_NUMBER},
        {"cvv": "123"},
        {"token": "tok_visa", "cvc": "123"},
        {"card": {"number": CARD_NUMBER, "exp_month": 12}},
        {"sources": [{"card_number": CARD_NUMBER}]},
        {"Verification_Value": "123"},
        {"cardNumber": CARD_NUMBER},
        {"card-number": CARD_NUMBER},
        {"securityCode": "123"},
        {"note": CARD_NUMBER},
        {"note": "4111 1111 1111 1111"},
        {"nested": {"value": "4111-1111-1111-1111"}},
    ],
)
def test_card_numbers_and_security_codes_are_refused_at_create(
    customer_api, bogus, caplog, external_data
):
    caplog.set_level(logging.DEBUG)

    response = _create(customer_api, bogus, external_data)

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": response.json()["error"]["message"],
            "details": REFUSED_CARD_DATA,
        }
    }
    assert not PaymentSetupSession.objects.exists()
    assert CARD_NUMBER not in caplog.text and "4111 1111" not in caplog.text


@pytest.mark.parametrize(
    "external_data",
    [
        {"token": "tok_visa", "number": CARD_NUMBER, "cvv": "123"},
        {"token": "tok_visa", "note": CARD_NUMBER},
    ],
)
def test_card_numbers_are_refused_at_complete_and_nothing_is_stored(
    customer_api, bogus, caplog, external_data
):
    caplog.set_level(logging.DEBUG)
    created = _create(customer_api, bogus).json()
    before = snapshot_counts()

    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete",
        {"external_data": external_data},
        HTTP_IDEMPOTENCY_KEY="complete-with-a-card-number",
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"] == REFUSED_CARD_DATA
    assert snapshot_counts() == before
    assert PaymentSetupSession.objects.get().status == "pending"
    assert not CreditCard.objects.exists()
    stored = payments_snapshot() + "".join(
        bytes(r.body).decode() for r in IdempotencyRecord.objects.all()
    )
    assert CARD_NUMBER not in stored and '"123"' not in stored
    assert CARD_NUMBER not in caplog.text


def test_no_card_number_is_stored_after_a_successful_setup(customer_api, bogus, caplog):
    caplog.set_level(logging.DEBUG)
    created = _create(customer_api, bogus).json()
    response = customer_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_visa", "name": "A"}}
    )
    assert response.status_code == 200, response.json()

    stored = payments_snapshot()

    assert '"last4": "4242"' in stored
    assert "4242424242424242" not in stored
    assert "tok_visa" not in stored
    assert "tok_visa" not in caplog.text


def test_ordinary_provider_data_is_accepted(customer_api, bogus):
    data = {
        "return_url": "https://shop.example/return",
        "client_reference": "1732636957123",
        "order_number": "R123456789",
        "amount_in_cents": 5500,
        "card_brand_hint": "visa",
    }

    response = _create(customer_api, bogus, data)

    assert response.status_code == 201, response.json()
    assert response.json()["external_data"] == data


def test_external_data_must_be_an_object(customer_api, bogus):
    response = _create(customer_api, bogus, ["token", "tok_visa"])

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"external_data": ["must be an object"]}
    assert not PaymentSetupSession.objects.exists()


# --- authorization matrix ------------------------------------------------------------------


@pytest.mark.parametrize("call", ["create", "get", "complete"])
def test_anonymous_is_refused(api, customer_api, bogus, call):
    created = _create(customer_api, bogus).json()
    if call == "create":
        response = _create(api, bogus)
    elif call == "get":
        response = api.get(f"{PATH}/{created['id']}")
    else:
        response = api.patch(
            f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_visa"}}
        )

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert PaymentSetupSession.objects.get().status == "pending"
    assert not CreditCard.objects.exists()


def test_another_customers_session_is_not_found_and_unchanged(customer_api, other_api, bogus):
    created = _create(customer_api, bogus).json()

    get = other_api.get(f"{PATH}/{created['id']}")
    complete = other_api.patch(
        f"{PATH}/{created['id']}/complete", {"external_data": {"token": "tok_visa"}}
    )

    assert (get.status_code, get.json()) == (404, SESSION_NOT_FOUND)
    assert (complete.status_code, complete.json()) == (404, SESSION_NOT_FOUND)
    assert PaymentSetupSession.objects.get().status == "pending"
    assert not CreditCard.objects.exists()


@pytest.mark.parametrize("session_id", ["pss_nope", "ps_{pk}", "{pk}"])
def test_unknown_or_mistyped_session_id_is_not_found(customer_api, bogus, session_id):
    _create(customer_api, bogus)
    pk = PaymentSetupSession.objects.get().pk

    response = customer_api.get(f"{PATH}/{session_id.format(pk=pk)}")

    assert response.status_code == 404
    assert response.json() == SESSION_NOT_FOUND


def test_a_setup_that_cannot_be_saved_fails_instead_of_staying_processing(
    customer_api, bogus, monkeypatch
):
    from django.db import IntegrityError

    from payments.services import sessions

    created = _create(customer_api, bogus).json()
    session = PaymentSetupSession.objects.select_related("payment_method", "user").get()

    def broken_save(**kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(sessions, "credit_card_save", broken_save)

    with pytest.raises(IntegrityError):
        sessions.setup_session_complete(session=session, external_data={"token": "tok_visa"})

    assert PaymentSetupSession.objects.get().status == "failed"
    assert not CreditCard.objects.exists()
    assert customer_api.get(f"{PATH}/{created['id']}").json()["status"] == "failed"
