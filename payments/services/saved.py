"""Saved payment methods: cards and payment sources, one default of each per customer."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from payments.gateways.base import CardDetails, WalletDetails
from payments.models import CreditCard, PaymentMethod, PaymentSource

SavedMethod = CreditCard | PaymentSource


def _lock_customer(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()


def _forget(model: type[SavedMethod], *, pk: int, user: User) -> None:
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


def saved_method_delete(*, user: User, method: SavedMethod) -> None:
    """Forget a saved card or payment source; if it was the default, the most recent remaining
    one of its kind is promoted. One that paid for an order is detached from the customer
    instead of deleted."""
    model = type(method)
    with transaction.atomic():
        _lock_customer(user)
        was_default = method.is_default
        _forget(model, pk=method.pk, user=user)
        if was_default:
            latest = model.objects.filter(user=user).order_by("-created_at", "-pk").first()
            if latest:
                model.objects.filter(pk=latest.pk).update(is_default=True)


def saved_method_make_default(*, user: User, method: SavedMethod) -> None:
    """Make a saved card or payment source the customer's default of its kind (one default
    card and one default payment source per customer)."""
    model = type(method)
    with transaction.atomic():
        _lock_customer(user)
        model.objects.filter(user=user, is_default=True).update(is_default=False)
        model.objects.filter(pk=method.pk, user=user).update(is_default=True)


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
