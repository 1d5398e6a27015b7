"""Payment sessions on a cart (POST/GET/PATCH /carts/:id/payment_sessions[/:id], PATCH
.../complete) and POST /carts/:id/payments for methods that need no session."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from orders.errors import CartNotFound
from orders.models import Order
from payments.gateways.bogus import BogusGateway
from payments.gateways.wallet import WalletGateway
from payments.models import CreditCard, Payment, PaymentMethod, PaymentSession, PaymentSource
from payments.services.balances import gift_card_create
from payments.services.sessions import payment_session_complete, payment_session_update
from storeapi import settings_cache
from storeapi.errors import ProcessingError
from tests.payments.helpers import (
    NOT_AUTHENTICATED,
    not_found,
    order_of,
    ready_cart,
    save_card,
    token_of,
)

SESSION_NOT_FOUND = not_found("Payment session not found")
ACCESS_DENIED = {
    "error": {"code": "access_denied", "message": "You are not authorized to access this page."}
}


def _sessions(cart: dict) -> str:
    return f"/carts/{cart['id']}/payment_sessions"


def _open(client, cart, method, **body):
    response = client.post(
        _sessions(cart), {"payment_method_id": method.public_id, **body}, **token_of(cart)
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _complete(client, cart, session, external_data=None, **headers):
    body = {} if external_data is None else {"external_data": external_data}
    return client.patch(
        f"{_sessions(cart)}/{session['id']}/complete", body, **{**token_of(cart), **headers}
    )


# --- create, get, update -------------------------------------------------------------------


def test_create_opens_a_session_for_the_amount_due(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(_sessions(cart), {"payment_method_id": bogus.public_id})

    assert response.status_code == 201, response.json()
    session = PaymentSession.objects.get()
    assert response.json() == {
        "id": session.public_id,
        "status": "pending",
        "currency": "USD",
        "external_id": session.external_id,
        "external_data": {},
        "customer_external_id": None,
        "expires_at": None,
        "amount": "55.00",
        "payment_method_id": bogus.public_id,
        "order_id": cart["id"].replace("cart_", "or_"),
        "payment_method": {
            "id": bogus.public_id,
            "name": "Card",
            "description": None,
            "type": "Spree::Gateway::Bogus",
            "session_required": True,
            "source_required": False,
        },
    }
    assert session.external_id.startswith("bogus_pi_")
    assert not Payment.objects.exists()


def test_create_with_an_amount(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])

    session = _open(customer_api, cart, bogus, amount="20.5")

    assert session["amount"] == "20.50"


@pytest.mark.parametrize("amount", ["abc", -1, 0, True, {"value": 1}, "NaN"])
def test_create_with_a_bad_amount_is_a_validation_error(customer_api, bogus, shop, amount):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(
        _sessions(cart), {"payment_method_id": bogus.public_id, "amount": amount}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["details"]) == ["amount"]
    assert not PaymentSession.objects.exists()


def test_a_guest_opens_a_session_with_the_cart_token(api, bogus, shop):
    cart = ready_cart(api, shop["variant"], email="guest@example.com")

    session = _open(api, cart, bogus)

    assert session["amount"] == "55.00"


def test_wallet_session_carries_the_approve_url(customer_api, wallet, shop):
    cart = ready_cart(customer_api, shop["variant"])

    session = _open(customer_api, cart, wallet)

    assert session["external_id"].startswith("wallet_order_")
    assert session["external_data"] == {
        "approve_url": f"https://wallet.invalid/{session['external_id']}"
    }


def test_get_by_id_and_by_external_id(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    by_id = customer_api.get(f"{_sessions(cart)}/{session['id']}")
    by_external_id = customer_api.get(f"{_sessions(cart)}/{session['external_id']}")

    assert by_id.status_code == by_external_id.status_code == 200
    assert by_id.json() == by_external_id.json() == session


@pytest.mark.parametrize("session_id", ["ps_nope", "bogus_pi_nope", "pss_{pk}", "{pk}"])
def test_unknown_session_is_not_found(customer_api, bogus, shop, session_id):
    cart = ready_cart(customer_api, shop["variant"])
    _open(customer_api, cart, bogus)
    pk = PaymentSession.objects.get().pk

    response = customer_api.get(f"{_sessions(cart)}/{session_id.format(pk=pk)}")

    assert response.status_code == 404
    assert response.json() == SESSION_NOT_FOUND


def test_a_session_of_another_cart_is_not_found(customer_api, bogus, shop):
    first = ready_cart(customer_api, shop["variant"])
    second = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, first, bogus)

    for session_id in (session["id"], session["external_id"]):
        response = customer_api.get(f"{_sessions(second)}/{session_id}")
        assert (response.status_code, response.json()) == (404, SESSION_NOT_FOUND)
    response = _complete(customer_api, second, session, {"token": "tok_visa"})
    assert (response.status_code, response.json()) == (404, SESSION_NOT_FOUND)
    assert PaymentSession.objects.get().status == "pending"


def test_patch_changes_amount_and_provider_data(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = customer_api.patch(
        f"{_sessions(cart)}/{session['id']}",
        {"amount": 30, "external_data": {"return_url": "https://shop.example/done"}},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["amount"] == "30.00"
    assert response.json()["external_data"] == {"return_url": "https://shop.example/done"}
    assert PaymentSession.objects.get().amount == Decimal("30.00")


def test_patch_refuses_card_numbers(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = customer_api.patch(
        f"{_sessions(cart)}/{session['id']}", {"external_data": {"cvv": "123"}}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert PaymentSession.objects.get().external_data == {}


def test_a_completed_session_cannot_be_patched(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)
    _complete(customer_api, cart, session, {"token": "tok_visa"})

    response = customer_api.patch(f"{_sessions(cart)}/{session['id']}", {"amount": 1})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "processing_error"
    assert PaymentSession.objects.get().amount == Decimal("55.00")


# --- complete ------------------------------------------------------------------------------


def test_completing_charges_the_card_and_the_cart_can_complete(customer_api, customer, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = _complete(customer_api, cart, session, {"token": "tok_visa", "name": "Ada"})

    assert response.status_code == 200, response.json()
    body = response.json()
    payment = Payment.objects.get()
    card = CreditCard.objects.get()
    assert body["status"] == "completed"
    assert body["external_data"] == {"name": "Ada"}
    assert body["payment"] == {
        "id": payment.public_id,
        "payment_method_id": bogus.public_id,
        "response_code": payment.response_code,
        "number": payment.number,
        "amount": "55.00",
        "display_amount": "$55.00",
        "status": "completed",
        "source_type": "credit_card",
        "source_id": card.public_id,
        "source": {
            "id": card.public_id,
            "brand": "visa",
            "last4": "4242",
            "month": 12,
            "year": card.year,
            "name": "Ada",
            "default": False,
            "gateway_payment_profile_id": card.gateway_payment_profile_id,
        },
        "payment_method": body["payment_method"],
    }
    assert payment.response_code.startswith("ch_")
    # Not asked to save it: the card is kept for the payment only, not for the customer.
    assert card.user is None
    assert customer_api.get("/customers/me/credit_cards").json()["data"] == []

    fetched = customer_api.get(f"/carts/{cart['id']}").json()
    assert fetched["current_step"] == "complete"
    assert [p["id"] for p in fetched["payments"]] == [payment.public_id]
    order = customer_api.post(f"/carts/{cart['id']}/complete")
    assert order.status_code == 200, order.json()
    assert order.json()["payment_status"] == "paid"
    assert order.json()["payments"][0]["status"] == "completed"


def test_saving_the_card_while_paying(customer_api, customer, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = _complete(customer_api, cart, session, {"token": "tok_visa", "save_card": True})

    assert response.status_code == 200
    card = CreditCard.objects.get()
    assert (card.user, card.is_default) == (customer, True)
    assert response.json()["payment"]["source"]["default"] is True


def test_a_guest_cannot_save_a_card(api, bogus, shop):
    cart = ready_cart(api, shop["variant"], email="guest@example.com")
    session = _open(api, cart, bogus)

    response = _complete(api, cart, session, {"token": "tok_visa", "save_card": True})

    assert response.status_code == 200
    assert CreditCard.objects.get().user is None


def test_a_declined_card_fails_the_session_and_records_no_payment(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = _complete(customer_api, cart, session, {"token": "tok_declined"})

    assert response.status_code == 422
    assert response.json() == {
        "error": {"code": "gateway_error", "message": "Your card was declined."}
    }
    assert PaymentSession.objects.get().status == "failed"
    assert not Payment.objects.exists()
    assert not CreditCard.objects.exists()
    fetched = customer_api.get(f"/carts/{cart['id']}").json()
    assert (fetched["current_step"], fetched["payments"], fetched["amount_due"]) == (
        "payment",
        [],
        "55.00",
    )
    again = _complete(customer_api, cart, session, {"token": "tok_visa"})
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "processing_error"
    assert not Payment.objects.exists()


def test_completing_twice_returns_the_same_session_and_one_payment(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)
    first = _complete(customer_api, cart, session, {"token": "tok_visa"})

    second = _complete(customer_api, cart, session, {"token": "tok_mastercard"})

    assert second.status_code == 200
    assert second.json() == first.json()
    assert Payment.objects.count() == 1
    assert CreditCard.objects.count() == 1


def test_completing_by_external_id(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = customer_api.patch(
        f"{_sessions(cart)}/{session['external_id']}/complete",
        {"external_data": {"token": "tok_visa"}},
    )

    assert response.status_code == 200
    assert response.json()["id"] == session["id"]
    assert Payment.objects.count() == 1


def test_a_new_session_payment_replaces_an_unprocessed_check_payment(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    check = customer_api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": shop["check"].public_id}
    ).json()
    session = _open(customer_api, cart, bogus)

    _complete(customer_api, cart, session, {"token": "tok_visa"})

    fetched = customer_api.get(f"/carts/{cart['id']}").json()
    assert [p["payment_method_id"] for p in fetched["payments"]] == [bogus.public_id]
    assert Payment.objects.get(number=check["number"]).state == "invalid"


def test_wallet_payment_without_and_with_saving(customer_api, customer, wallet, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, wallet)

    response = _complete(customer_api, cart, session, {"email": "ada@example.com"})

    assert response.status_code == 200, response.json()
    payment = response.json()["payment"]
    assert (payment["source_type"], payment["source_id"], payment["source"]) == (None, None, None)
    assert not PaymentSource.objects.exists()

    other = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, other, wallet)
    response = _complete(
        customer_api, other, session, {"email": "ada@example.com", "save_payment_method": True}
    )
    source = PaymentSource.objects.get()
    assert source.user == customer
    assert response.json()["payment"]["source_id"] == source.public_id


# --- paying with a saved card ---------------------------------------------------------------


def test_a_saved_card_pays_its_owners_cart(customer_api, customer, bogus, shop):
    card = save_card(customer, bogus)
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = _complete(customer_api, cart, session, {"credit_card_id": card.public_id})

    assert response.status_code == 200, response.json()
    payment = response.json()["payment"]
    assert (payment["source_type"], payment["source_id"]) == ("credit_card", card.public_id)
    assert CreditCard.objects.count() == 1
    assert customer_api.post(f"/carts/{cart['id']}/complete").json()["payment_status"] == "paid"


def test_another_customers_card_cannot_pay(customer_api, other_customer, bogus, shop):
    card = save_card(other_customer, bogus)
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = _complete(customer_api, cart, session, {"credit_card_id": card.public_id})

    assert response.status_code == 404
    assert response.json() == not_found("Payment source not found")
    assert PaymentSession.objects.get().status == "pending"
    assert not Payment.objects.exists()


def test_a_guest_cart_cannot_use_a_saved_card(api, customer, bogus, shop):
    card = save_card(customer, bogus)
    cart = ready_cart(api, shop["variant"], email="guest@example.com")
    session = _open(api, cart, bogus)

    response = _complete(api, cart, session, {"credit_card_id": card.public_id})

    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_a_card_id_given_at_create_is_checked_at_complete(
    customer_api, other_customer, bogus, shop
):
    card = save_card(other_customer, bogus)
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus, external_data={"credit_card_id": card.public_id})

    response = _complete(customer_api, cart, session)

    assert response.status_code == 404
    assert not Payment.objects.exists()


# --- methods -------------------------------------------------------------------------------


def test_an_inactive_method_cannot_open_a_session(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    PaymentMethod.objects.filter(pk=bogus.pk).update(is_active=False)
    settings_cache.clear()  # .update() sends no signals; the cart's answers kept the methods

    response = customer_api.post(_sessions(cart), {"payment_method_id": bogus.public_id})

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "payment_method_unavailable",
            "message": "This payment method is not available for this cart",
        }
    }
    assert not PaymentSession.objects.exists()


def test_a_method_without_a_gateway_cannot_open_a_session(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(_sessions(cart), {"payment_method_id": shop["check"].public_id})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_method_unavailable"


def test_an_unknown_method_cannot_open_a_session(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(_sessions(cart), {"payment_method_id": "pm_nope"})

    assert response.status_code == 404
    assert response.json() == not_found("Payment method not found")


def test_nothing_left_to_pay_cannot_open_a_session(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    card = gift_card_create(amount=Decimal("100"), currency="USD")
    customer_api.post(f"/carts/{cart['id']}/gift_cards", {"code": card.code})

    response = customer_api.post(_sessions(cart), {"payment_method_id": bogus.public_id})

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "processing_error",
        "message": "The cart has nothing left to pay",
    }


def test_the_cart_lists_the_methods_a_shopper_can_choose(customer_api, bogus, wallet, shop):
    PaymentMethod.objects.create(name="Off", provider=PaymentMethod.CHECK, is_active=False)
    PaymentMethod.objects.create(name="Store credit", provider=PaymentMethod.STORE_CREDIT)
    cart = ready_cart(customer_api, shop["variant"])

    methods = [(m["name"], m["session_required"]) for m in cart["payment_methods"]]

    assert methods == [("Check", False), ("Card", True), ("Wallet", True)]


# --- POST /carts/:id/payments ---------------------------------------------------------------


def test_a_check_payment_is_created_for_the_amount_due(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": shop["check"].public_id}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["status"], body["source_type"]) == ("55.00", "checkout", None)
    assert body["id"].startswith("py_") and body["number"].startswith("P")


def test_a_session_method_needs_a_payment_session(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": bogus.public_id}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "payment_session_required",
            "message": (
                "This payment method requires a payment session. Use the payment sessions endpoint."
            ),
        }
    }
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "method_kwargs",
    [
        {"provider": PaymentMethod.CHECK, "is_active": False},
        {"provider": PaymentMethod.STORE_CREDIT},
        {"provider": PaymentMethod.GIFT_CARD},
        {"provider": PaymentMethod.CHECK, "source_required": True},
    ],
)
def test_an_unavailable_method_is_refused(customer_api, shop, method_kwargs):
    method = PaymentMethod.objects.create(name="Unavailable", **method_kwargs)
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": method.public_id}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_method_unavailable"
    assert not Payment.objects.exists()


def test_an_unknown_method_is_not_found(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(f"/carts/{cart['id']}/payments", {"payment_method_id": "pm_x"})

    assert response.status_code == 404
    assert response.json() == not_found("Payment method not found")


# --- who may use a cart's sessions ---------------------------------------------------------


def test_another_customer_without_the_token_is_denied(customer_api, other_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    create = other_api.post(_sessions(cart), {"payment_method_id": bogus.public_id})
    get = other_api.get(f"{_sessions(cart)}/{session['id']}")
    complete = other_api.patch(
        f"{_sessions(cart)}/{session['id']}/complete", {"external_data": {"token": "tok_visa"}}
    )

    for response in (create, get, complete):
        assert (response.status_code, response.json()) == (403, ACCESS_DENIED)
    assert PaymentSession.objects.count() == 1
    assert PaymentSession.objects.get().status == "pending"
    assert not Payment.objects.exists()


def test_anonymous_without_the_token_is_denied(api, customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)

    response = api.patch(
        f"{_sessions(cart)}/{session['id']}/complete", {"external_data": {"token": "tok_visa"}}
    )

    assert (response.status_code, response.json()) == (403, ACCESS_DENIED)
    assert not Payment.objects.exists()


def test_a_completed_cart_is_not_found(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)
    _complete(customer_api, cart, session, {"token": "tok_visa"})
    customer_api.post(f"/carts/{cart['id']}/complete")

    response = customer_api.get(f"{_sessions(cart)}/{session['id']}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "cart_not_found"
    assert order_of(cart).state == "complete"


def test_store_credits_on_a_cart_need_a_jwt_even_with_the_token(api, customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = api.post(f"/carts/{cart['id']}/store_credits", **token_of(cart))

    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)


# --- the gateway is never called while a row lock is held ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_gateway_calls_run_outside_any_transaction(customer_api, bogus, wallet, shop, monkeypatch):
    calls: list[tuple[str, bool]] = []

    def spy(cls, name):
        original = getattr(cls, name)

        def wrapper(self, **kwargs):
            calls.append((name, connection.in_atomic_block))
            return original(self, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    for cls in (BogusGateway, WalletGateway):
        for name in (
            "create_payment_session",
            "update_payment_session",
            "complete_payment_session",
            "create_setup_session",
            "complete_setup_session",
        ):
            spy(cls, name)
    cart = ready_cart(customer_api, shop["variant"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "pay-once"}

    session = _open(customer_api, cart, bogus)
    customer_api.patch(f"{_sessions(cart)}/{session['id']}", {"amount": "55.00"})
    response = _complete(customer_api, cart, session, {"token": "tok_visa"}, **headers)
    assert response.status_code == 200, response.json()
    setup = customer_api.post(
        "/customers/me/payment_setup_sessions", {"payment_method_id": wallet.public_id}
    ).json()
    customer_api.patch(
        f"/customers/me/payment_setup_sessions/{setup['id']}/complete",
        {"external_data": {"email": "ada@example.com"}},
        HTTP_IDEMPOTENCY_KEY="save-once",
    )

    assert calls == [
        ("create_payment_session", False),
        ("update_payment_session", False),
        ("complete_payment_session", False),
        ("create_setup_session", False),
        ("complete_setup_session", False),
    ]


def test_a_charge_that_cannot_be_recorded_is_refunded(customer_api, bogus, shop, monkeypatch):
    cart = ready_cart(customer_api, shop["variant"])
    _open(customer_api, cart, bogus)
    refunds: list[dict] = []
    monkeypatch.setattr(BogusGateway, "refund", lambda self, **kwargs: refunds.append(kwargs))
    stale = PaymentSession.objects.select_related("order", "payment_method").get()
    # The cart is completed by another request between the lookup and the charge.
    Order.objects.filter(pk=stale.order_id).update(
        state=Order.COMPLETE, completed_at=timezone.now()
    )

    with pytest.raises(CartNotFound):
        payment_session_complete(session=stale, external_data={"token": "tok_visa"})

    [refund] = refunds
    assert refund["amount"] == Decimal("55.00")
    assert refund["response_code"].startswith("ch_")
    assert PaymentSession.objects.get().status == "failed"
    assert not Payment.objects.exists()
    assert not CreditCard.objects.exists()


def test_card_data_in_payment_metadata_is_refused(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(
        f"/carts/{cart['id']}/payments",
        {"payment_method_id": shop["check"].public_id, "metadata": {"note": "4111111111111111"}},
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "metadata": ["must not contain card numbers or security codes"]
    }
    assert not Payment.objects.exists()


def test_payment_metadata_is_kept(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(
        f"/carts/{cart['id']}/payments",
        {"payment_method_id": shop["check"].public_id, "metadata": {"po_number": "PO-1"}},
    )

    assert response.status_code == 201
    assert Payment.objects.get().metadata == {"po_number": "PO-1"}


def test_a_saved_card_pays_only_through_the_gateway_that_saved_it(
    customer_api, customer, bogus, wallet, shop
):
    card = save_card(customer, bogus)
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, wallet)

    response = _complete(customer_api, cart, session, {"credit_card_id": card.public_id})

    assert response.status_code == 404
    assert response.json() == not_found("Payment source not found")
    assert PaymentSession.objects.get().status == "pending"
    assert not Payment.objects.exists()


def test_a_session_completed_meanwhile_keeps_its_amount(customer_api, bogus, shop):
    cart = ready_cart(customer_api, shop["variant"])
    session = _open(customer_api, cart, bogus)
    stale = PaymentSession.objects.select_related("payment_method").get()
    _complete(customer_api, cart, session, {"token": "tok_visa"})

    with pytest.raises(ProcessingError):
        payment_session_update(session=stale, amount="1.00")

    assert PaymentSession.objects.get().amount == Decimal("55.00")
    assert Payment.objects.get().amount == Decimal("55.00")
