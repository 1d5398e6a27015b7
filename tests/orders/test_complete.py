"""POST /carts/:id/complete and the payments before it: every refusal changes nothing; success
takes the stock once, freezes the addresses and mails the confirmation after commit."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from catalog.models import Product, StockItem
from customers.models import Address
from orders.models import Fulfillment, Order
from payments.models import Payment, PaymentMethod
from storeapi.ids import encode_id
from tests.factories import AddressFactory
from tests.orders.conftest import US_ADDRESS, make_variant
from tests.orders.helpers import (
    AUTHENTICATION_REQUIRED,
    add_item,
    addressed_cart,
    complete,
    create_cart,
    order_of,
    pay,
    ready_cart,
    snapshot,
    token_of,
    update_cart,
)

DE_ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country_iso": "DE",
}


def _on_hand(variant) -> int:
    return StockItem.objects.get(variant=variant).count_on_hand


def _cannot_complete(message: str) -> dict:
    return {"error": {"code": "cart_cannot_complete", "message": message}}


# --- what is missing ------------------------------------------------------------------------------


def _empty(api, shop):
    return update_cart(
        api, create_cart(api), {"email": "guest@example.com", "shipping_address": US_ADDRESS}
    )


def _without_email(api, shop):
    cart = add_item(api, create_cart(api), shop["variant"], 1)
    cart = update_cart(api, cart, {"shipping_address": US_ADDRESS})
    pay(api, cart, shop["check"])
    return cart


def _without_address(api, shop):
    cart = add_item(api, create_cart(api, {"email": "guest@example.com"}), shop["variant"], 1)
    pay(api, cart, shop["check"])
    return cart


def _without_delivery(api, shop):
    cart = add_item(api, create_cart(api, {"email": "guest@example.com"}), shop["variant"], 1)
    cart = update_cart(api, cart, {"shipping_address": DE_ADDRESS})
    pay(api, cart, shop["check"])
    return cart


def _without_payment(api, shop):
    return addressed_cart(api, shop["variant"])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (_empty, "Add at least one item to your cart"),
        (_without_email, "Email address is required"),
        (_without_address, "Shipping address is required"),
        (_without_delivery, "Select a shipping method for all shipments"),
        (_without_payment, "Add a payment method"),
    ],
    ids=["no items", "no email", "no address", "no delivery", "no payment"],
)
def test_a_cart_missing_a_step_cannot_complete_and_nothing_changes(
    api, shop, build, message, django_capture_on_commit_callbacks
):
    cart = build(api, shop)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = complete(api, cart)

    assert response.status_code == 422
    assert response.json() == _cannot_complete(message)
    assert snapshot() == before
    assert order_of(cart).state == Order.CART
    assert _on_hand(shop["variant"]) == 10
    assert callbacks == []
    assert mail.outbox == []


def test_a_product_unpublished_before_completion_stops_it(api, shop):
    cart = ready_cart(api, shop)
    Product.objects.filter(pk=shop["variant"].product_id).update(status=Product.DRAFT)
    before = snapshot()

    response = complete(api, cart)

    assert response.status_code == 422
    assert response.json() == _cannot_complete("Mug is no longer available")
    assert snapshot() == before


def test_stock_sold_elsewhere_before_completion_stops_it(api, shop):
    cart = ready_cart(api, shop, quantity=3)
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=2)
    before = snapshot()

    response = complete(api, cart)

    assert response.status_code == 422
    assert response.json() == _cannot_complete("Mug is out of stock")
    assert snapshot() == before


# --- payments -------------------------------------------------------------------------------------


def test_a_check_payment_is_created_for_the_amount_due(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)

    response = api.post(
        f"/carts/{cart['id']}/payments",
        {"payment_method_id": shop["check"].public_id, "metadata": {"po": "42"}},
        **token_of(cart),
    )

    assert response.status_code == 201
    payment = Payment.objects.get(order=order_of(cart))
    body = response.json()
    assert body == {
        **body,
        "id": payment.public_id,
        "payment_method_id": shop["check"].public_id,
        "number": payment.number,
        "amount": "30.00",
        "display_amount": "$30.00",
        "status": "checkout",
        "response_code": None,
        "source_type": None,
        "source_id": None,
    }
    assert re.fullmatch(r"P[0-9A-Z]{7}", body["number"])
    assert body["payment_method"]["name"] == "Check"
    assert payment.metadata == {"po": "42"}


def test_a_new_payment_replaces_the_unprocessed_one(api, shop):
    cart = addressed_cart(api, shop["variant"])
    first = pay(api, cart, shop["check"])

    second = pay(api, cart, shop["check"])

    body = api.get(f"/carts/{cart['id']}", **token_of(cart)).json()
    assert [p["id"] for p in body["payments"]] == [second["id"]]
    assert Payment.objects.get(number=first["number"]).state == Payment.INVALID


def test_an_unknown_payment_method_is_not_found_and_nothing_changes(api, shop):
    cart = addressed_cart(api, shop["variant"])
    before = snapshot()

    for method_id in (encode_id("pm", 999_999), None, "cart_abc", 1):
        response = api.post(
            f"/carts/{cart['id']}/payments", {"payment_method_id": method_id}, **token_of(cart)
        )

        assert response.status_code == 404
        assert response.json()["error"] == {
            "code": "record_not_found",
            "message": "Payment method not found",
        }
    assert snapshot() == before


def test_an_inactive_payment_method_is_unavailable_and_nothing_changes(api, shop):
    retired = PaymentMethod.objects.create(name="Old check", is_active=False)
    cart = addressed_cart(api, shop["variant"])
    before = snapshot()

    response = api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": retired.public_id}, **token_of(cart)
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_method_unavailable"
    assert snapshot() == before


def test_a_method_that_needs_a_session_is_refused_and_nothing_changes(api, shop):
    wallet = PaymentMethod.objects.create(name="Wallet", session_required=True)
    cart = addressed_cart(api, shop["variant"])
    before = snapshot()

    response = api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": wallet.public_id}, **token_of(cart)
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "payment_session_required"
    assert snapshot() == before


# --- success --------------------------------------------------------------------------------------


def test_completing_makes_the_order_takes_stock_and_mails_after_commit(
    api, shop, django_capture_on_commit_callbacks
):
    cart = ready_cart(api, shop, quantity=3)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = complete(api, cart)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    assert response.status_code == 200
    order = response.json()
    row = order_of(cart)
    assert order["id"] == row.order_id == encode_id("or", row.pk)
    assert order["number"] == cart["number"]
    assert re.fullmatch(r"R\d{9}", order["number"])
    assert "token" not in order
    assert row.state == Order.COMPLETE
    assert order["completed_at"] == row.completed_at.isoformat()
    assert (order["payment_status"], order["fulfillment_status"]) == ("balance_due", "pending")
    assert (row.payment_state, row.shipment_state) == ("balance_due", "pending")
    assert [(p["status"], p["amount"]) for p in order["payments"]] == [("pending", "42.50")]
    assert (order["total"], order["amount_due"]) == ("42.50", "42.50")
    assert [f.status for f in Fulfillment.objects.filter(order=row)] == [Fulfillment.PENDING]
    assert _on_hand(shop["variant"]) == 7
    assert row.bill_address_id == row.ship_address_id

    [message] = mail.outbox
    assert message.to == ["guest@example.com"]
    assert message.subject == f"Your Demo Shop order {order['number']}"
    assert f"/orders/{order['id']}/?token={cart['token']}" in message.body
    assert "3 x Mug" in message.body
    assert "Total: 42.50 USD" in message.body


def test_the_confirmation_is_plain_text_not_html_escaped(
    api, shop, django_capture_on_commit_callbacks
):
    salt = make_variant(name="Salt & Pepper <Mill>", price="9.00")
    cart = addressed_cart(api, salt)
    pay(api, cart, shop["check"])

    with django_capture_on_commit_callbacks(execute=True):
        assert complete(api, cart).status_code == 200

    assert "1 x Salt & Pepper <Mill>" in mail.outbox[0].body


def test_a_variant_that_tracks_no_inventory_is_sold_without_reading_or_locking_stock(api, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Variant

    Variant.objects.filter(pk=shop["variant"].pk).update(track_inventory=False)
    cart = ready_cart(api, shop, quantity=12)  # more than the 10 on hand

    with CaptureQueriesContext(connection) as queries:
        assert complete(api, cart).status_code == 200

    assert order_of(cart).state == Order.COMPLETE
    assert _on_hand(shop["variant"]) == 10
    stock_reads = [q["sql"] for q in queries if 'FROM "catalog_stockitem" s INNER JOIN' in q["sql"]]
    # The cart's stock shown in the answer is read; none is read again to be taken.
    assert len(stock_reads) == 1 and "FOR UPDATE" not in stock_reads[0]


def test_completing_twice_returns_the_same_order_and_takes_stock_once(
    api, shop, django_capture_on_commit_callbacks
):
    cart = ready_cart(api, shop, quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = complete(api, cart).json()
    after_first = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = complete(api, cart)

    assert response.status_code == 200
    assert response.json() == first
    assert snapshot() == after_first
    assert _on_hand(shop["variant"]) == 8
    assert callbacks == []
    assert len(mail.outbox) == 1


def test_the_owner_completes_with_the_jwt_alone(customer_api, customer, shop):
    cart = ready_cart(customer_api, shop)

    response = customer_api.post(f"/carts/{cart['id']}/complete")

    assert response.status_code == 200
    row = order_of(cart)
    assert (row.user_id, row.email, row.state) == (customer.pk, "guest@example.com", "complete")


def test_completion_marks_both_addresses_in_use(api, shop):
    cart = addressed_cart(api, shop["variant"])
    billing = {**US_ADDRESS, "address1": "1 Main Street", "city": "Albany", "postal_code": "12207"}
    cart = update_cart(api, cart, {"billing_address": billing})
    pay(api, cart, shop["check"])
    row = order_of(cart)
    assert row.bill_address_id != row.ship_address_id

    assert complete(api, cart).status_code == 200

    used = Address.objects.filter(pk__in=[row.bill_address_id, row.ship_address_id])
    assert [a.in_use_since is not None for a in used] == [True, True]


def test_without_a_billing_address_the_order_is_billed_to_the_shipping_address(api, shop):
    cart = add_item(api, create_cart(api, {"email": "guest@example.com"}), shop["variant"], 1)
    cart = update_cart(api, cart, {"shipping_address": US_ADDRESS})
    assert cart["billing_address"] is None
    pay(api, cart, shop["check"])

    order = complete(api, cart).json()

    assert order["billing_address"] == order["shipping_address"]
    row = order_of(cart)
    assert row.bill_address_id == row.ship_address_id
    assert Address.objects.get(pk=row.ship_address_id).in_use_since is not None


def test_an_address_used_by_an_order_is_replaced_not_edited(customer_api, customer, shop):
    home = AddressFactory(user=customer, is_default_billing=True, is_default_shipping=True)
    cart = add_item(customer_api, create_cart(customer_api), shop["variant"], 1)
    customer_api.patch(
        f"/carts/{cart['id']}",
        {"shipping_address_id": home.public_id, "billing_address_id": home.public_id},
    )
    pay(customer_api, cart, shop["check"])
    assert customer_api.post(f"/carts/{cart['id']}/complete").status_code == 200

    response = customer_api.patch(f"/customers/me/addresses/{home.public_id}", {"city": "Buffalo"})

    assert response.status_code == 200
    assert response.json()["id"] != home.public_id
    home.refresh_from_db()
    assert home.city == "New York"
    assert home.deleted_at is not None
    order = customer_api.get(f"/orders/{encode_id('or', order_of(cart).pk)}").json()
    assert order["shipping_address"]["city"] == "New York"


def test_a_backorderable_variant_completes_past_its_stock(api, shop):
    preorder = make_variant(name="Preorder", on_hand=1, backorderable=True)
    cart = addressed_cart(api, preorder, quantity=3)
    pay(api, cart, shop["check"])

    response = complete(api, cart)

    assert response.status_code == 200
    assert _on_hand(preorder) == -2


def test_a_variant_backorderable_as_a_whole_takes_its_stock_below_zero(api, shop):
    """Backordering set on the variant, not on its stock item: the item becomes backorderable
    as it goes below zero (its check constraint refuses negative stock otherwise)."""
    preorder = make_variant(name="Preorder", on_hand=1)
    preorder.backorderable = True
    preorder.save(update_fields=["backorderable"])
    cart = addressed_cart(api, preorder, quantity=3)
    pay(api, cart, shop["check"])

    response = complete(api, cart)

    assert response.status_code == 200
    item = StockItem.objects.get(variant=preorder)
    assert (item.count_on_hand, item.backorderable) == (-2, True)


def test_a_paid_order_is_ready_to_ship(api, shop):
    """With nothing left to pay (a free item, free delivery) the order is paid at once."""
    freebie = make_variant(name="Sticker", price="0.00")
    shop["ground"].amount = Decimal("0.00")
    shop["ground"].save()
    cart = addressed_cart(api, freebie)

    order = complete(api, cart).json()

    assert (order["total"], order["payment_status"], order["fulfillment_status"]) == (
        "0.00",
        "paid",
        "ready",
    )
    assert [f.status for f in Fulfillment.objects.filter(order=order_of(cart))] == ["ready"]


# --- guest checkout switched off ------------------------------------------------------------------


def test_a_guest_cannot_complete_when_guest_checkout_is_off(api, shop, settings):
    cart = ready_cart(api, shop)
    settings.GUEST_CHECKOUT_ENABLED = False
    before = snapshot()

    response = complete(api, cart)

    assert response.status_code == 401
    assert response.json() == AUTHENTICATION_REQUIRED
    assert snapshot() == before


def test_a_customer_still_completes_when_guest_checkout_is_off(customer_api, shop, settings):
    cart = ready_cart(customer_api, shop)
    settings.GUEST_CHECKOUT_ENABLED = False

    response = customer_api.post(f"/carts/{cart['id']}/complete")

    assert response.status_code == 200
