"""Payments on a cart: adding one, keeping credits and amounts in step with the cart's total,
and processing them when the cart completes."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from payments.errors import BalanceChanged, PaymentMethodUnavailable, PaymentSessionRequired
from payments.models import (
    GiftCard,
    Payment,
    PaymentMethod,
    StoreCredit,
    StoreCreditEvent,
)
from payments.selectors import (
    payment_method_offered,
    payment_methods_list,
    payment_methods_remember,
    payments_load_for_order,
)
from storeapi import sql
from storeapi.errors import ValidationFailed
from storeapi.tokens import BASE58_ALPHABET

ZERO = Decimal("0")
CREDIT_SOURCES = ("store_credit", "gift_card")
_NUMBER_ALPHABET = "".join(sorted(set(BASE58_ALPHABET.upper()) - {"L"}))


def _candidate_payment_number() -> str:
    return "P" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(7))


def payment_number() -> str:
    """A payment number no payment has yet (for writes through the ORM; a precompiled insert
    draws its own with storeapi.sql.insert_numbered)."""
    for _ in range(20):
        number = _candidate_payment_number()
        if not sql.exists(Payment, number=number):
            return number
    raise RuntimeError("could not find a free payment number")


def parse_amount(value: Any, field: str = "amount") -> Decimal | None:
    """A positive money amount from JSON (number or numeric string), or None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationFailed.from_details({field: ["must be a number"]})
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed.from_details({field: ["must be a number"]}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10"):
        raise ValidationFailed.from_details({field: ["must be greater than 0"]})
    return amount.quantize(Decimal("0.01"))


def internal_method(provider: str) -> PaymentMethod:
    """The shop's own store-credit or gift-card payment method (created on first use)."""
    names = {PaymentMethod.STORE_CREDIT: "Store credit", PaymentMethod.GIFT_CARD: "Gift card"}
    method, _ = PaymentMethod.objects.get_or_create(
        provider=provider, defaults={"name": names[provider], "position": 1000}
    )
    return method


_INVALIDATE_CHECKOUT_PAYMENTS = (  # placeholders only: the credit sources are parameters
    'UPDATE "payments_payment" SET "state" = %s WHERE "order_id" = %s AND "state" = %s '  # noqa: S608
    f'AND "source_type" NOT IN ({", ".join(["%s"] * len(CREDIT_SOURCES))})'
)


def invalidate_checkout_payments(order) -> None:
    """A new way to pay replaces earlier unprocessed ones (credits stay), as Spree does."""
    params = [Payment.INVALID, order.pk, Payment.CHECKOUT, *CREDIT_SOURCES]
    sql.execute(_INVALIDATE_CHECKOUT_PAYMENTS, params)


def payment_create(
    *, order, payment_method_id: Any, amount: Any = None, metadata: dict | None = None
) -> Payment:
    """Add a payment needing no gateway session (Check) to a cart. The amount defaults to what
    is due and then follows the cart until completion. Card data in `metadata` is refused like
    in a session's external data. Raises 404 (unknown method), PaymentSessionRequired,
    PaymentMethodUnavailable, ValidationFailed."""
    from orders.selectors import cart_details_load, related_list, related_set
    from orders.services.checkout import cart_refresh, lock_cart
    from payments.services.sessions import clean_external_data  # sessions imports this module

    with transaction.atomic():
        # Access first (a CartAccess is checked here): 404 / 403. A Check payment moves no
        # money until completion: a draft change.
        order = lock_cart(order, draft=True)
        method = payment_method_offered(public_id=payment_method_id)  # 404 / unavailable
        if method.session_required:
            raise PaymentSessionRequired()
        if method.source_required:
            raise PaymentMethodUnavailable("This payment method needs a saved payment source")
        explicit = parse_amount(amount)
        metadata = clean_external_data(metadata, field="metadata")
        payment_methods_remember(order, payment_methods_list())  # the cart's answer
        # The answer is the payment, not the cart: its totals are all the refresh reads.
        cart_details_load(order, for_representation=False)
        # Payments are only added under the cart's lock: with no other way to pay loaded,
        # there is nothing to invalidate.
        others = any(p.source_type not in CREDIT_SOURCES for p in related_list(order, "payments"))
        if others:
            invalidate_checkout_payments(order)
        payment = Payment(
            order=order,
            payment_method=method,
            amount=explicit if explicit is not None else order.amount_due,
            amount_follows_total=explicit is None,
            metadata=metadata,
        )
        sql.insert_numbered(payment, field="number", generate=_candidate_payment_number)
        if others:  # states moved in the database: the payments as they are now
            related_set(order, "payments", payments_load_for_order(order))
        else:
            payments = [*related_list(order, "payments"), payment]
            related_set(order, "payments", sorted(payments, key=lambda p: p.pk))
        cart_refresh(order, rebuild_fulfillments=False)
    # The cart's payments as the refresh left them (an amount following the total moved).
    return next(p for p in order.payments.all() if p.pk == payment.pk)


def _order_payments(order) -> list[Payment] | None:
    """The order's payments as loaded with it (orders.selectors.cart_details_load), else None."""
    from orders.selectors import cart_details_loaded, related_list

    loaded = cart_details_loaded(order, in_this_transaction=True)
    return related_list(order, "payments") if loaded else None


def payments_sync_credits(*, order) -> tuple[Decimal, Decimal]:
    """Cap the cart's gift-card and store-credit payments at its total (gift card first) and
    return (store_credit_total, gift_card_total). Called by orders on every recalculation;
    keeps the order's loaded payments current."""
    loaded = _order_payments(order)
    if loaded is not None:
        credits = sorted(
            (p for p in loaded if p.state == Payment.CHECKOUT and p.source_type in CREDIT_SOURCES),
            key=lambda p: (p.source_type, p.pk),
        )
    else:
        credits = list(
            Payment.objects.filter(
                order=order, state=Payment.CHECKOUT, source_type__in=CREDIT_SOURCES
            ).order_by("source_type", "pk")  # gift_card before store_credit
        )
    room = order.total
    totals = {"store_credit": ZERO, "gift_card": ZERO}
    for payment in credits:
        wanted = payment.metadata.get("requested")
        wanted = Decimal(wanted) if wanted is not None else payment.amount
        amount = min(wanted, room)
        if amount <= 0:
            payment.delete()
            if loaded is not None:
                loaded.remove(payment)
            continue
        if amount != payment.amount:
            Payment.objects.filter(pk=payment.pk).update(amount=amount)
            payment.amount = amount
        room -= amount
        totals[payment.source_type] += amount
    return totals["store_credit"], totals["gift_card"]


def payments_follow_total(*, order) -> None:
    """Unprocessed payments created without an amount keep matching the amount due."""
    due = order.amount_due
    loaded = _order_payments(order)
    behind: list[Payment] = []
    if loaded is not None:  # the loaded payments say whether there is anything to move
        behind = [
            p
            for p in loaded
            if p.state == Payment.CHECKOUT and p.amount_follows_total and p.amount != due
        ]
        if not behind:
            return
    Payment.objects.filter(order=order, state=Payment.CHECKOUT, amount_follows_total=True).exclude(
        amount=due
    ).update(amount=due)
    for payment in behind:
        payment.amount = due


def payments_process_for_order(*, order) -> str:
    """Settle the cart's payments inside cart_complete's transaction (customer and cart rows
    already locked); return the order's payment state.

    Store credits and gift cards are captured here: their rows are locked in primary-key order
    after the cart (CONVENTIONS.md), their balance re-checked, and the movement written to the
    ledger; check constraints refuse any overspend. Check payments become pending (collected
    later). Card and wallet payments were captured by their session, outside any lock.
    Raises BalanceChanged when a credit no longer covers its payment.
    """
    loaded = _order_payments(order)
    if loaded is not None:  # the cart as loaded under its lock: states are kept current below
        payments = sorted(
            (p for p in loaded if p.state == Payment.CHECKOUT), key=lambda p: (p.created_at, p.pk)
        )
    else:
        payments = list(
            Payment.objects.filter(order=order, state=Payment.CHECKOUT).select_related(
                "payment_method"
            )
        )
    credit_ids = sorted(p.store_credit_id for p in payments if p.store_credit_id)
    card_ids = sorted(p.gift_card_id for p in payments if p.gift_card_id)
    credits, gift_cards = {}, {}
    if credit_ids:
        credits = {
            c.pk: c
            for c in StoreCredit.objects.select_for_update()
            .filter(pk__in=credit_ids)
            .order_by("pk")
        }
    if card_ids:
        gift_cards = {
            g.pk: g
            for g in GiftCard.objects.select_for_update().filter(pk__in=card_ids).order_by("pk")
        }
    now = timezone.now()
    for payment in payments:
        if payment.source_type == "store_credit":
            _capture_store_credit(payment, credits.get(payment.store_credit_id), order)
        elif payment.source_type == "gift_card":
            _capture_gift_card(payment, gift_cards.get(payment.gift_card_id), now)
        elif payment.payment_method.provider == PaymentMethod.CHECK:
            sql.update(Payment, {"state": Payment.PENDING}, pk=payment.pk)
            payment.state = Payment.PENDING
    completed = (
        [p for p in loaded if p.state == Payment.COMPLETED]
        if loaded is not None
        else Payment.objects.filter(order=order, state=Payment.COMPLETED)
    )
    paid = sum((p.amount for p in completed), ZERO)
    return "paid" if paid >= order.total else "balance_due"


def _capture_store_credit(payment: Payment, credit: StoreCredit | None, order) -> None:
    if (
        credit is None
        or credit.user_id != order.user_id
        or credit.currency != order.currency
        or credit.amount_remaining < payment.amount
    ):
        raise BalanceChanged()
    StoreCredit.objects.filter(pk=credit.pk).update(amount_used=F("amount_used") + payment.amount)
    StoreCreditEvent.objects.create(
        store_credit=credit,
        action=StoreCreditEvent.CAPTURE,
        amount=payment.amount,
        balance_after=credit.amount_remaining - payment.amount,
        order=order,
        reason=f"Order {order.number}",
    )
    Payment.objects.filter(pk=payment.pk).update(state=Payment.COMPLETED)
    payment.state = Payment.COMPLETED


def _capture_gift_card(payment: Payment, card: GiftCard | None, now) -> None:
    if (
        card is None
        or card.state != GiftCard.ACTIVE
        or card.is_expired()
        or card.amount_remaining < payment.amount
    ):
        raise BalanceChanged()
    remaining = card.amount_remaining - payment.amount
    GiftCard.objects.filter(pk=card.pk).update(
        amount_used=F("amount_used") + payment.amount,
        redeemed_at=now if remaining <= 0 else card.redeemed_at,
    )
    Payment.objects.filter(pk=payment.pk).update(state=Payment.COMPLETED)
    payment.state = Payment.COMPLETED
