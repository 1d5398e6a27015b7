"""Completion under real concurrency (threads, PostgreSQL row locks): one cart completes once,
and carts racing for the last units never oversell them."""

import threading

import pytest
from django.core import mail
from django.db import connection

from catalog.models import StockItem
from orders.errors import CartCannotComplete
from orders.models import Order
from orders.services.carts import cart_create, cart_item_add
from orders.services.checkout import cart_complete
from outbox.models import OutboxEmail
from payments.models import Payment
from payments.services import payment_create
from tests.orders.conftest import US_ADDRESS, make_variant

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]

ROUNDS = 3


def _ready_cart(shop, variant, quantity: int = 1) -> Order:
    cart = cart_create(
        user=None,
        data={"email": "racer@example.com", "shipping_address": US_ADDRESS, "use_shipping": True},
        currency="USD",
    )
    cart = cart_item_add(cart=cart, variant_id=variant.public_id, quantity=quantity)
    payment_create(order=cart, payment_method_id=shop["check"].public_id)
    return Order.objects.get(pk=cart.pk)


def _race(carts: list[Order]) -> list[object]:
    """Completes each cart in its own thread, all released at once; returns each outcome."""
    barrier = threading.Barrier(len(carts))
    results: list[object] = [None] * len(carts)

    def run(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results[index] = cart_complete(cart=carts[index])
        except Exception as exc:  # surfaced by the assertions
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(carts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.parametrize("racers", [2, 4])
def test_concurrent_completes_of_one_cart_make_one_order(shop, racers):
    for _ in range(ROUNDS):
        mail.outbox.clear()
        StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=10)
        cart = _ready_cart(shop, shop["variant"], quantity=2)

        results = _race([Order.objects.get(pk=cart.pk) for _ in range(racers)])

        assert [type(r) for r in results] == [Order] * racers, results
        assert {r.pk for r in results} == {cart.pk}
        assert len({r.completed_at for r in results}) == 1
        row = Order.objects.get(pk=cart.pk)
        assert row.state == Order.COMPLETE
        assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == 8
        assert list(Payment.objects.filter(order=row).values_list("state", flat=True)) == [
            Payment.PENDING
        ]
        assert len(mail.outbox) == 1


@pytest.mark.parametrize(("racers", "units"), [(2, 1), (4, 1), (4, 2)])
def test_carts_racing_for_the_last_units_never_oversell(shop, racers, units):
    for round_number in range(ROUNDS):
        scarce = make_variant(name=f"Scarce {racers} {units} {round_number}", on_hand=units)
        carts = [_ready_cart(shop, scarce) for _ in range(racers)]
        mail.outbox.clear()

        results = _race(carts)

        completed = [r for r in results if isinstance(r, Order)]
        refused = [r for r in results if isinstance(r, CartCannotComplete)]
        assert (len(completed), len(refused)) == (units, racers - units), results
        assert StockItem.objects.get(variant=scarce).count_on_hand == 0
        assert (
            Order.objects.filter(pk__in=[c.pk for c in carts], state=Order.COMPLETE).count()
            == units
        )
        assert Order.objects.filter(pk__in=[c.pk for c in carts], state=Order.CART).count() == (
            racers - units
        )
        for error in refused:
            assert error.code == "cart_cannot_complete"
        # A refused completion leaves nothing behind: its confirmation, queued before the
        # stock is taken, was rolled back with it and never sent.
        queued = OutboxEmail.objects.filter(object_id__in=[c.pk for c in carts])
        assert sorted(queued.values_list("object_id", flat=True)) == sorted(r.pk for r in completed)
        assert len(mail.outbox) == units
