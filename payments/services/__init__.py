"""Writes of payments, split by sub-domain: `cart_payments` (payments on a cart and their
processing at completion), `sessions` (gateway payment and setup sessions), `saved` (cards and
payment sources), `balances` (store credit and gift cards)."""

from payments.services.cart_payments import (
    payment_create,
    payments_follow_total,
    payments_process_for_order,
    payments_sync_credits,
)

__all__ = [
    "payment_create",
    "payments_follow_total",
    "payments_process_for_order",
    "payments_sync_credits",
]
