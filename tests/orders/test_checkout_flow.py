from decimal import Decimal

from django.core import mail

from catalog.models import StockItem
from orders.models import Order
from tests.orders.conftest import US_ADDRESS


def _guest_checkout(api, shop, quantity=2):
    cart = api.post("/carts").json()
    token = {"HTTP_X_SPREE_TOKEN": cart["token"]}
    response = api.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": shop["variant"].public_id, "quantity": quantity},
        **token,
    )
    assert response.status_code == 201, response.json()
    response = api.patch(
        f"/carts/{cart['id']}",
        {"email": "guest@example.com", "shipping_address": US_ADDRESS, "use_shipping": True},
        **token,
    )
    assert response.status_code == 200, response.json()
    return response.json(), token


def test_guest_checkout_from_empty_cart_to_order_lookup(
    api, shop, django_capture_on_commit_callbacks
):
    cart, token = _guest_checkout(api, shop)
    assert cart["current_step"] == "payment"
    assert cart["completed_steps"] == ["address", "delivery"]
    assert cart["item_total"] == "25.00"
    assert cart["delivery_total"] == "5.00"
    assert cart["total"] == "30.00"
    assert [r["name"] for r in cart["fulfillments"][0]["delivery_rates"]] == ["Ground", "Express"]
    assert cart["fulfillments"][0]["delivery_rates"][0]["selected"] is True

    express = cart["fulfillments"][0]["delivery_rates"][1]
    response = api.patch(
        f"/carts/{cart['id']}/fulfillments/{cart['fulfillments'][0]['id']}",
        {"selected_delivery_rate_id": express["id"]},
        **token,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["total"] == "40.00"

    response = api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": shop["check"].public_id}, **token
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "40.00"

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/carts/{cart['id']}/complete", **token)
    assert response.status_code == 200, response.json()
    order = response.json()
    assert order["id"].startswith("or_")
    assert order["number"].startswith("R") and len(order["number"]) == 10
    assert order["payment_status"] == "balance_due"
    assert "token" not in order
    assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == 8
    assert len(mail.outbox) == 1 and order["number"] in mail.outbox[0].subject

    again = api.post(f"/carts/{cart['id']}/complete", **token)
    assert again.status_code == 200 and again.json()["id"] == order["id"]
    assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == 8

    lookup = api.get(f"/orders/{order['id']}", **token)
    assert lookup.status_code == 200 and lookup.json()["total"] == "40.00"
    assert api.get(f"/orders/{order['id']}").json()["error"]["code"] == "order_not_found"
    assert api.get(f"/carts/{cart['id']}", **token).json()["error"]["code"] == "cart_not_found"


def test_completing_without_payment_is_refused_and_changes_nothing(api, shop):
    cart, token = _guest_checkout(api, shop)
    response = api.post(f"/carts/{cart['id']}/complete", **token)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "cart_cannot_complete",
        "message": "Add a payment method",
    }
    assert Order.objects.get(number=cart["number"]).state == Order.CART
    assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == 10


def test_another_guests_cart_is_forbidden(api, shop):
    cart, _token = _guest_checkout(api, shop)
    response = api.get(f"/carts/{cart['id']}", HTTP_X_SPREE_TOKEN="not-the-token")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "access_denied"


def test_seed_order_token_header_is_accepted(api, shop):
    cart, _token = _guest_checkout(api, shop)
    response = api.get(f"/carts/{cart['id']}", HTTP_X_SPREE_ORDER_TOKEN=cart["token"])
    assert response.status_code == 200
    assert response.json()["total"] == str(Decimal("30.00"))
