"""Staff screens of orders: the order list with search and filters, the order page with its
items, fulfillments and payments, and the delivery, zone, tax and payment settings."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from orders.models import Fulfillment, Order, TaxRate, Zone
from tests.orders.helpers import place_order


@pytest.fixture
def staff(db):
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def orders(shop, customer):
    """Two completed orders (a guest's and a customer's) and one open cart."""
    guest = place_order(shop, email="walk-in@example.com")
    own = place_order(shop, user=customer, email="ada@example.com")
    cart = Order.objects.create(number="R000000001", token="t" * 35, currency="USD")
    return {"guest": guest, "own": own, "cart": cart}


def _numbers(response) -> list[str]:
    assert response.status_code == 200
    return sorted(o.number for o in response.context["cl"].result_list)


def test_the_order_list_shows_every_order(staff, orders):
    response = staff.get("/admin/orders/order/")

    assert _numbers(response) == sorted(o.number for o in orders.values())


@pytest.mark.parametrize(
    ("query", "key"),
    [("walk-in@example", "guest"), ("ada@example.com", "own"), ("R000000001", "cart")],
)
def test_orders_are_searched_by_email_and_number(staff, orders, query, key):
    response = staff.get("/admin/orders/order/", {"q": query})

    assert _numbers(response) == [orders[key].number]


def test_orders_are_searched_by_their_generated_number(staff, orders):
    response = staff.get("/admin/orders/order/", {"q": orders["own"].number})

    assert _numbers(response) == [orders["own"].number]


def test_orders_are_filtered_by_state(staff, orders):
    complete = staff.get("/admin/orders/order/", {"state": "complete"})
    carts = staff.get("/admin/orders/order/", {"state": "cart"})

    assert _numbers(complete) == sorted([orders["guest"].number, orders["own"].number])
    assert _numbers(carts) == ["R000000001"]


def test_the_order_page_shows_items_fulfillments_and_payments(staff, orders):
    order = orders["own"]
    fulfillment = Fulfillment.objects.get(order=order)
    payment = order.payments.get()

    response = staff.get(f"/admin/orders/order/{order.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert order.number in content
    assert fulfillment.number in content
    assert payment.number in content
    assert "MUG-1" in content  # the line item's variant
    inlines = [formset.opts.model.__name__ for formset in response.context["inline_admin_formsets"]]
    assert inlines == ["LineItem", "Fulfillment", "Payment"]


def test_staff_cannot_add_an_order_by_hand(staff, orders):
    assert staff.get("/admin/orders/order/add/").status_code == 403


def test_the_fulfillment_page_shows_its_items_and_rates(staff, orders):
    fulfillment = Fulfillment.objects.get(order=orders["guest"])

    response = staff.get(f"/admin/orders/fulfillment/{fulfillment.pk}/change/")

    assert response.status_code == 200
    assert "Ground" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/orders/fulfillment/",
        "/admin/orders/deliverymethod/",
        "/admin/orders/deliverymethod/add/",
        "/admin/orders/zone/",
        "/admin/orders/zone/add/",
        "/admin/orders/taxrate/",
        "/admin/orders/taxrate/add/",
        "/admin/payments/paymentmethod/",
        "/admin/payments/paymentmethod/add/",
        "/admin/payments/payment/",
    ],
)
def test_settings_pages_open(staff, orders, path):
    assert staff.get(path).status_code == 200


def test_settings_change_pages_open(staff, shop):
    zone = Zone.objects.get(name="North America")
    tax = TaxRate.objects.create(name="NY", zone=zone, rate=Decimal("0.08875"))

    for path in (
        f"/admin/orders/deliverymethod/{shop['ground'].pk}/change/",
        f"/admin/orders/zone/{zone.pk}/change/",
        f"/admin/orders/taxrate/{tax.pk}/change/",
        f"/admin/payments/paymentmethod/{shop['check'].pk}/change/",
    ):
        assert staff.get(path).status_code == 200, path


def test_the_order_screens_are_for_staff_only(client, orders):
    response = client.get("/admin/orders/order/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
