"""Reads of payments: methods a cart may use and whether its payments cover it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from payments.errors import PaymentMethodNotFound
from payments.models import Payment, PaymentMethod
from storeapi.ids import decode_id


def payment_methods_available(*, order=None) -> QuerySet[PaymentMethod]:
    """Active payment methods, in the order staff arranged them."""
    return PaymentMethod.objects.filter(is_active=True).order_by("position", "pk")


def payment_method_get(*, public_id: object) -> PaymentMethod:
    """Any payment method by `pm_` id (active or not: the caller decides), else 404."""
    pk = decode_id(public_id, "pm")
    method = PaymentMethod.objects.filter(pk=pk).first() if pk else None
    if method is None:
        raise PaymentMethodNotFound()
    return method


def payments_cover_order(order) -> bool:
    """The valid payments (uses prefetched `payments`) cover what is due after credits."""
    due = order.amount_due
    if due <= 0:
        return True
    covered = sum(
        (p.amount for p in order.payments.all() if p.state in Payment.VALID_STATES),
        Decimal("0"),
    )
    return covered >= due
