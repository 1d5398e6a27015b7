"""A guest buys in a real browser: product page → cart → address → delivery → Check payment →
confirmation, then opens the order from the link in the confirmation email."""

import re
from decimal import Decimal

from django.core import mail

from catalog.models import StockItem
from orders.models import Order


def test_guest_checkout_from_product_to_the_emailed_order_page(page, demo_shop, context):
    page.goto("/")
    page.get_by_role("link", name="Classic T-Shirt").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Classic T-Shirt"
    assert "$25.00" in page.locator(".product-price").inner_text()
    assert "$30.00" in page.locator(".product-price").inner_text()  # compare-at, struck out

    page.get_by_label("Size: M").check()
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()

    assert page.url.endswith("/cart/")
    assert "Added 2 items to your cart." in page.locator(".messages").inner_text()
    page.get_by_label("Quantity of Classic T-Shirt").fill("3")
    page.get_by_role("button", name="Update Classic T-Shirt").click()
    assert "quantity updated" in page.locator(".messages").inner_text()
    assert "$75.00" in page.locator(".cart-lines").inner_text()
    page.get_by_role("link", name="Check out").click()

    assert page.url.endswith("/cart/checkout/address/")
    page.get_by_label("Email").fill("guest@example.com")
    shipping = page.get_by_role("group", name="Shipping address")
    shipping.get_by_label("First name").fill("Ada")
    shipping.get_by_label("Last name").fill("Lovelace")
    shipping.get_by_label("Street address").fill("350 Fifth Avenue")
    shipping.get_by_label("City").fill("New York")
    shipping.get_by_label("Country").select_option("US")
    shipping.get_by_label("State / province").select_option("NY")
    shipping.get_by_label("Postal code").fill("10118")
    page.get_by_role("button", name="Continue to delivery").click()

    assert page.url.endswith("/cart/checkout/delivery/")
    page.get_by_label(re.compile("Express")).check()
    page.get_by_role("button", name="Continue to payment").click()

    assert page.url.endswith("/cart/checkout/payment/")
    due = page.get_by_role("heading", level=3, name=re.compile("Left to pay"))
    assert due.inner_text() == "Left to pay: $90.00"
    page.get_by_role("radio", name="Check").check()
    page.get_by_role("button", name="Continue to review").click()

    assert page.url.endswith("/cart/checkout/review/")
    review = page.locator(".review").inner_text()
    assert "350 Fifth Avenue" in review and "Express" in review and "Check" in review
    page.get_by_role("button", name="Place order").click()

    assert re.search(r"/orders/or_[A-Za-z0-9]+/confirmation/$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your order"
    order = Order.objects.get(email="guest@example.com")
    assert order.state == Order.COMPLETE and order.user is None
    assert (order.item_total, order.delivery_total, order.total) == (
        Decimal("75.00"),
        Decimal("15.00"),
        Decimal("90.00"),
    )
    assert order.number in page.locator("main").inner_text()
    medium = StockItem.objects.get(variant__sku="DEMO-TSHIRT-M")
    assert medium.count_on_hand == 17

    # The confirmation email's link opens the order, even in a browser without the cart cookie.
    message = mail.outbox[-1]
    link = re.search(r"(http\S+/orders/\S+)", message.body).group(1)
    assert f"/orders/{order.order_id}/?token={order.token}" in link
    context.clear_cookies()
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == f"Order {order.number}"
    assert "$90.00" in page.locator("main").inner_text()
    assert page.goto(link.replace(order.token, "wrong-token")).status == 404
    page.goto(link)  # the screenshot shows the order page
