"""storeapi.sql.insert_numbered_with, as the address step uses it: a fulfillment, its items and
its delivery rates written together (one statement on PostgreSQL), numbered in the INSERT."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import StockLocation
from orders.models import DeliveryRate, Fulfillment, FulfillmentItem
from storeapi.sql import insert_numbered_with
from tests.orders.helpers import add_item, create_cart, order_of


@pytest.fixture
def lines(api, shop):
    cart = create_cart(api)
    add_item(api, cart, shop["variant"], quantity=3)
    order = order_of(cart)
    return order, list(order.line_items.all())


def _fulfillment(order, number="H00000000001"):
    return Fulfillment(
        order=order, number=number, stock_location=StockLocation.objects.first(), cost=Decimal("5")
    )


def _rates(shop):
    return [
        DeliveryRate(delivery_method=shop["ground"], cost=Decimal("5.00"), selected=True),
        DeliveryRate(delivery_method=shop["express"], cost=Decimal("15.00")),
    ]


def test_the_fulfillment_its_items_and_rates_are_written_with_their_keys(lines, shop):
    order, items = lines
    fulfillment = _fulfillment(order)
    children = [FulfillmentItem(line_item=item, quantity=item.quantity) for item in items]
    rates = _rates(shop)

    with CaptureQueriesContext(connection) as context:
        insert_numbered_with(
            fulfillment,
            field="number",
            generate=lambda: "H00000000042",
            children=[("fulfillment", children), ("fulfillment", rates)],
        )

    assert len(context) == (1 if connection.vendor == "postgresql" else 3)
    stored = Fulfillment.objects.get(pk=fulfillment.pk)
    assert (stored.number, stored.order_id, stored.cost) == ("H00000000042", order.pk, Decimal("5"))
    assert [
        (i.pk, i.fulfillment_id, i.line_item_id, i.quantity)
        for i in FulfillmentItem.objects.order_by("pk")
    ] == [(c.pk, fulfillment.pk, c.line_item_id, c.quantity) for c in children]
    assert [
        (r.pk, r.fulfillment_id, r.delivery_method_id, r.cost, r.selected)
        for r in DeliveryRate.objects.order_by("pk")
    ] == [(r.pk, fulfillment.pk, r.delivery_method_id, r.cost, r.selected) for r in rates]
    assert all(r._state.adding is False and r.fulfillment is fulfillment for r in rates)


def test_a_taken_number_is_drawn_again_and_writes_no_child_twice(lines, shop):
    order, _ = lines
    insert_numbered_with(_fulfillment(order), field="number", generate=lambda: "H1", children=[])
    drawn = iter(["H1", "H2"])
    fulfillment = _fulfillment(order)
    rates = _rates(shop)

    insert_numbered_with(
        fulfillment, field="number", generate=lambda: next(drawn), children=[("fulfillment", rates)]
    )

    assert fulfillment.number == "H2"
    assert sorted(Fulfillment.objects.values_list("number", flat=True)) == ["H1", "H2"]
    assert list(DeliveryRate.objects.values_list("fulfillment__number", flat=True)) == ["H2", "H2"]


def test_it_gives_up_when_every_number_is_taken(lines, shop):
    order, _ = lines
    insert_numbered_with(_fulfillment(order), field="number", generate=lambda: "H1", children=[])

    with pytest.raises(RuntimeError, match="could not find a free Fulfillment number"):
        insert_numbered_with(
            _fulfillment(order),
            field="number",
            generate=lambda: "H1",
            children=[("fulfillment", _rates(shop))],
        )

    assert Fulfillment.objects.count() == 1
    assert DeliveryRate.objects.count() == 0
