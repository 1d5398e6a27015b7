"""Cart, checkout and order pages: every page renders; bad input is refused with a message and
changes nothing; an order is seen by its owner or with its emailed token, anything else is 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.http import HttpResponse

from catalog.models import StockItem
from customers.models import Address
from orders.middleware import CART_COOKIE, cart_cookie_set
from orders.models import DeliveryRate, Fulfillment, LineItem, Order
from orders.services.carts import cart_create, cart_item_add
from payments.models import CreditCard, Payment, PaymentMethod, PaymentSession
from payments.services import payment_create
from payments.services.balances import gift_card_create, store_credit_grant
from tests.factories import AddressFactory
from tests.orders.conftest import US_ADDRESS

SHIP = {f"ship-{key}": value for key, value in US_ADDRESS.items()}


def snapshot() -> dict[str, list[dict]]:
    """Every row a cart or checkout page may write, to prove a refused form changed nothing."""
    models = (Order, LineItem, Fulfillment, DeliveryRate, Payment, PaymentSession, Address)
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (*models, StockItem)
    }


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def use_cart(client, cart: Order) -> None:
    """This browser holds the guest cart (its signed cookie, as the product page sets it)."""
    response = HttpResponse()
    cart_cookie_set(response, cart.token)
    client.cookies[CART_COOKIE] = response.cookies[CART_COOKIE].value


def guest_cart(shop, *, quantity: int = 1, **data) -> Order:
    items = [{"variant_id": shop["variant"].public_id, "quantity": quantity}]
    cart = cart_create(user=None, data={"items": items, **data}, currency="USD")
    return Order.objects.get(pk=cart.pk)


def addressed(shop, **kwargs) -> Order:
    return guest_cart(
        shop, email="guest@example.com", shipping_address=US_ADDRESS, use_shipping=True, **kwargs
    )


def ready(shop, **kwargs) -> Order:
    cart = addressed(shop, **kwargs)
    payment_create(order=cart, payment_method_id=shop["check"].public_id)
    return Order.objects.get(pk=cart.pk)


@pytest.fixture
def bogus(db):
    return PaymentMethod.objects.create(
        name="Credit card", provider=PaymentMethod.BOGUS, session_required=True, position=1
    )


# --- cart page -------------------------------------------------------------------------------


def test_an_empty_cart_page_renders(client, db):
    response = client.get("/cart/")

    assert response.status_code == 200
    assert "Your cart is empty." in response.content.decode()


def test_the_cart_page_lists_the_lines_and_totals(client, shop):
    use_cart(client, guest_cart(shop, quantity=2))

    response = client.get("/cart/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mug" in html and "$12.50" in html and "$25.00" in html
    assert [item.quantity for item, _form in response.context["lines"]] == [2]


def test_the_cart_page_warns_about_items_swept_out(client, shop):
    cart = guest_cart(shop, quantity=3)
    use_cart(client, cart)
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=0)

    response = client.get("/cart/")

    assert _messages(response) == ["Mug was removed because it was sold out."]
    assert not LineItem.objects.filter(order=cart).exists()
    assert "Your cart is empty." in response.content.decode()


def test_a_customers_cart_is_not_shown_to_a_signed_out_browser_holding_its_cookie(
    client, shop, customer
):
    cart = cart_create(user=customer, data={}, currency="USD")
    cart_item_add(cart=cart, variant_id=shop["variant"].public_id, quantity=1)
    use_cart(client, Order.objects.get(pk=cart.pk))

    response = client.get("/cart/")

    assert "Your cart is empty." in response.content.decode()


def test_changing_a_quantity(client, shop):
    cart = guest_cart(shop)
    use_cart(client, cart)
    item = cart.line_items.get()

    response = client.post(f"/cart/items/{item.public_id}/", {"quantity": "4"})

    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert LineItem.objects.get(pk=item.pk).quantity == 4
    assert Order.objects.get(pk=cart.pk).item_total == Decimal("50.00")


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("lots", "Enter a whole number."),
        ("11", "Mug does not have 11 available."),
    ],
)
def test_a_bad_quantity_is_refused_next_to_the_line_and_changes_nothing(
    client, shop, quantity, error
):
    cart = guest_cart(shop, quantity=2)
    use_cart(client, cart)
    item = cart.line_items.get()
    before = snapshot()

    response = client.post(f"/cart/items/{item.public_id}/", {"quantity": quantity})

    assert response.status_code == 422
    assert _messages(response) == ["The quantity of Mug was not changed."]
    [(_item, form)] = response.context["lines"]
    assert form.errors == {"quantity": [error]}
    assert snapshot() == before


def test_removing_a_line(client, shop):
    cart = guest_cart(shop)
    use_cart(client, cart)
    item = cart.line_items.get()

    response = client.post(f"/cart/items/{item.public_id}/remove/")

    assert response.status_code == 302
    assert _messages(response) == ["Mug was removed from your cart."]
    assert not LineItem.objects.filter(order=cart).exists()


def test_another_carts_line_is_not_found_and_unchanged(client, shop):
    mine = guest_cart(shop)
    theirs = guest_cart(shop, quantity=2)
    use_cart(client, mine)
    their_item = theirs.line_items.get()
    before = snapshot()

    changed = client.post(f"/cart/items/{their_item.public_id}/", {"quantity": "5"})
    removed = client.post(f"/cart/items/{their_item.public_id}/remove/")
    without_cart = client.__class__().post(f"/cart/items/{their_item.public_id}/remove/")

    assert (changed.status_code, removed.status_code, without_cart.status_code) == (404, 404, 404)
    assert snapshot() == before


def test_cart_forms_need_the_csrf_token(shop):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    cart = guest_cart(shop)
    use_cart(client, cart)
    before = snapshot()

    response = client.post(f"/cart/items/{cart.line_items.get().public_id}/", {"quantity": "2"})

    assert response.status_code == 403
    assert snapshot() == before


# --- the order of the steps ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/cart/checkout/address/",
        "/cart/checkout/delivery/",
        "/cart/checkout/payment/",
        "/cart/checkout/review/",
    ],
)
def test_checkout_without_a_cart_goes_back_to_the_cart(client, db, path):
    response = client.get(path)

    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert _messages(response) == ["Your cart is empty."]


@pytest.mark.parametrize(
    ("path", "step"),
    [("/cart/checkout/delivery/", "address"), ("/cart/checkout/review/", "address")],
)
def test_a_later_step_before_the_address_goes_to_the_address(client, shop, path, step):
    use_cart(client, guest_cart(shop))

    response = client.get(path)

    assert response["Location"] == f"/cart/checkout/{step}/"
    assert _messages(response) == ["Email address is required."]


def test_the_review_before_paying_goes_to_the_payment(client, shop):
    use_cart(client, addressed(shop))

    response = client.get("/cart/checkout/review/")

    assert response["Location"] == "/cart/checkout/payment/"
    assert _messages(response) == ["Add a payment method."]


def test_without_guest_checkout_a_guest_is_sent_to_sign_in(client, shop, settings):
    settings.GUEST_CHECKOUT_ENABLED = False
    use_cart(client, guest_cart(shop))

    response = client.get("/cart/checkout/address/")

    assert response["Location"] == "/account/sign-in/?next=/cart/checkout/address/"


# --- address ---------------------------------------------------------------------------------


def test_the_address_page_renders_for_a_guest_with_the_country_and_state_pickers(client, shop):
    use_cart(client, guest_cart(shop))

    response = client.get("/cart/checkout/address/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in html
    assert '<option value="US" selected>United States</option>' in html
    assert '<option value="NY">New York</option>' in html
    assert '"CA": [["", "Choose a state or province"], ["AB", "Alberta"]' in html  # picker data
    assert 'name="ship_choice"' not in html


def test_a_guests_address_is_saved_on_the_cart(client, shop):
    cart = guest_cart(shop)
    use_cart(client, cart)

    response = client.post(
        "/cart/checkout/address/", {"email": "Guest@Example.com", "use_shipping": "on", **SHIP}
    )

    assert response.status_code == 302 and response["Location"] == "/cart/checkout/delivery/"
    cart = Order.objects.get(pk=cart.pk)
    assert cart.email == "guest@example.com"
    assert (cart.ship_address.city, cart.ship_address.state_abbr) == ("New York", "NY")
    assert cart.bill_address_id == cart.ship_address_id
    assert cart.ship_address.user is None
    assert cart.delivery_total == Decimal("5.00")


def test_a_separate_billing_address(client, shop):
    cart = guest_cart(shop)
    use_cart(client, cart)
    bill = {
        "bill-first_name": "Grace",
        "bill-last_name": "Hopper",
        "bill-address1": "1 Main St",
        "bill-city": "Toronto",
        "bill-country_iso": "CA",
        "bill-state_abbr": "ON",
        "bill-postal_code": "M5V 2T6",
    }

    response = client.post(
        "/cart/checkout/address/", {"email": "guest@example.com", **SHIP, **bill}
    )

    assert response.status_code == 302
    cart = Order.objects.get(pk=cart.pk)
    assert (cart.bill_address.city, cart.bill_address.country_id) == ("Toronto", "CA")
    assert cart.ship_address.city == "New York"


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"email": "not-an-email"}, {"choice": {"email": ["Enter a valid email address."]}}),
        ({"email": ""}, {"choice": {"email": ["This field is required."]}}),
        (
            {"ship-postal_code": "ABCDE"},
            {"ship_form": {"postal_code": ["Postal code is invalid"]}},
        ),
        (
            {"ship-first_name": "", "ship-city": ""},
            {
                "ship_form": {
                    "first_name": ["First name can't be blank"],
                    "city": ["City can't be blank"],
                }
            },
        ),
        (
            {"ship-state_abbr": "ZZ"},
            {"ship_form": {"state_abbr": ["State / province is invalid"]}},
        ),
        (
            {"ship-state_abbr": ""},
            {"ship_form": {"state_abbr": ["State / province can't be blank"]}},
        ),
        (
            {"ship-country_iso": "KP"},
            {"ship_form": {"country_iso": ["Country is not a country the store ships to"]}},
        ),
    ],
)
def test_a_bad_address_is_refused_next_to_the_field_and_changes_nothing(
    client, shop, changes, errors
):
    cart = guest_cart(shop)
    use_cart(client, cart)
    before = snapshot()

    response = client.post(
        "/cart/checkout/address/",
        {"email": "guest@example.com", "use_shipping": "on", **SHIP, **changes},
    )

    assert response.status_code == 422
    assert _messages(response) == ["Please correct the errors below."]
    for form, expected in errors.items():
        assert response.context[form].errors == expected
    for messages in errors.values():
        for message in messages.values():
            assert message[0].replace("'", "&#x27;") in response.content.decode()
    assert snapshot() == before


def test_a_customer_sees_their_saved_addresses_and_ships_to_one(client, shop, customer):
    home = AddressFactory(user=customer, city="Boston", postal_code="02110", state_abbr="MA")
    client.force_login(customer)
    cart = cart_create(user=customer, data={}, currency="USD")
    cart_item_add(cart=cart, variant_id=shop["variant"].public_id, quantity=1)

    page = client.get("/cart/checkout/address/")
    response = client.post(
        "/cart/checkout/address/",
        {"ship_choice": home.public_id, "use_shipping": "on", **SHIP},
    )

    html = page.content.decode()
    assert 'name="email"' not in html
    assert f'value="{home.public_id}"' in html and "Boston" in html
    assert response.status_code == 302
    cart = Order.objects.get(pk=cart.pk)
    assert cart.ship_address_id == home.pk == cart.bill_address_id
    assert cart.email == "ada@example.com"


def test_a_customers_new_address_goes_to_their_address_book(client, shop, customer):
    client.force_login(customer)
    cart = cart_create(user=customer, data={}, currency="USD")
    cart_item_add(cart=cart, variant_id=shop["variant"].public_id, quantity=1)

    response = client.post("/cart/checkout/address/", {"use_shipping": "on", **SHIP})

    assert response.status_code == 302
    address = Order.objects.get(pk=cart.pk).ship_address
    assert address.user == customer and address.is_default_shipping


def test_another_customers_address_cannot_be_chosen(client, shop, customer, other_customer):
    AddressFactory(user=customer)
    theirs = AddressFactory(user=other_customer)
    client.force_login(customer)
    cart = cart_create(user=customer, data={}, currency="USD")
    cart_item_add(cart=cart, variant_id=shop["variant"].public_id, quantity=1)
    before = snapshot()

    response = client.post(
        "/cart/checkout/address/", {"ship_choice": theirs.public_id, "use_shipping": "on", **SHIP}
    )

    assert response.status_code == 422
    assert list(response.context["choice"].errors) == ["ship_choice"]
    assert snapshot() == before


# --- delivery --------------------------------------------------------------------------------


def test_the_delivery_page_offers_the_rates_and_keeps_the_choice(client, shop):
    cart = addressed(shop)
    use_cart(client, cart)

    page = client.get("/cart/checkout/delivery/")
    express = DeliveryRate.objects.get(fulfillment__order=cart, delivery_method=shop["express"])
    [field] = page.context["form"].fields
    response = client.post("/cart/checkout/delivery/", {field: express.public_id})

    html = page.content.decode()
    assert "Ground — $5.00" in html and "Express — $15.00" in html
    assert response.status_code == 302 and response["Location"] == "/cart/checkout/payment/"
    assert Order.objects.get(pk=cart.pk).total == Decimal("27.50")


def test_a_rate_of_another_cart_is_refused_and_changes_nothing(client, shop):
    cart = addressed(shop)
    other = addressed(shop)
    use_cart(client, cart)
    [field] = client.get("/cart/checkout/delivery/").context["form"].fields
    their_rate = DeliveryRate.objects.filter(fulfillment__order=other).first()
    before = snapshot()

    response = client.post("/cart/checkout/delivery/", {field: their_rate.public_id})

    assert response.status_code == 422
    assert _messages(response) == ["Please choose how your order is delivered."]
    assert list(response.context["form"].errors) == [field]
    assert snapshot() == before


def test_an_address_nobody_delivers_to_says_so(client, shop):
    address = {
        **US_ADDRESS,
        "country_iso": "DE",
        "state_abbr": "",
        "postal_code": "10115",
        "city": "Berlin",
    }
    cart = guest_cart(shop, email="guest@example.com", shipping_address=address, use_shipping=True)
    use_cart(client, cart)

    response = client.get("/cart/checkout/delivery/")

    assert response.status_code == 200
    assert "We cannot deliver to this address yet." in response.content.decode()


# --- payment ---------------------------------------------------------------------------------


def test_the_payment_page_offers_check_and_the_test_cards(client, shop, bogus):
    use_cart(client, addressed(shop))

    response = client.get("/cart/checkout/payment/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Left to pay: $17.50" in html
    assert [m.name for m in response.context["methods"]] == ["Check", "Credit card"]
    assert f'value="{bogus.public_id}"' in html and f'value="{shop["check"].public_id}"' in html
    assert '<option value="tok_visa">Visa ending 4242 (approved)</option>' in html
    assert "Declined: Your card was declined." in html
    assert "store credit" not in html.lower()  # only for a signed-in customer


def test_paying_by_check(client, shop):
    cart = addressed(shop)
    use_cart(client, cart)

    response = client.post(
        "/cart/checkout/payment/", {"action": "pay", "method": shop["check"].public_id}
    )

    assert response["Location"] == "/cart/checkout/review/"
    payment = Payment.objects.get(order=cart)
    assert (payment.payment_method, payment.amount, payment.state) == (
        shop["check"],
        Decimal("17.50"),
        Payment.CHECKOUT,
    )


def test_paying_with_a_test_card(client, shop, bogus):
    cart = addressed(shop)
    use_cart(client, cart)

    response = client.post(
        "/cart/checkout/payment/",
        {"action": "pay", "method": bogus.public_id, "card_token": "tok_mastercard"},
    )

    assert response["Location"] == "/cart/checkout/review/"
    payment = Payment.objects.get(order=cart)
    assert (payment.state, payment.amount, payment.credit_card.last4) == (
        Payment.COMPLETED,
        Decimal("17.50"),
        "4444",
    )
    assert payment.credit_card.user is None


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"card_token": "tok_declined"}, {"card_token": ["Your card was declined."]}),
        ({"card_token": ""}, {"card_token": ["Choose a test card."]}),
        (
            {"card_token": "4242424242424242"},
            {
                "card_token": [
                    "Select a valid choice. 4242424242424242 is not one of the available choices."
                ]
            },
        ),
        (
            {"method": "pm_nonsense"},
            {"method": ["Select a valid choice. pm_nonsense is not one of the available choices."]},
        ),
    ],
)
def test_a_refused_payment_is_shown_next_to_the_field_and_records_nothing(
    client, shop, bogus, form, errors
):
    cart = addressed(shop)
    use_cart(client, cart)

    response = client.post(
        "/cart/checkout/payment/", {"action": "pay", "method": bogus.public_id, **form}
    )

    assert response.status_code == 422
    assert _messages(response) == ["The payment was not accepted."]
    assert response.context["pay_form"].errors == errors
    assert not Payment.objects.filter(order=cart).exists()
    assert Order.objects.get(pk=cart.pk).payment_total == Decimal("0")


def test_a_customer_pays_with_a_saved_card_and_may_save_a_new_one(client, shop, bogus, customer):
    saved = CreditCard.objects.create(
        user=customer,
        payment_method=bogus,
        brand="visa",
        last4="4242",
        month=12,
        year=2099,
        gateway_payment_profile_id="card_saved",
    )
    client.force_login(customer)
    cart = cart_create(
        user=customer,
        data={
            "items": [{"variant_id": shop["variant"].public_id, "quantity": 1}],
            "shipping_address": US_ADDRESS,
            "use_shipping": True,
        },
        currency="USD",
    )

    page = client.get("/cart/checkout/payment/")
    response = client.post(
        "/cart/checkout/payment/",
        {"action": "pay", "method": bogus.public_id, "saved_card": saved.public_id},
    )

    assert "Visa ending 4242, expires 12/2099" in page.content.decode()
    assert response["Location"] == "/cart/checkout/review/"
    assert Payment.objects.get(order=cart).credit_card == saved


def test_another_customers_saved_card_cannot_be_used(client, shop, bogus, customer, other_customer):
    theirs = CreditCard.objects.create(
        user=other_customer,
        payment_method=bogus,
        brand="visa",
        last4="1111",
        month=1,
        year=2099,
        gateway_payment_profile_id="card_theirs",
    )
    client.force_login(customer)
    cart = cart_create(
        user=customer,
        data={
            "items": [{"variant_id": shop["variant"].public_id, "quantity": 1}],
            "shipping_address": US_ADDRESS,
            "use_shipping": True,
        },
        currency="USD",
    )

    response = client.post(
        "/cart/checkout/payment/",
        {"action": "pay", "method": bogus.public_id, "saved_card": theirs.public_id},
    )

    assert response.status_code == 422
    assert not Payment.objects.filter(order=cart).exists()
    assert not PaymentSession.objects.filter(order=cart).exists()


def test_a_gift_card_pays_part_of_the_order(client, shop):
    card = gift_card_create(amount=Decimal("10.00"), currency="USD")
    cart = addressed(shop)
    use_cart(client, cart)

    response = client.post(
        "/cart/checkout/payment/", {"action": "gift_card", "code": card.code.upper()}
    )
    page = client.get("/cart/checkout/payment/")

    assert response["Location"] == "/cart/checkout/payment/"
    assert Order.objects.get(pk=cart.pk).gift_card_total == Decimal("10.00")
    assert "Left to pay: $7.50" in page.content.decode()

    removed = client.post("/cart/checkout/payment/", {"action": "remove_gift_card"})

    assert removed.status_code == 302
    assert Order.objects.get(pk=cart.pk).gift_card_total == Decimal("0")


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("nope", "The Gift Card was not found."),
        ("", "This field is required."),
        ("expired", "The Gift Card has expired."),
    ],
)
def test_a_bad_gift_card_is_refused_next_to_the_field_and_changes_nothing(
    client, shop, code, error
):
    expired = gift_card_create(amount=Decimal("10"), currency="USD", expires_at=date(2020, 1, 1))
    cart = addressed(shop)
    use_cart(client, cart)
    before = snapshot()

    response = client.post(
        "/cart/checkout/payment/",
        {"action": "gift_card", "code": expired.code if code == "expired" else code},
    )

    assert response.status_code == 422
    assert response.context["gift_form"].errors == {"code": [error]}
    assert _messages(response) == ["The gift card could not be applied."]
    assert snapshot() == before


def test_a_customer_spends_store_credit(client, shop, customer):
    store_credit_grant(user=customer, amount=Decimal("50.00"), currency="USD")
    client.force_login(customer)
    cart = cart_create(
        user=customer,
        data={
            "items": [{"variant_id": shop["variant"].public_id, "quantity": 1}],
            "shipping_address": US_ADDRESS,
            "use_shipping": True,
        },
        currency="USD",
    )

    page = client.get("/cart/checkout/payment/")
    response = client.post("/cart/checkout/payment/", {"action": "store_credit"})
    after = client.get("/cart/checkout/payment/")

    assert "You have $50.00 of store credit." in page.content.decode()
    assert response.status_code == 302
    assert Order.objects.get(pk=cart.pk).store_credit_total == Decimal("17.50")
    assert "Nothing is left to pay." in after.content.decode()
    assert client.get("/cart/checkout/review/").status_code == 200


def test_a_guest_cannot_spend_store_credit(client, shop):
    cart = addressed(shop)
    use_cart(client, cart)
    before = snapshot()

    response = client.post("/cart/checkout/payment/", {"action": "store_credit"})

    assert response.status_code == 400
    assert snapshot() == before


# --- review, completion and the order pages ---------------------------------------------------


def test_placing_the_order(client, shop, django_capture_on_commit_callbacks):
    cart = ready(shop)
    use_cart(client, cart)

    review = client.get("/cart/checkout/review/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cart/checkout/complete/")

    assert review.status_code == 200 and "Place order" in review.content.decode()
    order = Order.objects.get(pk=cart.pk)
    assert order.state == Order.COMPLETE
    assert response["Location"] == f"/orders/{order.order_id}/confirmation/"
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert order.number in confirmation.content.decode()
    assert f"/orders/{order.order_id}/?token={order.token}" in mail.outbox[-1].body
    assert "Your cart is empty." in client.get("/cart/").content.decode()


def test_an_order_that_cannot_be_completed_says_why_and_changes_nothing(client, shop):
    cart = ready(shop, quantity=2)
    use_cart(client, cart)
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=1)
    before = snapshot()

    response = client.post("/cart/checkout/complete/")

    assert response["Location"] == "/cart/checkout/review/"
    assert _messages(response) == ["Your order was not placed: Mug is out of stock."]
    assert snapshot() == before


def test_completing_needs_the_csrf_token(shop):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    cart = ready(shop)
    use_cart(client, cart)

    assert client.post("/cart/checkout/complete/").status_code == 403
    assert Order.objects.get(pk=cart.pk).state == Order.CART


@pytest.fixture
def guest_order(shop):
    from orders.services.checkout import cart_complete

    return cart_complete(cart=ready(shop))


def test_the_emailed_link_opens_the_order(client, guest_order):
    response = client.get(f"/orders/{guest_order.order_id}/", {"token": guest_order.token})

    assert response.status_code == 200
    assert f"Order {guest_order.number}" in response.content.decode()


@pytest.mark.parametrize(
    "query", [{}, {"token": "wrong"}, {"token": ""}], ids=["no-token", "wrong", "empty"]
)
def test_without_the_right_token_the_order_is_not_found(client, guest_order, query):
    response = client.get(f"/orders/{guest_order.order_id}/", query)

    assert response.status_code == 404


def test_the_order_number_or_the_cart_id_does_not_open_the_order(client, guest_order):
    for reference in (guest_order.number, str(guest_order.pk), guest_order.cart_id + "x"):
        response = client.get(f"/orders/{reference}/", {"token": guest_order.token})
        assert response.status_code == 404


def test_the_owner_sees_their_order_without_a_token_and_others_do_not(
    client, shop, customer, other_customer
):
    from orders.services.checkout import cart_complete

    cart = cart_create(
        user=customer,
        data={
            "items": [{"variant_id": shop["variant"].public_id, "quantity": 1}],
            "shipping_address": US_ADDRESS,
            "use_shipping": True,
        },
        currency="USD",
    )
    payment_create(order=cart, payment_method_id=shop["check"].public_id)
    order = cart_complete(cart=cart)

    anonymous = client.get(f"/orders/{order.order_id}/")
    client.force_login(other_customer)
    other = client.get(f"/orders/{order.order_id}/")
    other_confirmation = client.get(f"/orders/{order.order_id}/confirmation/")
    client.force_login(customer)
    owner = client.get(f"/orders/{order.order_id}/")
    owner_confirmation = client.get(f"/orders/{order.order_id}/confirmation/")

    assert (anonymous.status_code, other.status_code, other_confirmation.status_code) == (
        404,
        404,
        404,
    )
    assert (owner.status_code, owner_confirmation.status_code) == (200, 200)


def test_the_confirmation_page_is_only_for_the_browser_that_ordered(client, guest_order):
    from django.test import Client

    use_cart(client, guest_order)

    assert client.get(f"/orders/{guest_order.order_id}/confirmation/").status_code == 200
    assert Client().get(f"/orders/{guest_order.order_id}/confirmation/").status_code == 404


def test_an_unused_new_address_leaves_the_guest_address_book_alone(client, shop):
    """A guest's addresses are the cart's only (no owner)."""
    cart = guest_cart(shop)
    use_cart(client, cart)

    client.post("/cart/checkout/address/", {"email": "g@example.com", "use_shipping": "on", **SHIP})

    assert list(Address.objects.values_list("user", flat=True)) == [None]
