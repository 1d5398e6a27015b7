"""Gift cards: codes, POST/DELETE /carts/:id/gift_cards, redemption in part and in full with
the statuses it goes through, GET /customers/me/gift_cards[/:id], and the admin's batches."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from catalog.models import StockItem
from payments.models import GiftCard, GiftCardBatch, Payment
from payments.services.balances import gift_card_cancel, gift_card_create
from tests.payments.helpers import (
    GIFT_CARD_NOT_FOUND,
    NOT_AUTHENTICATED,
    balances,
    order_of,
    ready_cart,
    token_of,
)


def _card(amount="25", currency="USD", **kwargs) -> GiftCard:
    return gift_card_create(amount=Decimal(amount), currency=currency, **kwargs)


def _apply(client, cart, code, **headers):
    return client.post(f"/carts/{cart['id']}/gift_cards", {"code": code}, **headers)


def _pay_rest_by_check(client, cart, shop):
    response = client.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": shop["check"].public_id}
    )
    assert response.status_code == 201, response.json()


# --- codes ---------------------------------------------------------------------------------


def test_codes_are_16_hex_characters_stored_lower_case_and_unique(db):
    cards = [_card() for _ in range(20)]

    assert all(re.fullmatch(r"[0-9a-f]{16}", card.code) for card in cards)
    assert len({card.code for card in cards}) == 20


@pytest.mark.parametrize(
    "spelling", [str.upper, str.lower, lambda c: c[:8].upper() + c[8:], lambda c: f" {c} "]
)
def test_the_code_is_matched_case_insensitively(customer_api, shop, spelling):
    card = _card("25")
    cart = ready_cart(customer_api, shop["variant"])

    response = _apply(customer_api, cart, spelling(card.code))

    assert response.status_code == 201, response.json()
    assert response.json()["gift_card_total"] == "25.00"


def test_dashes_in_the_code_are_ignored(customer_api, shop):
    card = _card("25")
    cart = ready_cart(customer_api, shop["variant"])
    dashed = "-".join(card.code.upper()[i : i + 4] for i in range(0, 16, 4))

    assert _apply(customer_api, cart, dashed).status_code == 201


# --- applying ------------------------------------------------------------------------------


def test_applying_keeps_the_total_and_lowers_the_amount_due(api, shop):
    card = _card("25")
    cart = ready_cart(api, shop["variant"], email="guest@example.com")

    response = _apply(api, cart, card.code.upper(), **token_of(cart))

    assert response.status_code == 201
    body = response.json()
    assert (body["total"], body["gift_card_total"], body["amount_due"]) == (
        "55.00",
        "25.00",
        "30.00",
    )
    assert body["display_gift_card_total"] == "$25.00"
    [payment] = body["payments"]
    assert (payment["source_type"], payment["source_id"], payment["amount"]) == (
        "gift_card",
        card.public_id,
        "25.00",
    )
    assert payment["source"] == {"id": card.public_id, "code": card.code.upper()}
    assert body["current_step"] == "payment"
    # Applying plans the spend; the balance moves only when the order completes.
    assert balances(card) == (Decimal("25.00"), Decimal("0.00"), Decimal("0.00"))


def test_a_card_worth_more_than_the_cart_covers_it(customer_api, shop):
    card = _card("100")
    cart = ready_cart(customer_api, shop["variant"])

    body = _apply(customer_api, cart, card.code).json()

    assert (body["gift_card_total"], body["amount_due"], body["current_step"]) == (
        "55.00",
        "0.00",
        "complete",
    )


@pytest.mark.parametrize("code", ["0000000000000000", "nope", "", None, 1234, ["x"], "a" * 40])
def test_an_unknown_code_is_not_found(customer_api, shop, code):
    _card("25")
    cart = ready_cart(customer_api, shop["variant"])

    response = _apply(customer_api, cart, code)

    assert (response.status_code, response.json()) == (404, GIFT_CARD_NOT_FOUND)
    assert not Payment.objects.exists()


def test_an_expired_card_is_refused(customer_api, shop):
    card = _card("25", expires_at=timezone.localdate() - timedelta(days=1))
    cart = ready_cart(customer_api, shop["variant"])

    response = _apply(customer_api, cart, card.code)

    assert response.status_code == 422
    assert response.json() == {
        "error": {"code": "gift_card_expired", "message": "The Gift Card has expired."}
    }
    assert not Payment.objects.exists()


def test_a_card_expiring_today_still_works(customer_api, shop):
    card = _card("25", expires_at=timezone.localdate())
    cart = ready_cart(customer_api, shop["variant"])

    assert _apply(customer_api, cart, card.code).status_code == 201


@pytest.mark.parametrize("how", ["used up", "canceled"])
def test_a_used_up_or_canceled_card_is_refused(customer_api, shop, how):
    card = _card("25")
    if how == "used up":
        GiftCard.objects.filter(pk=card.pk).update(amount_used=Decimal("25"))
    else:
        gift_card_cancel(gift_card=card)
    cart = ready_cart(customer_api, shop["variant"])

    response = _apply(customer_api, cart, card.code)

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "gift_card_already_redeemed",
            "message": "The Gift Card has already been redeemed.",
        }
    }
    assert not Payment.objects.exists()


def test_a_card_in_another_currency_is_refused(customer_api, shop):
    card = _card("25", currency="EUR")
    cart = ready_cart(customer_api, shop["variant"])

    response = _apply(customer_api, cart, card.code)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "processing_error"
    assert not Payment.objects.exists()


def test_a_card_given_to_another_customer_is_not_found(customer_api, other_customer, shop):
    card = _card("25", user=other_customer)
    cart = ready_cart(customer_api, shop["variant"])

    response = _apply(customer_api, cart, card.code)

    assert (response.status_code, response.json()) == (404, GIFT_CARD_NOT_FOUND)


def test_a_card_given_to_the_customer_applies_to_their_cart(customer_api, customer, shop):
    card = _card("25", user=customer)
    cart = ready_cart(customer_api, shop["variant"])

    assert _apply(customer_api, cart, card.code).status_code == 201


def test_a_customers_card_cannot_be_used_on_a_guest_cart(api, customer, shop):
    card = _card("25", user=customer)
    cart = ready_cart(api, shop["variant"], email="guest@example.com")

    response = _apply(api, cart, card.code, **token_of(cart))

    assert (response.status_code, response.json()) == (404, GIFT_CARD_NOT_FOUND)


def test_another_card_replaces_the_first(customer_api, shop):
    first, second = _card("10"), _card("20")
    cart = ready_cart(customer_api, shop["variant"])
    _apply(customer_api, cart, first.code)

    body = _apply(customer_api, cart, second.code).json()

    assert body["gift_card_total"] == "20.00"
    assert [p["source_id"] for p in body["payments"]] == [second.public_id]


def test_without_access_to_the_cart_nothing_is_applied(customer_api, other_api, api, shop):
    card = _card("25")
    cart = ready_cart(customer_api, shop["variant"])

    for client in (other_api, api):
        response = _apply(client, cart, card.code)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "access_denied"
        response = client.delete(f"/carts/{cart['id']}/gift_cards/{card.public_id}")
        assert response.status_code == 403
    assert not Payment.objects.exists()


# --- removing ------------------------------------------------------------------------------


def test_removing_the_card(customer_api, shop):
    card = _card("25")
    cart = ready_cart(customer_api, shop["variant"])
    _apply(customer_api, cart, card.code)

    response = customer_api.delete(f"/carts/{cart['id']}/gift_cards/{card.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert (body["gift_card_total"], body["amount_due"], body["payments"]) == (
        "0.00",
        "55.00",
        [],
    )
    assert not Payment.objects.exists()


def test_removing_ignores_the_id_and_nothing_to_remove_is_fine(customer_api, shop):
    card = _card("25")
    cart = ready_cart(customer_api, shop["variant"])
    _apply(customer_api, cart, card.code)

    first = customer_api.delete(f"/carts/{cart['id']}/gift_cards/anything")
    second = customer_api.delete(f"/carts/{cart['id']}/gift_cards/anything")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["gift_card_total"] == "0.00"


# --- with store credit and a changing cart --------------------------------------------------


def test_gift_card_and_store_credit_together(customer_api, customer, shop):
    from payments.services.balances import store_credit_grant

    store_credit_grant(user=customer, amount=Decimal("100"), currency="USD")
    card = _card("20")
    cart = ready_cart(customer_api, shop["variant"])
    _apply(customer_api, cart, card.code)

    body = customer_api.post(f"/carts/{cart['id']}/store_credits").json()

    assert (body["gift_card_total"], body["store_credit_total"], body["amount_due"]) == (
        "20.00",
        "35.00",
        "0.00",
    )
    assert body["covered_by_store_credit"] is False


def test_the_card_follows_the_cart_total(customer_api, shop):
    card = _card("40")
    cart = ready_cart(customer_api, shop["variant"])
    body = _apply(customer_api, cart, card.code).json()
    item_id = body["items"][0]["id"]

    smaller = customer_api.patch(f"/carts/{cart['id']}/items/{item_id}", {"quantity": 1}).json()
    larger = customer_api.patch(f"/carts/{cart['id']}/items/{item_id}", {"quantity": 4}).json()

    assert (smaller["total"], smaller["gift_card_total"], smaller["amount_due"]) == (
        "17.50",
        "17.50",
        "0.00",
    )
    assert (larger["gift_card_total"], larger["amount_due"]) == ("40.00", "15.00")


# --- redemption ----------------------------------------------------------------------------


def _status(client, card) -> dict:
    card.refresh_from_db()
    response = client.get(f"/customers/me/gift_cards/{card.public_id}")
    assert response.status_code == 200, response.json()
    return response.json()


def test_partial_then_full_redemption(customer_api, customer, shop):
    card = _card("80", user=customer)
    assert _status(customer_api, card)["status"] == "active"

    first = ready_cart(customer_api, shop["variant"])
    _apply(customer_api, first, card.code)
    order = customer_api.post(f"/carts/{first['id']}/complete")
    assert order.status_code == 200, order.json()
    assert (order.json()["gift_card_total"], order.json()["payment_status"]) == ("55.00", "paid")
    seen = _status(customer_api, card)
    assert (seen["status"], seen["amount_used"], seen["amount_remaining"]) == (
        "partially_redeemed",
        "55.00",
        "25.00",
    )
    assert (seen["active"], seen["expired"], seen["redeemed_at"]) == (True, False, None)

    second = ready_cart(customer_api, shop["variant"])
    body = _apply(customer_api, second, card.code.upper()).json()
    assert (body["gift_card_total"], body["amount_due"]) == ("25.00", "30.00")
    _pay_rest_by_check(customer_api, second, shop)
    order = customer_api.post(f"/carts/{second['id']}/complete")
    assert order.status_code == 200, order.json()
    assert order.json()["payment_status"] == "balance_due"
    seen = _status(customer_api, card)
    assert (seen["status"], seen["amount_used"], seen["amount_remaining"]) == (
        "redeemed",
        "80.00",
        "0.00",
    )
    assert seen["active"] is False and seen["redeemed_at"] is not None

    third = ready_cart(customer_api, shop["variant"], quantity=1)
    refused = _apply(customer_api, third, card.code)
    assert refused.json()["error"]["code"] == "gift_card_already_redeemed"


def test_canceled_and_expired_statuses(customer_api, customer):
    canceled = _card("10", user=customer)
    gift_card_cancel(gift_card=canceled)
    expired = _card("10", user=customer, expires_at=date(2020, 1, 1))

    assert (lambda s: (s["status"], s["active"], s["expired"]))(
        _status(customer_api, canceled)
    ) == ("canceled", False, False)
    assert (lambda s: (s["status"], s["active"], s["expired"]))(_status(customer_api, expired)) == (
        "expired",
        False,
        True,
    )


@pytest.mark.parametrize("change", ["expired", "canceled", "spent elsewhere"])
def test_a_card_that_changed_before_completion_stops_the_checkout(customer_api, shop, change):
    card = _card("25")
    cart = ready_cart(customer_api, shop["variant"])
    _apply(customer_api, cart, card.code)
    _pay_rest_by_check(customer_api, cart, shop)
    if change == "expired":
        GiftCard.objects.filter(pk=card.pk).update(expires_at=date(2020, 1, 1))
    elif change == "canceled":
        gift_card_cancel(gift_card=card)
    else:
        GiftCard.objects.filter(pk=card.pk).update(amount_used=Decimal("10"))
    used_before = balances(card)[1]
    stock_before = StockItem.objects.get(variant=shop["variant"]).count_on_hand

    response = customer_api.post(f"/carts/{cart['id']}/complete")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "cart_cannot_complete"
    assert order_of(cart).state == "cart"
    assert balances(card)[1] == used_before
    assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == stock_before


# --- GET /customers/me/gift_cards ----------------------------------------------------------


def test_list_shows_the_customers_cards_newest_first(customer_api, customer, other_customer):
    older = _card("10", user=customer, expires_at=date(2040, 1, 31))
    newer = _card("25", user=customer)
    _card("99", user=other_customer)
    _card("50")

    response = customer_api.get("/customers/me/gift_cards")

    assert response.status_code == 200
    data = response.json()["data"]
    assert [c["id"] for c in data] == [newer.public_id, older.public_id]
    assert data[1] == {
        "id": older.public_id,
        "code": older.code.upper(),
        "status": "active",
        "currency": "USD",
        "amount": "10.00",
        "amount_used": "0.00",
        "amount_authorized": "0.00",
        "amount_remaining": "10.00",
        "display_amount": "$10.00",
        "display_amount_used": "$0.00",
        "display_amount_remaining": "$10.00",
        "expires_at": "2040-01-31",
        "redeemed_at": None,
        "expired": False,
        "active": True,
    }
    assert older.public_id.startswith("gc_")


@pytest.mark.parametrize("path", ["", "/gc_UkLWZg9DAJ"])
def test_anonymous_is_refused(api, customer, path):
    _card("10", user=customer)

    response = api.get(f"/customers/me/gift_cards{path}")

    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)


def test_another_customers_card_is_not_found(other_api, customer):
    card = _card("10", user=customer)

    response = other_api.get(f"/customers/me/gift_cards/{card.public_id}")

    assert (response.status_code, response.json()) == (404, GIFT_CARD_NOT_FOUND)
    assert other_api.get("/customers/me/gift_cards").json()["data"] == []


def test_an_unassigned_card_is_not_listed_for_anyone(customer_api):
    card = _card("10")

    response = customer_api.get(f"/customers/me/gift_cards/{card.public_id}")

    assert (response.status_code, response.json()) == (404, GIFT_CARD_NOT_FOUND)


def test_the_owner_sees_their_card(customer_api, customer):
    card = _card("10", user=customer)

    response = customer_api.get(f"/customers/me/gift_cards/{card.public_id}")

    assert response.status_code == 200
    assert response.json()["code"] == card.code.upper()


# --- admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client, superuser


def test_admin_generates_a_batch_of_cards(staff):
    client, superuser = staff

    response = client.post(
        "/admin/payments/giftcardbatch/add/",
        {
            "name": "Holiday 2026",
            "codes_count": "5",
            "amount": "30.00",
            "currency": "usd",
            "expires_at": "2027-01-31",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    batch = GiftCardBatch.objects.get()
    cards = list(GiftCard.objects.filter(batch=batch))
    assert len(cards) == batch.codes_count == 5
    assert {(c.amount, c.currency, c.expires_at, c.created_by) for c in cards} == {
        (Decimal("30.00"), "USD", date(2027, 1, 31), superuser)
    }
    assert len({c.code for c in cards}) == 5
    assert all(re.fullmatch(r"[0-9a-f]{16}", c.code) for c in cards)


@pytest.mark.parametrize("count", ["0", "10001"])
def test_admin_refuses_a_batch_of_the_wrong_size(staff, count):
    client, _ = staff

    response = client.post(
        "/admin/payments/giftcardbatch/add/",
        {"name": "Bad", "codes_count": count, "amount": "30.00", "currency": "USD"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "codes_count": ["Must be between 1 and 10000."]
    }
    assert not GiftCard.objects.exists()
    assert not GiftCardBatch.objects.exists()


def test_admin_creates_one_card_with_a_generated_code(staff, customer):
    client, superuser = staff

    response = client.post(
        "/admin/payments/giftcard/add/",
        {"amount": "15.00", "currency": "USD", "user": customer.pk, "expires_at": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    card = GiftCard.objects.get()
    assert (card.amount, card.user, card.created_by) == (Decimal("15.00"), customer, superuser)
    assert re.fullmatch(r"[0-9a-f]{16}", card.code)


@pytest.mark.parametrize("path", ["giftcard", "giftcardbatch"])
def test_admin_refuses_cards_worth_nothing(staff, path):
    client, _ = staff

    response = client.post(
        f"/admin/payments/{path}/add/",
        {"name": "Zero", "codes_count": "2", "amount": "0", "currency": "USD"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"amount": ["Must be greater than 0."]}
    assert not GiftCard.objects.exists()


def test_admin_cancels_cards(staff):
    client, _ = staff
    card = _card("10")

    response = client.post(
        "/admin/payments/giftcard/",
        {"action": "cancel_cards", "_selected_action": [card.pk]},
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.state, card.status) == ("canceled", "canceled")
