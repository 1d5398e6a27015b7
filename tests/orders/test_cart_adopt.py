"""cart_adopt: at sign-in the browser's guest cart is taken over, merged into the customer's
most recent open cart with quantities capped by stock, and the page gets a message."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Product, StockItem
from orders.models import LineItem, Order
from orders.services.carts import (
    CART_ADOPTED,
    CART_MERGED,
    cart_adopt,
    cart_create,
    cart_item_add,
)
from payments.models import Payment
from tests.factories import AddressFactory
from tests.orders.conftest import make_variant


def _guest_cart(*items) -> Order:
    cart = cart_create(user=None, data={}, currency="USD")
    for variant, quantity in items:
        cart_item_add(cart=cart, variant_id=variant.public_id, quantity=quantity)
    return Order.objects.get(pk=cart.pk)


def _customer_cart(user, *items) -> Order:
    cart = cart_create(user=user, data={}, currency="USD")
    for variant, quantity in items:
        cart_item_add(cart=cart, variant_id=variant.public_id, quantity=quantity)
    return Order.objects.get(pk=cart.pk)


def _lines(cart: Order) -> dict[str, int]:
    return {
        line.variant.product.name: line.quantity
        for line in LineItem.objects.filter(order=cart).select_related("variant__product")
    }


def _rows() -> dict[str, list[dict]]:
    return {
        "orders": list(Order.objects.order_by("pk").values()),
        "lines": list(LineItem.objects.order_by("pk").values()),
    }


# --- nothing to take over ------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_no_or_unknown_token_takes_nothing_over(shop, customer, token):
    _guest_cart((shop["variant"], 1))
    before = _rows()

    assert cart_adopt(token=token, user=customer) is None

    assert _rows() == before


def test_another_customers_cart_is_not_taken_over(shop, customer, other_customer):
    theirs = _customer_cart(other_customer, (shop["variant"], 2))
    before = _rows()

    assert cart_adopt(token=theirs.token, user=customer) is None

    assert _rows() == before
    assert Order.objects.get(pk=theirs.pk).user == other_customer


def test_a_completed_order_is_not_taken_over(shop, customer):
    guest = _guest_cart((shop["variant"], 1))
    Order.objects.filter(pk=guest.pk).update(state=Order.COMPLETE, completed_at=timezone.now())
    before = _rows()

    assert cart_adopt(token=guest.token, user=customer) is None

    assert _rows() == before


def test_an_empty_guest_cart_is_left_alone(shop, customer):
    guest = _guest_cart()
    before = _rows()

    assert cart_adopt(token=guest.token, user=customer) is None

    assert _rows() == before


# --- the guest cart becomes the customer's --------------------------------------------------


def test_without_an_open_cart_the_guest_cart_becomes_the_customers(shop, customer):
    home = AddressFactory(user=customer, is_default_billing=True, is_default_shipping=True)
    guest = _guest_cart((shop["variant"], 2))

    assert cart_adopt(token=guest.token, user=customer) == CART_ADOPTED

    cart = Order.objects.get(pk=guest.pk)
    assert (cart.user, cart.email, cart.state) == (customer, "ada@example.com", Order.CART)
    assert (cart.ship_address, cart.bill_address) == (home, home)
    assert _lines(cart) == {"Mug": 2}
    assert Order.objects.count() == 1


def test_a_completed_order_of_the_customer_is_not_merged_into(shop, customer):
    done = _customer_cart(customer, (shop["variant"], 1))
    Order.objects.filter(pk=done.pk).update(state=Order.COMPLETE, completed_at=timezone.now())
    guest = _guest_cart((shop["variant"], 2))

    assert cart_adopt(token=guest.token, user=customer) == CART_ADOPTED

    assert Order.objects.get(pk=guest.pk).user == customer
    assert _lines(Order.objects.get(pk=done.pk)) == {"Mug": 1}


def test_a_guest_cart_with_a_taken_card_payment_is_kept_whole(shop, customer):
    mine = _customer_cart(customer, (shop["variant"], 1))
    guest = _guest_cart((shop["variant"], 2))
    Payment.objects.create(
        order=guest,
        payment_method=shop["check"],
        number="PTAKEN01",
        amount=Decimal("25.00"),
        state=Payment.COMPLETED,
    )

    assert cart_adopt(token=guest.token, user=customer) == CART_ADOPTED

    assert Order.objects.get(pk=guest.pk).user == customer
    assert _lines(Order.objects.get(pk=guest.pk)) == {"Mug": 2}
    assert _lines(Order.objects.get(pk=mine.pk)) == {"Mug": 1}
    assert Payment.objects.get(number="PTAKEN01").order_id == guest.pk


# --- merging into the customer's open cart --------------------------------------------------


def test_lines_are_merged_into_the_customers_open_cart_and_the_guest_cart_deleted(shop, customer):
    poster = make_variant(name="Poster", price="18.00", on_hand=5)
    mine = _customer_cart(customer, (shop["variant"], 1))
    guest = _guest_cart((shop["variant"], 2), (poster, 1))

    assert cart_adopt(token=guest.token, user=customer) == CART_MERGED

    assert not Order.objects.filter(pk=guest.pk).exists()
    cart = Order.objects.get(pk=mine.pk)
    assert _lines(cart) == {"Mug": 3, "Poster": 1}
    assert (cart.item_count, cart.item_total) == (4, Decimal("55.50"))
    assert cart.total == Decimal("55.50")


def test_merged_quantities_are_capped_by_stock_and_said_so(shop, customer):
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=4)
    mine = _customer_cart(customer, (shop["variant"], 3))
    guest = _guest_cart((shop["variant"], 3))

    message = cart_adopt(token=guest.token, user=customer)

    assert message == f"{CART_MERGED} Mug: the quantity is 4, all we have in stock."
    assert _lines(Order.objects.get(pk=mine.pk)) == {"Mug": 4}
    assert Order.objects.get(pk=mine.pk).item_count == 4


def test_untracked_variants_are_merged_in_full(shop, customer):
    shop["variant"].track_inventory = False
    shop["variant"].save()
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=0)
    mine = _customer_cart(customer, (shop["variant"], 30))
    guest = _guest_cart((shop["variant"], 20))

    assert cart_adopt(token=guest.token, user=customer) == CART_MERGED

    assert _lines(Order.objects.get(pk=mine.pk)) == {"Mug": 50}


def test_sold_out_and_unpublished_lines_are_left_out_and_said_so(shop, customer):
    poster = make_variant(name="Poster", price="18.00", on_hand=5)
    tote = make_variant(name="Tote", price="15.00", on_hand=5)
    mine = _customer_cart(customer, (shop["variant"], 1))
    guest = _guest_cart((poster, 2), (tote, 1), (shop["variant"], 1))
    StockItem.objects.filter(variant=poster).update(count_on_hand=0)
    Product.objects.filter(pk=tote.product_id).update(status=Product.ARCHIVED)

    message = cart_adopt(token=guest.token, user=customer)

    assert message == (
        f"{CART_MERGED} Poster is sold out and was not added. "
        "Tote is no longer available and was not added."
    )
    assert _lines(Order.objects.get(pk=mine.pk)) == {"Mug": 2}
    assert not Order.objects.filter(pk=guest.pk).exists()


def test_the_most_recently_updated_open_cart_is_merged_into(shop, customer):
    older = _customer_cart(customer, (shop["variant"], 1))
    newer = _customer_cart(customer)
    Order.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(days=2))
    Order.objects.filter(pk=newer.pk).update(updated_at=timezone.now() - timedelta(days=1))
    guest = _guest_cart((shop["variant"], 2))

    assert cart_adopt(token=guest.token, user=customer) == CART_MERGED

    assert _lines(Order.objects.get(pk=newer.pk)) == {"Mug": 2}
    assert _lines(Order.objects.get(pk=older.pk)) == {"Mug": 1}


def test_adopting_twice_merges_once(shop, customer):
    mine = _customer_cart(customer, (shop["variant"], 1))
    guest = _guest_cart((shop["variant"], 2))

    assert cart_adopt(token=guest.token, user=customer) == CART_MERGED
    assert cart_adopt(token=guest.token, user=customer) is None

    assert _lines(Order.objects.get(pk=mine.pk)) == {"Mug": 3}


# --- two sign-ins of one browser at once (PostgreSQL row locks) -----------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)")
def test_two_concurrent_sign_ins_merge_the_guest_cart_once(shop, customer):
    mine = _customer_cart(customer, (shop["variant"], 1))
    guest = _guest_cart((shop["variant"], 2))
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def sign_in(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results[index] = cart_adopt(token=guest.token, user=customer)
        except Exception as exc:  # reported through the assertion below
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results, key=str) == sorted([CART_MERGED, None], key=str)
    assert _lines(Order.objects.get(pk=mine.pk)) == {"Mug": 3}
    assert not Order.objects.filter(pk=guest.pk).exists()
