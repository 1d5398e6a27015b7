"""Store credit and gift cards: staff grant and adjust them; shoppers apply them to a cart.

Applying only plans the spend (a checkout payment per credit); the balance moves when the cart
completes, under row locks (cart_payments.payments_process_for_order), so two carts spending
one balance at once can never take more than it holds.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from payments.errors import (
    GiftCardAlreadyRedeemed,
    GiftCardExpired,
    GiftCardNotFound,
    NoStoreCredit,
)
from payments.models import (
    GiftCard,
    GiftCardBatch,
    Payment,
    PaymentMethod,
    StoreCredit,
    StoreCreditCategory,
    StoreCreditEvent,
)
from payments.selectors import gift_card_find_by_code, store_credits_for_customer
from payments.services.cart_payments import internal_method, parse_amount, payment_number
from storeapi.errors import ProcessingError, ValidationFailed

ZERO = Decimal("0")


# --- staff -----------------------------------------------------------------------------------


def store_credit_grant(
    *,
    user,
    amount: Decimal,
    currency: str,
    category: str = "Goodwill",
    memo: str = "",
    created_by=None,
) -> StoreCredit:
    """Give a customer store credit, written to the ledger. Raises ValidationFailed."""
    if amount is None or Decimal(amount) <= 0:
        raise ValidationFailed.from_details({"amount": ["must be greater than 0"]})
    with transaction.atomic():
        category_row, _ = StoreCreditCategory.objects.get_or_create(name=category)
        credit = StoreCredit.objects.create(
            user=user,
            category=category_row,
            created_by=created_by,
            currency=currency.upper(),
            amount=Decimal(amount),
            memo=memo,
        )
        StoreCreditEvent.objects.create(
            store_credit=credit,
            action=StoreCreditEvent.ALLOCATION,
            amount=credit.amount,
            balance_after=credit.amount,
            created_by=created_by,
            reason=memo,
        )
    return credit


def store_credit_adjust(
    *, store_credit: StoreCredit, amount: Decimal, reason: str, created_by=None
) -> StoreCredit:
    """Set a credit's total amount (staff correction). It can never drop below what is already
    used or authorized. Raises ValidationFailed."""
    with transaction.atomic():
        credit = StoreCredit.objects.select_for_update().get(pk=store_credit.pk)
        amount = Decimal(amount)
        if amount < credit.amount_used + credit.amount_authorized:
            raise ValidationFailed.from_details(
                {"amount": ["can't be less than the amount already used"]}
            )
        delta = amount - credit.amount
        credit.amount = amount
        credit.save(update_fields=["amount", "updated_at"])
        StoreCreditEvent.objects.create(
            store_credit=credit,
            action=StoreCreditEvent.ADJUSTMENT,
            amount=delta,
            balance_after=credit.amount_remaining,
            created_by=created_by,
            reason=reason,
        )
    return credit


def gift_card_code() -> str:
    return secrets.token_hex(8)  # 16 hex characters, stored lower case


def gift_card_create(
    *,
    amount: Decimal,
    currency: str,
    user=None,
    expires_at: date | None = None,
    batch: GiftCardBatch | None = None,
    created_by=None,
) -> GiftCard:
    """Issue one gift card with a fresh code."""
    if Decimal(amount) <= 0:
        raise ValidationFailed.from_details({"amount": ["must be greater than 0"]})
    for _ in range(10):
        try:
            with transaction.atomic():
                return GiftCard.objects.create(
                    code=gift_card_code(),
                    amount=Decimal(amount),
                    currency=currency.upper(),
                    user=user,
                    expires_at=expires_at,
                    batch=batch,
                    created_by=created_by,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not generate a unique gift card code")


def gift_card_batch_generate(
    *,
    name: str,
    codes_count: int,
    amount: Decimal,
    currency: str,
    expires_at: date | None = None,
    created_by=None,
) -> GiftCardBatch:
    """Generate a batch of gift cards in one transaction."""
    if not 1 <= codes_count <= 10_000:
        raise ValidationFailed.from_details({"codes_count": ["must be between 1 and 10000"]})
    with transaction.atomic():
        batch = GiftCardBatch.objects.create(
            name=name,
            codes_count=codes_count,
            amount=Decimal(amount),
            currency=currency.upper(),
            expires_at=expires_at,
            created_by=created_by,
        )
        for _ in range(codes_count):
            gift_card_create(
                amount=amount,
                currency=currency,
                expires_at=expires_at,
                batch=batch,
                created_by=created_by,
            )
    return batch


# --- on a cart -------------------------------------------------------------------------------


def store_credit_apply(*, cart, user, amount: Any = None):
    """Spend the customer's store credit on their own cart: `amount`, or as much as covers the
    cart. Only the cart's owner may (as Spree, the credit is the order user's; a guest cart or
    someone else's cart reached with its token has none). Raises NoStoreCredit (422
    processing_error) or ValidationFailed."""
    from orders.services.checkout import cart_refresh, lock_cart

    wanted = parse_amount(amount)
    with transaction.atomic():
        cart = lock_cart(cart)
        if cart.user_id is None or cart.user_id != user.pk:
            raise NoStoreCredit()
        Payment.objects.filter(
            order=cart, state=Payment.CHECKOUT, source_type="store_credit"
        ).delete()
        credits = [
            c
            for c in store_credits_for_customer(user=user, currency=cart.currency)
            if c.amount_remaining > 0
        ]
        available = sum((c.amount_remaining for c in credits), ZERO)
        if available <= 0:
            raise NoStoreCredit()
        room = cart.total - cart.gift_card_total
        target = min(wanted if wanted is not None else room, available, room)
        if target <= 0:
            raise ProcessingError("The cart has nothing left to pay with store credit")
        method = internal_method(PaymentMethod.STORE_CREDIT)
        for credit in credits:
            if target <= 0:
                break
            portion = min(credit.amount_remaining, target)
            Payment.objects.create(
                order=cart,
                payment_method=method,
                number=payment_number(),
                amount=portion,
                source_type="store_credit",
                store_credit=credit,
                metadata={"requested": str(portion)},
            )
            target -= portion
        cart_refresh(cart, rebuild_fulfillments=False)
    return cart


def store_credit_remove(*, cart):
    """Stop spending store credit on the cart (nothing to remove is fine)."""
    from orders.services.checkout import cart_refresh, lock_cart

    with transaction.atomic():
        cart = lock_cart(cart)
        Payment.objects.filter(
            order=cart, state=Payment.CHECKOUT, source_type="store_credit"
        ).delete()
        cart_refresh(cart, rebuild_fulfillments=False)
    return cart


def gift_card_apply(*, cart, code: Any):
    """Redeem a gift card on the cart (one per cart; a new one replaces it). Unknown (or
    another customer's) → 404 gift_card_not_found; expired → 422 gift_card_expired; used up
    or canceled → 422 gift_card_already_redeemed; another currency → 422 processing_error."""
    from orders.services.checkout import cart_refresh, lock_cart

    card = gift_card_find_by_code(code)
    if card is None or (card.user_id is not None and card.user_id != cart.user_id):
        raise GiftCardNotFound()
    if card.is_expired():
        raise GiftCardExpired()
    if card.state != GiftCard.ACTIVE or card.amount_remaining <= 0:
        raise GiftCardAlreadyRedeemed()
    if card.currency != cart.currency:
        raise ProcessingError("The Gift Card is in another currency than the cart")
    with transaction.atomic():
        cart = lock_cart(cart)
        Payment.objects.filter(order=cart, state=Payment.CHECKOUT, source_type="gift_card").delete()
        amount = min(card.amount_remaining, cart.total)
        if amount > 0:
            Payment.objects.create(
                order=cart,
                payment_method=internal_method(PaymentMethod.GIFT_CARD),
                number=payment_number(),
                amount=amount,
                source_type="gift_card",
                gift_card=card,
                metadata={"requested": str(card.amount_remaining)},
            )
        cart_refresh(cart, rebuild_fulfillments=False)
    return cart


def gift_card_remove(*, cart):
    """Take the gift card off the cart (nothing to remove is fine)."""
    from orders.services.checkout import cart_refresh, lock_cart

    with transaction.atomic():
        cart = lock_cart(cart)
        Payment.objects.filter(order=cart, state=Payment.CHECKOUT, source_type="gift_card").delete()
        cart_refresh(cart, rebuild_fulfillments=False)
    return cart


def gift_card_cancel(*, gift_card: GiftCard) -> GiftCard:
    """Staff: cancel a gift card; it can no longer be applied."""
    GiftCard.objects.filter(pk=gift_card.pk).update(state=GiftCard.CANCELED)
    gift_card.refresh_from_db()
    return gift_card
