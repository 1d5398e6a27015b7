"""Writes of payments on a cart. Issue 5 puts gateways behind `payments_process_for_order`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from payments.errors import PaymentMethodUnavailable, PaymentSessionRequired
from payments.models import Payment, PaymentMethod
from payments.selectors import payment_method_get, payment_methods_available
from storeapi.errors import ValidationFailed
from storeapi.tokens import BASE58_ALPHABET


def _payment_number() -> str:
    import secrets

    alphabet = BASE58_ALPHABET.upper().replace("L", "")
    for _ in range(20):
        number = "P" + "".join(secrets.choice(alphabet) for _ in range(7))
        if not Payment.objects.filter(number=number).exists():
            return number
    raise RuntimeError("could not find a free payment number")


def _amount(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationFailed.from_details({"amount": ["must be a number"]})
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed.from_details({"amount": ["must be a number"]}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10"):
        raise ValidationFailed.from_details({"amount": ["must be greater than 0"]})
    return amount.quantize(Decimal("0.01"))


def payment_create(
    *, order, payment_method_id: Any, amount: Any = None, metadata: dict | None = None
) -> Payment:
    """Add a payment to a cart. The amount defaults to what is due and then follows the cart's
    total until completion. Earlier unprocessed payments are invalidated, as Spree does.
    Raises 404 (unknown method), PaymentSessionRequired, PaymentMethodUnavailable."""
    from orders.services.checkout import cart_refresh, lock_cart

    method = payment_method_get(public_id=payment_method_id)
    if not payment_methods_available(order=order).filter(pk=method.pk).exists():
        raise PaymentMethodUnavailable()
    if method.session_required:
        raise PaymentSessionRequired()
    if method.source_required:
        raise PaymentMethodUnavailable("This payment method needs a saved payment source")
    explicit = _amount(amount)
    with transaction.atomic():
        order = lock_cart(order)
        Payment.objects.filter(order=order, state=Payment.CHECKOUT).update(state=Payment.INVALID)
        payment = Payment.objects.create(
            order=order,
            payment_method=method,
            number=_payment_number(),
            amount=explicit if explicit is not None else order.amount_due,
            amount_follows_total=explicit is None,
            metadata=metadata or {},
        )
        cart_refresh(order, rebuild_fulfillments=False)
    payment.refresh_from_db()
    return payment


def payments_follow_total(*, order) -> None:
    """Unprocessed payments created without an amount keep matching the amount due."""
    Payment.objects.filter(order=order, state=Payment.CHECKOUT, amount_follows_total=True).exclude(
        amount=order.amount_due
    ).update(amount=order.amount_due)


def payments_process_for_order(*, order) -> str:
    """Process the cart's payments at completion; returns the order's payment state.

    A Check payment is accepted for later collection (pending): the order has a balance due.
    """
    payments = list(
        Payment.objects.filter(order=order, state=Payment.CHECKOUT).select_related("payment_method")
    )
    for payment in payments:
        if payment.payment_method.provider == PaymentMethod.CHECK:
            Payment.objects.filter(pk=payment.pk).update(state=Payment.PENDING)
    paid = sum(
        (p.amount for p in Payment.objects.filter(order=order, state=Payment.COMPLETED)),
        Decimal("0"),
    )
    if order.amount_due <= 0 or paid >= order.amount_due:
        return "paid"
    return "balance_due"
