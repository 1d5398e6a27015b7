"""Requests and database snapshots shared by the carts and orders tests."""

from __future__ import annotations

from typing import Any

from catalog.models import StockItem
from customers.models import Address
from orders.models import DeliveryRate, Fulfillment, LineItem, Order
from outbox.models import OutboxEmail
from payments.models import Payment
from storeapi.ids import decode_id
from tests.orders.conftest import US_ADDRESS

CART_NOT_FOUND = {"error": {"code": "cart_not_found", "message": "Cart not found"}}
ORDER_NOT_FOUND = {"error": {"code": "order_not_found", "message": "Order not found"}}
ACCESS_DENIED = {
    "error": {"code": "access_denied", "message": "You are not authorized to access this page."}
}
AUTHENTICATION_REQUIRED = {
    "error": {"code": "authentication_required", "message": "Authentication required"}
}


def token_of(cart: dict[str, Any]) -> dict[str, str]:
    """The guest credential header of a cart, as the SDK sends it."""
    return {"HTTP_X_SPREE_TOKEN": cart["token"]}


def order_of(cart: dict[str, Any]) -> Order:
    return Order.objects.get(pk=decode_id(cart["id"], ("cart", "or")))


def create_cart(api, body: dict | None = None, **headers) -> dict[str, Any]:
    response = api.post("/carts", body, **headers)
    assert response.status_code == 201, response.json()
    return response.json()


def add_item(api, cart: dict[str, Any], variant, quantity: int = 1) -> dict[str, Any]:
    response = api.post(
        f"/carts/{cart['id']}/items",
        {"variant_id": variant.public_id, "quantity": quantity},
        **token_of(cart),
    )
    assert response.status_code == 201, response.json()
    return response.json()


def update_cart(api, cart: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    response = api.patch(f"/carts/{cart['id']}", body, **token_of(cart))
    assert response.status_code == 200, response.json()
    return response.json()


def addressed_cart(
    api, variant, *, quantity: int = 1, email: str = "guest@example.com", **headers
) -> dict[str, Any]:
    """A guest cart with items, email and a US shipping (and billing) address: at `payment`."""
    cart = create_cart(api, **headers)
    add_item(api, cart, variant, quantity)
    return update_cart(
        api, cart, {"email": email, "shipping_address": US_ADDRESS, "use_shipping": True}
    )


def pay(api, cart: dict[str, Any], method) -> dict[str, Any]:
    response = api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": method.public_id}, **token_of(cart)
    )
    assert response.status_code == 201, response.json()
    return response.json()


def ready_cart(api, shop, *, quantity: int = 1, **kwargs) -> dict[str, Any]:
    """A cart that can be completed: items, address, the cheapest rate and a Check payment."""
    cart = addressed_cart(api, shop["variant"], quantity=quantity, **kwargs)
    pay(api, cart, shop["check"])
    return cart


def complete(api, cart: dict[str, Any], **headers):
    return api.post(f"/carts/{cart['id']}/complete", **(headers or token_of(cart)))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row a cart route may write, to prove a refused call changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Order,
            LineItem,
            Fulfillment,
            DeliveryRate,
            Payment,
            StockItem,
            Address,
            OutboxEmail,
        )
    }


def place_order(shop, *, user=None, quantity: int = 1, email: str = "guest@example.com") -> Order:
    """A completed order made through the services (faster than the API for many orders)."""
    from orders.services.carts import cart_create, cart_item_add
    from orders.services.checkout import cart_complete
    from payments.services import payment_create

    cart = cart_create(
        user=user,
        data={"email": email, "shipping_address": US_ADDRESS, "use_shipping": True},
        currency="USD",
    )
    cart = cart_item_add(cart=cart, variant_id=shop["variant"].public_id, quantity=quantity)
    payment_create(order=cart, payment_method_id=shop["check"].public_id)
    return cart_complete(cart=cart)
