"""Carts spending one balance at the same moment (real threads, real row locks on PostgreSQL):
exactly as many complete as the balance covers, the sum spent never exceeds it, and a loser's
cart, stock and payments are left as they were."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from catalog.models import StockItem, StockLocation
from orders.errors import CartCannotComplete
from orders.models import Order
from orders.services.checkout import cart_complete
from payments.models import GiftCard, Payment, StoreCredit, StoreCreditEvent
from payments.services.balances import gift_card_create, store_credit_grant
from tests.concurrency import POSTGRES_ONLY, race
from tests.conftest import StoreClient
from tests.factories import UserFactory
from tests.orders.conftest import make_variant
from tests.payments.helpers import order_of, ready_cart

pytestmark = POSTGRES_ONLY


def _complete_all(carts: list[Order]) -> tuple[list[Order], list[CartCannotComplete]]:
    results = race([lambda cart=cart: cart_complete(cart=cart) for cart in carts])
    unexpected = [r for r in results if not isinstance(r, Order | CartCannotComplete)]
    assert not unexpected, unexpected
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if isinstance(r, CartCannotComplete)]
    return won, lost


def _stock(variant) -> int:
    return StockItem.objects.get(variant=variant).count_on_hand


def _warehouse(name: str) -> StockLocation:
    """A location of its own, so the racing checkouts share no stock or location row."""
    return StockLocation.objects.create(name=name, country_iso="US")


def _payments(order: Order) -> list:
    return list(Payment.objects.filter(order=order).order_by("pk").values_list("state", "amount"))


@pytest.mark.parametrize("round_", range(2))
def test_two_carts_spending_one_store_credit_at_once(customer_api, customer, shop, round_):
    credit = store_credit_grant(user=customer, amount=Decimal("60"), currency="USD")
    carts = []
    for _ in range(2):
        cart = ready_cart(customer_api, shop["variant"])
        response = customer_api.post(f"/carts/{cart['id']}/store_credits")
        assert response.json()["store_credit_total"] == "55.00", response.json()
        carts.append(order_of(cart))
    variant = shop["variant"]
    stock_before = _stock(variant)
    payments_before = {cart.pk: _payments(cart) for cart in carts}

    won, lost = _complete_all(carts)

    assert (len(won), len(lost)) == (1, 1)
    assert lost[0].message == (
        "A store credit or gift card balance changed; please review your payment"
    )
    credit.refresh_from_db()
    assert (credit.amount, credit.amount_used, credit.amount_authorized) == (
        Decimal("60.00"),
        Decimal("55.00"),
        Decimal("0.00"),
    )
    assert StoreCreditEvent.objects.filter(store_credit=credit, action="capture").count() == 1
    assert _stock(variant) == stock_before - 4
    loser = next(cart for cart in carts if cart.pk != won[0].pk)
    loser.refresh_from_db()
    assert (loser.state, loser.completed_at) == ("cart", None)
    assert _payments(loser) == payments_before[loser.pk]


@pytest.mark.parametrize("round_", range(2))
def test_two_carts_spending_one_gift_card_at_once(customer_api, shop, round_):
    card = gift_card_create(amount=Decimal("60"), currency="USD")
    carts = []
    for _ in range(2):
        cart = ready_cart(customer_api, shop["variant"])
        response = customer_api.post(f"/carts/{cart['id']}/gift_cards", {"code": card.code})
        assert response.json()["gift_card_total"] == "55.00", response.json()
        carts.append(order_of(cart))
    stock_before = _stock(shop["variant"])
    payments_before = {cart.pk: _payments(cart) for cart in carts}

    won, lost = _complete_all(carts)

    assert (len(won), len(lost)) == (1, 1)
    card.refresh_from_db()
    assert (card.amount_used, card.amount_remaining, card.status) == (
        Decimal("55.00"),
        Decimal("5.00"),
        "partially_redeemed",
    )
    assert _stock(shop["variant"]) == stock_before - 4
    loser = next(cart for cart in carts if cart.pk != won[0].pk)
    loser.refresh_from_db()
    assert loser.state == "cart"
    assert _payments(loser) == payments_before[loser.pk]


def test_two_customers_spending_one_gift_card_on_different_stock_at_once(api_key, shop):
    """No customer, stock or stock location row is shared: only the gift card's row lock
    orders these two checkouts."""
    card = gift_card_create(amount=Decimal("60"), currency="USD")
    plate = make_variant(name="Plate", price="12.50", location=_warehouse("Plates"))
    carts, variants = [], [shop["variant"], plate]
    for variant in variants:
        client = StoreClient(api_key.token).login_as(UserFactory())
        cart = ready_cart(client, variant)
        assert (
            client.post(f"/carts/{cart['id']}/gift_cards", {"code": card.code}).status_code == 201
        )
        carts.append(order_of(cart))
    stock_before = {variant.pk: _stock(variant) for variant in variants}

    won, lost = _complete_all(carts)

    assert (len(won), len(lost)) == (1, 1)
    card.refresh_from_db()
    assert card.amount_used == Decimal("55.00")
    winner_variant = variants[[c.pk for c in carts].index(won[0].pk)]
    for variant in variants:
        expected = stock_before[variant.pk] - (4 if variant == winner_variant else 0)
        assert _stock(variant) == expected


def test_many_small_carts_never_spend_more_than_the_credit(customer_api, customer, shop):
    shop["variant"].stock_items.update(count_on_hand=50)
    credit = store_credit_grant(user=customer, amount=Decimal("40"), currency="USD")
    carts = []
    for _ in range(5):
        cart = ready_cart(customer_api, shop["variant"], quantity=1)  # 12.50 + 5.00 delivery
        body = customer_api.post(f"/carts/{cart['id']}/store_credits").json()
        assert body["store_credit_total"] == "17.50", body
        carts.append(order_of(cart))

    won, lost = _complete_all(carts)

    assert (len(won), len(lost)) == (2, 3)
    credit.refresh_from_db()
    spent = StoreCreditEvent.objects.filter(store_credit=credit, action="capture").aggregate(
        total=Sum("amount")
    )["total"]
    assert credit.amount_used == spent == Decimal("35.00") <= credit.amount
    assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == 48
    assert StoreCredit.objects.get(pk=credit.pk).amount_remaining == Decimal("5.00")


def test_many_small_carts_never_spend_more_than_the_gift_card(api_key, shop):
    """Five customers, five products: only the gift card's row lock orders these checkouts."""
    card = gift_card_create(amount=Decimal("40"), currency="USD")
    carts = []
    for index in range(5):
        client = StoreClient(api_key.token).login_as(UserFactory())
        variant = make_variant(name=f"Item {index}", location=_warehouse(f"Shelf {index}"))
        cart = ready_cart(client, variant, quantity=1)
        client.post(f"/carts/{cart['id']}/gift_cards", {"code": card.code})
        carts.append(order_of(cart))

    won, lost = _complete_all(carts)

    assert (len(won), len(lost)) == (2, 3)
    card.refresh_from_db()
    assert card.amount_used == Decimal("35.00")
    assert GiftCard.objects.get(pk=card.pk).amount_remaining == Decimal("5.00")
    for cart in carts:
        cart.refresh_from_db()
    assert sorted(cart.state for cart in carts) == ["cart", "cart", "cart", "complete", "complete"]
