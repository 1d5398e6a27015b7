"""The order confirmation goes through the outbox: its row is written in the completion's
transaction (no order, no row), it is sent once after commit (by the process, or by the worker
in production), and its text is the one the shopper always got."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from orders.emails import ORDER_CONFIRMATION
from orders.models import Order
from orders.services.checkout import cart_complete
from outbox.models import OutboxEmail
from tests.orders.helpers import complete, order_of, ready_cart


def _expected_body(order: Order) -> str:
    return (
        f"Thank you for your order {order.number}!\n\n"
        "3 x Mug — 12.50 USD\n\n"
        "Delivery: 5.00 USD\n"
        "Tax: 0.00 USD\n"
        "Total: 42.50 USD\n\n"
        f"See your order at any time: http://127.0.0.1:8000/orders/{order.order_id}/"
        f"?token={order.token}\n"
        "Keep this link: it is the key to your order if you checked out as a guest.\n\n"
        "Demo Shop\n"
    )


def test_the_completion_queues_the_confirmation_in_its_transaction(
    api, shop, django_capture_on_commit_callbacks
):
    cart = ready_cart(api, shop, quantity=3)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert complete(api, cart).status_code == 200

    order = order_of(cart)
    row = OutboxEmail.objects.get()
    assert (row.kind, row.object_id, row.recipient) == (ORDER_CONFIRMATION, order.pk, order.email)
    assert (row.status, row.attempts) == (OutboxEmail.PENDING, 0)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["guest@example.com"]
    assert message.from_email == "Shop <no-reply@shop.example>"
    assert message.subject == f"Your Demo Shop order {order.number}"
    assert message.body == _expected_body(order)
    assert OutboxEmail.objects.get().status == OutboxEmail.SENT


def test_a_completion_rolled_back_leaves_no_email(api, shop):
    cart = ready_cart(api, shop)

    with pytest.raises(RuntimeError), transaction.atomic():
        cart_complete(cart=order_of(cart))
        assert OutboxEmail.objects.count() == 1
        raise RuntimeError("something after the completion failed")

    assert order_of(cart).state == Order.CART
    assert not OutboxEmail.objects.exists()


def test_with_a_worker_the_request_only_queues_and_the_worker_sends_the_same_email(
    api, shop, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_OUTBOX_WORKER = True
    cart = ready_cart(api, shop, quantity=3)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert complete(api, cart).status_code == 200

    assert callbacks == []
    assert mail.outbox == []
    assert OutboxEmail.objects.get().status == OutboxEmail.PENDING

    call_command("send_outbox", "--once", stdout=StringIO())

    order = order_of(cart)
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["guest@example.com"],
        f"Your Demo Shop order {order.number}",
    )
    assert message.body == _expected_body(order)
    assert OutboxEmail.objects.get().status == OutboxEmail.SENT


def test_an_open_cart_gets_no_confirmation(api, shop, settings):
    """A row naming an order that is not complete (never written by the services) fails
    instead of mailing a cart."""
    settings.EMAIL_OUTBOX_WORKER = True
    cart = ready_cart(api, shop)
    OutboxEmail.objects.create(
        kind=ORDER_CONFIRMATION, object_id=order_of(cart).pk, recipient="guest@example.com"
    )

    call_command("send_outbox", "--once", stdout=StringIO())

    assert mail.outbox == []
    row = OutboxEmail.objects.get()
    assert (row.status, row.last_error) == (
        OutboxEmail.FAILED,
        f"{ORDER_CONFIRMATION} {order_of(cart).pk} no longer exists",
    )
