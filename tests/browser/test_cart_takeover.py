"""A guest fills a cart, then signs in: the cart is merged into the one the customer already
had (quantities added, capped by stock), and the page says so."""

from catalog.models import StockItem, Variant
from orders.models import Order
from orders.services.carts import CART_MERGED, cart_create, cart_item_add
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_signing_in_merges_the_guest_cart_into_the_customers_cart(page, demo_shop):
    customer = UserFactory(email="ada@example.com")
    mug = Variant.objects.get(sku="DEMO-MUG")
    poster = Variant.objects.get(sku="DEMO-POSTER")
    StockItem.objects.filter(variant=poster).update(count_on_hand=3)
    saved = cart_create(user=customer, data={}, currency="USD")
    cart_item_add(cart=saved, variant_id=mug.public_id, quantity=1)
    cart_item_add(cart=saved, variant_id=poster.public_id, quantity=2)

    page.goto("/products/ceramic-mug/")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.goto("/products/mountain-poster/")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    assert page.url.endswith("/cart/")
    guest = Order.objects.get(user__isnull=True, state=Order.CART)

    page.goto("/account/sign-in/?next=/cart/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    assert page.url.endswith("/cart/")
    messages = page.locator(".messages").inner_text()
    assert f"{CART_MERGED} Mountain Poster: the quantity is 3, all we have in stock." in messages
    assert not Order.objects.filter(pk=guest.pk).exists()
    lines = {
        line.variant.sku: line.quantity
        for line in Order.objects.get(pk=saved.pk).line_items.select_related("variant")
    }
    assert lines == {"DEMO-MUG": 3, "DEMO-POSTER": 3}
    assert page.get_by_label("Quantity of Ceramic Mug").input_value() == "3"
    assert page.get_by_label("Quantity of Mountain Poster").input_value() == "3"
