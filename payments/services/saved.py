"""Saved payment methods: cards and payment sources, one default of each per customer."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from payments.gateways.base import CardDetails, WalletDetails
from payments.models import CreditCard, PaymentMethod, PaymentSource


def _lock_customer(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()


def _forget(model: type[CreditCard] | type[PaymentSource], *, pk: int, user: User) -> None:
    """Delete a saved method; one that paid for something is only detached from its owner
    (the payments keep their source, as Spree's soft delete does)."""
    rows = model.objects.filter(pk=pk, user=user)
    if rows.filter(payments__isnull=False).exists():
        rows.update(user=None, is_default=False)
    else:
        rows.delete()


def credit_card_save(*, user: User | None, method: PaymentMethod, card: CardDetails) -> CreditCard:
    """Keep a tokenised card (brand, last four, expiry, name, gateway ids only). A customer's
    first card becomes their default. Guests' cards are kept only for the payment record."""
    with transaction.atomic():
        is_default = False
        if user is not None:
            _lock_customer(user)
            is_default = not CreditCard.objects.filter(user=user, is_default=True).exists()
        return CreditCard.objects.create(
            user=user,
            payment_method=method,
            brand=card.brand,
            last4=card.last4,
            month=card.month,
            year=card.year,
            name=card.name,
            gateway_payment_profile_id=card.gateway_payment_profile_id,
            gateway_customer_profile_id=card.gateway_customer_profile_id,
            is_default=is_default,
        )


def payment_source_save(
    *, user: User, method: PaymentMethod, wallet: WalletDetails
) -> PaymentSource:
    """Keep a wallet (PayPal-like) for the customer; their first becomes the default."""
    with transaction.atomic():
        _lock_customer(user)
        is_default = not PaymentSource.objects.filter(user=user, is_default=True).exists()
        return PaymentSource.objects.create(
            user=user,
            payment_method=method,
            type=wallet.type,
            label=wallet.label,
            gateway_payment_profile_id=wallet.gateway_payment_profile_id,
            is_default=is_default,
        )


def credit_card_delete(*, user: User, card: CreditCard) -> None:
    """Forget a saved card; if it was the default, the most recent remaining card is promoted.
    A card that paid for an order is detached from the customer instead of deleted."""
    with transaction.atomic():
        _lock_customer(user)
        was_default = card.is_default
        _forget(CreditCard, pk=card.pk, user=user)
        if was_default:
            latest = CreditCard.objects.filter(user=user).order_by("-created_at", "-pk").first()
            if latest:
                CreditCard.objects.filter(pk=latest.pk).update(is_default=True)


def credit_card_make_default(*, user: User, card: CreditCard) -> None:
    with transaction.atomic():
        _lock_customer(user)
        CreditCard.objects.filter(user=user, is_default=True).update(is_default=False)
        CreditCard.objects.filter(pk=card.pk, user=user).update(is_default=True)


def payment_source_delete(*, user: User, source: PaymentSource) -> None:
    """Forget a saved payment source; a default is handed to the most recent remaining one."""
    with transaction.atomic():
        _lock_customer(user)
        was_default = source.is_default
        _forget(PaymentSource, pk=source.pk, user=user)
        if was_default:
            latest = PaymentSource.objects.filter(user=user).order_by("-created_at", "-pk").first()
            if latest:
                PaymentSource.objects.filter(pk=latest.pk).update(is_default=True)


def payment_source_make_default(*, user: User, source: PaymentSource) -> None:
    with transaction.atomic():
        _lock_customer(user)
        PaymentSource.objects.filter(user=user, is_default=True).update(is_default=False)
        PaymentSource.objects.filter(pk=source.pk, user=user).update(is_default=True)


def saved_methods_forget_for_customer(*, user: User) -> None:
    """Account closing: every saved card and wallet is deleted, or detached (with the holder's
    name erased) where it paid for an order; pending setup sessions go too."""
    from payments.models import PaymentSetupSession

    for card_pk in CreditCard.objects.filter(user=user).values_list("pk", flat=True):
        _forget(CreditCard, pk=card_pk, user=user)
    CreditCard.objects.filter(payments__order__user=user).update(name="")
    for source_pk in PaymentSource.objects.filter(user=user).values_list("pk", flat=True):
        _forget(PaymentSource, pk=source_pk, user=user)
    PaymentSetupSession.objects.filter(user=user).delete()
