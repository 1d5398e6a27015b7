"""The export and account closing cover orders and payment data too."""

from decimal import Decimal

from orders.models import Order
from payments.models import CreditCard, PaymentMethod, PaymentSource
from payments.services.balances import gift_card_create, store_credit_grant


def _saved_card(user, method):
    return CreditCard.objects.create(
        user=user,
        payment_method=method,
        brand="visa",
        last4="4242",
        month=12,
        year=2030,
        name="Ada Lovelace",
        is_default=True,
    )


def test_export_lists_cards_wallets_credits_gift_cards_and_orders(customer_api, customer):
    method = PaymentMethod.objects.create(name="Card", provider=PaymentMethod.BOGUS)
    _saved_card(customer, method)
    PaymentSource.objects.create(
        user=customer, payment_method=method, type="paypal", label="PayPal (a***@x.com)"
    )
    store_credit_grant(user=customer, amount=Decimal("7.50"), currency="USD", memo="sorry")
    card = gift_card_create(amount=Decimal("10"), currency="USD", user=customer)
    Order.objects.create(
        number="R000000001",
        token="t" * 35,
        user=customer,
        email=customer.email,
        currency="USD",
        state=Order.COMPLETE,
        completed_at="2026-01-02T00:00:00Z",
        total=Decimal("3.00"),
    )

    body = customer_api.get("/customers/me/export").json()

    assert [c["last4"] for c in body["credit_cards"]] == ["4242"]
    assert [s["label"] for s in body["payment_sources"]] == ["PayPal (a***@x.com)"]
    assert [(c["amount"], c["memo"]) for c in body["store_credits"]] == [("7.50", "sorry")]
    assert [g["code"] for g in body["gift_cards"]] == [card.code.upper()]
    assert [(o["number"], o["email"], o["total"]) for o in body["orders"]] == [
        ("R000000001", customer.email, "3.00")
    ]


def test_closing_forgets_saved_methods_and_open_carts_and_erases_order_emails(
    customer_api, customer, password
):
    method = PaymentMethod.objects.create(name="Card", provider=PaymentMethod.BOGUS)
    _saved_card(customer, method)
    PaymentSource.objects.create(user=customer, payment_method=method, type="paypal", label="x")
    Order.objects.create(
        number="R000000002", token="u" * 35, user=customer, email=customer.email, currency="USD"
    )
    completed = Order.objects.create(
        number="R000000003",
        token="v" * 35,
        user=customer,
        email=customer.email,
        currency="USD",
        state=Order.COMPLETE,
        completed_at="2026-01-02T00:00:00Z",
        customer_note="leave at the door",
    )

    response = customer_api.delete("/customers/me", {"current_password": password})

    assert response.status_code == 204
    assert not CreditCard.objects.filter(user=customer).exists()
    assert not PaymentSource.objects.filter(user=customer).exists()
    assert not Order.objects.filter(user=customer, state=Order.CART).exists()
    completed.refresh_from_db()
    assert (completed.email, completed.customer_note) == ("", "")
