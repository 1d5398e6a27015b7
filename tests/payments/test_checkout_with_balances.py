from decimal import Decimal

from payments.models import CreditCard, GiftCard, PaymentMethod, StoreCredit
from payments.services.balances import gift_card_create, store_credit_grant
from tests.orders.conftest import US_ADDRESS


def _ready_cart(client, shop, headers):
    cart = client.post("/carts", **headers).json()
    headers = {**headers, "HTTP_X_SPREE_TOKEN": cart["token"]}
    client.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": 4},
        **headers,
    )
    response = client.patch(
        f"/carts/{cart['id']}",
        {"email": "ada@example.com", "shipping_address": US_ADDRESS, "use_shipping": True},
        **headers,
    )
    assert response.status_code == 200, response.json()
    return response.json(), headers


def test_card_payment_session_with_store_credit_and_gift_card(customer_api, customer, shop):
    bogus = PaymentMethod.objects.create(
        name="Card", provider=PaymentMethod.BOGUS, session_required=True
    )
    credit = store_credit_grant(user=customer, amount=Decimal("10.00"), currency="USD")
    card = gift_card_create(amount=Decimal("15.00"), currency="USD")
    cart, _headers = _ready_cart(customer_api, shop, {})
    assert cart["total"] == "55.00"

    response = customer_api.post(f"/carts/{cart['id']}/gift_cards", {"code": card.code.upper()})
    assert response.status_code == 201, response.json()
    assert response.json()["gift_card_total"] == "15.00"
    assert response.json()["gift_card"]["code"] == card.code.upper()
    assert response.json()["gift_card"]["amount_remaining"] == "15.00"
    response = customer_api.post(f"/carts/{cart['id']}/store_credits")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["store_credit_total"] == "10.00"
    assert body["amount_due"] == "30.00"
    assert body["total"] == "55.00"

    response = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": bogus.public_id}
    )
    assert response.status_code == 201, response.json()
    session = response.json()
    assert session["amount"] == "30.00" and session["status"] == "pending"

    declined = customer_api.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"token": "tok_declined"}},
    )
    assert declined.status_code == 422
    assert declined.json()["error"]["code"] == "gateway_error"

    session = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": bogus.public_id}
    ).json()
    response = customer_api.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"token": "tok_visa", "save_card": True, "name": "Ada L"}},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    assert response.json()["payment"]["source"]["last4"] == "4242"
    assert CreditCard.objects.get(user=customer).is_default is True

    response = customer_api.post(f"/carts/{cart['id']}/complete")
    assert response.status_code == 200, response.json()
    order = response.json()
    assert order["payment_status"] == "paid"
    credit.refresh_from_db()
    card.refresh_from_db()
    assert credit.amount_used == Decimal("10.00")
    assert card.amount_used == Decimal("15.00") and card.status == "redeemed"
    assert StoreCredit.objects.get(pk=credit.pk).amount_remaining == Decimal("0.00")


def test_card_numbers_are_refused(customer_api, shop):
    PaymentMethod.objects.create(name="Card", provider=PaymentMethod.BOGUS, session_required=True)
    response = customer_api.post(
        "/customers/me/payment_setup_sessions",
        {
            "payment_method_id": PaymentMethod.objects.get(provider="bogus").public_id,
            "external_data": {"number": "4111111111111111", "cvv": "123"},
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "external_data": ["must not contain card numbers or security codes"]
    }


def test_gift_card_errors(api, shop):
    cart, headers = _ready_cart(api, shop, {})
    expired = gift_card_create(amount=Decimal("5"), currency="USD")
    GiftCard.objects.filter(pk=expired.pk).update(expires_at="2020-01-01")
    assert (
        api.post(f"/carts/{cart['id']}/gift_cards", {"code": "nope"}, **headers).json()["error"][
            "code"
        ]
        == "gift_card_not_found"
    )
    assert (
        api.post(f"/carts/{cart['id']}/gift_cards", {"code": expired.code}, **headers).json()[
            "error"
        ]["code"]
        == "gift_card_expired"
    )
