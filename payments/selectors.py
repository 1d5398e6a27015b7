"""Reads of payments: methods a cart may use, whether payments cover it, and the customer's
saved methods, sessions, store credits and gift cards (always scoped to their owner)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from accounts.models import User
from payments.errors import PaymentMethodNotFound, PaymentMethodUnavailable
from payments.models import (
    CreditCard,
    GiftCard,
    Payment,
    PaymentMethod,
    PaymentSession,
    PaymentSetupSession,
    PaymentSource,
    StoreCredit,
)
from storeapi.errors import NotFound
from storeapi.ids import decode_id, get_by_public_id
from storeapi.settings_cache import settings_cached
from storeapi.sql import Select, scalar_decimal

ZERO = Decimal("0")


#: The methods payment_methods_for_order read, kept on the order instance a request serves.
_PAYMENT_METHODS_MEMO = "_payment_methods"


_AVAILABLE_METHODS = Select(
    [(PaymentMethod, "m")],
    'FROM "payments_paymentmethod" m WHERE m.is_active = %s AND m.provider NOT IN '
    f"({', '.join(['%s'] * len(PaymentMethod.INTERNAL_PROVIDERS))}) ORDER BY m.position, m.id",
)


@settings_cached(PaymentMethod)
def _active_payment_methods() -> tuple[PaymentMethod, ...]:
    return tuple(
        method for (method,) in _AVAILABLE_METHODS.all([True, *PaymentMethod.INTERNAL_PROVIDERS])
    )


def payment_methods_list(*, order=None) -> list[PaymentMethod]:
    """Active methods a shopper can choose, as staff ordered them (credits are applied apart).
    Every cart answer lists them, so they are read in one precompiled query (storeapi/sql.py)
    and kept a few seconds in the process (storeapi/settings_cache.py: a method staff switch
    off may still be offered, and accepted, for that long by another process). The instances
    are shared: read-only."""
    return list(_active_payment_methods())


def payment_methods_for_order(order) -> list[PaymentMethod]:
    """payment_methods_list, read once per order instance (a request's)."""
    methods = order.__dict__.get(_PAYMENT_METHODS_MEMO)
    if methods is None:
        methods = order.__dict__[_PAYMENT_METHODS_MEMO] = payment_methods_list(order=order)
    return methods


def payment_methods_remember(order, methods: list[PaymentMethod]) -> None:
    """Hand the list this request already read to the order instance it works on."""
    order.__dict__[_PAYMENT_METHODS_MEMO] = methods


#: Payment foreign keys a payment's representation reads, and the model each points at.
_PAYMENT_RELATIONS = {
    "payment_method": PaymentMethod,
    "credit_card": CreditCard,
    "payment_source": PaymentSource,
    "store_credit": StoreCredit,
    "gift_card": GiftCard,
}


_ORDER_PAYMENTS = Select(
    [(Payment, "p"), (PaymentMethod, "m")],
    'FROM "payments_payment" p INNER JOIN "payments_paymentmethod" m '
    "ON m.id = p.payment_method_id WHERE p.order_id = %s ORDER BY p.id",
)


def payments_load_for_order(order) -> list[Payment]:
    """The order's payments by primary key, each with the order, its method (read with them,
    or the instance payment_methods_for_order already read for this order) and its source
    set: each kind of source in one query, only for the kinds used. What select_related of
    them would read."""
    fields = {name: Payment._meta.get_field(name) for name in ("order", *_PAYMENT_RELATIONS)}
    known = {m.pk: m for m in order.__dict__.get(_PAYMENT_METHODS_MEMO) or ()}
    payments = []
    for payment, method in _ORDER_PAYMENTS.all([order.pk]):
        fields["order"].set_cached_value(payment, order)
        fields["payment_method"].set_cached_value(payment, known.get(method.pk, method))
        payments.append(payment)
    if not payments:
        return payments
    for name, model in _PAYMENT_RELATIONS.items():
        if model is PaymentMethod:
            continue
        wanted = {getattr(p, f"{name}_id") for p in payments} - {None}
        if not wanted:
            continue
        found = {row.pk: row for row in model._base_manager.filter(pk__in=wanted).order_by()}
        for payment in payments:
            row = found.get(getattr(payment, f"{name}_id"))
            if row is not None:
                fields[name].set_cached_value(payment, row)
    return payments


def payment_method_offered(*, public_id: object) -> PaymentMethod:
    """The method `public_id` names if a shopper may choose it now (one of
    payment_methods_list: no query when the process's copy is warm). An unknown id is 404;
    a known method that is not offered (inactive, internal) is PaymentMethodUnavailable."""
    pk = decode_id(public_id, "pm")
    method = next((m for m in payment_methods_list() if m.pk == pk), None) if pk else None
    if method is None:
        payment_method_get(public_id=public_id)  # unknown: 404
        raise PaymentMethodUnavailable()
    return method


def payment_method_get(*, public_id: object) -> PaymentMethod:
    """Any payment method by `pm_` id (active or not: the caller decides), else 404."""
    pk = decode_id(public_id, "pm")
    # No ORDER BY for a primary-key lookup (its compilation is most of the query's cost).
    method = next(iter(PaymentMethod.objects.filter(pk=pk).order_by()[:1]), None) if pk else None
    if method is None:
        raise PaymentMethodNotFound()
    return method


def payments_cover_order(order) -> bool:
    """The valid payments (prefetched `payments`, credits excluded) cover the amount due."""
    due = order.amount_due
    if due <= 0:
        return True
    covered = sum(
        (
            p.amount
            for p in order.payments.all()
            if p.state in Payment.VALID_STATES
            and p.source_type not in ("store_credit", "gift_card")
        ),
        ZERO,
    )
    return covered >= due


# --- saved methods ---------------------------------------------------------------------------


def credit_cards_for_customer(*, user: User) -> QuerySet[CreditCard]:
    """The customer's saved cards, default first, then newest."""
    return CreditCard.objects.filter(user=user).order_by("-is_default", "-created_at", "-pk")


def credit_card_get_for_customer(*, user: User, public_id: object) -> CreditCard:
    return get_by_public_id(
        credit_cards_for_customer(user=user),
        public_id,
        "card",
        not_found=NotFound("Credit card not found"),
    )


def payment_sources_for_customer(*, user: User) -> QuerySet[PaymentSource]:
    return (
        PaymentSource.objects.filter(user=user)
        .select_related("payment_method")
        .order_by("-is_default", "-created_at", "-pk")
    )


def payment_source_get_for_customer(*, user: User, public_id: object) -> PaymentSource:
    return get_by_public_id(
        payment_sources_for_customer(user=user),
        public_id,
        "ps",
        not_found=NotFound("Payment source not found"),
    )


# --- sessions --------------------------------------------------------------------------------


def payment_session_get_for_cart(*, order, session_id: str) -> PaymentSession:
    """A payment session of this cart by `ps_` id or the provider's external id, else 404."""
    sessions = PaymentSession.objects.filter(order=order).select_related(
        "payment_method", "payment__payment_method", "order"
    )
    pk = decode_id(session_id, "ps")
    session = sessions.filter(pk=pk).first() if pk else None
    if session is None:
        session = sessions.filter(external_id=session_id).first()
    if session is None:
        raise NotFound("Payment session not found")
    return session


def setup_session_get_for_customer(*, user: User, public_id: object) -> PaymentSetupSession:
    return get_by_public_id(
        PaymentSetupSession.objects.filter(user=user).select_related(
            "payment_method", "credit_card", "payment_source"
        ),
        public_id,
        "pss",
        not_found=NotFound("Payment setup session not found"),
    )


# --- balances --------------------------------------------------------------------------------


def store_credits_for_customer(*, user: User, currency: str) -> QuerySet[StoreCredit]:
    """The customer's store credits in the current currency, oldest first (spent first)."""
    return StoreCredit.objects.filter(user=user, currency=currency).order_by("created_at", "pk")


def store_credit_get_for_customer(*, user: User, currency: str, public_id: object) -> StoreCredit:
    """One store credit of the customer in the current currency (another currency is 404)."""
    return get_by_public_id(
        store_credits_for_customer(user=user, currency=currency),
        public_id,
        "credit",
        not_found=NotFound("Store credit not found"),
    )


# The customer profile reads it as a subquery of its one statement (customers.selectors):
# `{user_id}` is the SQL of the customer's id there, a placeholder here.
STORE_CREDIT_AVAILABLE_SQL = (
    'SELECT SUM("amount" - "amount_used" - "amount_authorized") '
    'FROM "payments_storecredit" WHERE "user_id" = {user_id} AND "currency" = %s'
)
_STORE_CREDIT_TOTAL_SQL = STORE_CREDIT_AVAILABLE_SQL.format(user_id="%s")


def store_credit_available_total(*, user: User, currency: str) -> Decimal:
    """What the customer can still spend in `currency` (one aggregate query, precompiled: it
    is part of every customer profile answer, see storeapi/sql.py)."""
    total = scalar_decimal(_STORE_CREDIT_TOTAL_SQL, [user.pk, currency], decimal_places=2)
    return total if total is not None else ZERO


def gift_cards_for_customer(*, user: User) -> QuerySet[GiftCard]:
    """Gift cards assigned to the customer, newest first."""
    return GiftCard.objects.filter(user=user).order_by("-created_at", "-pk")


def gift_card_get_for_customer(*, user: User, public_id: object) -> GiftCard:
    from payments.errors import GiftCardNotFound

    return get_by_public_id(
        gift_cards_for_customer(user=user), public_id, "gc", not_found=GiftCardNotFound()
    )


def gift_card_find_by_code(code: object) -> GiftCard | None:
    """A gift card by code, matched case-insensitively (spaces and dashes ignored)."""
    if not isinstance(code, str):
        return None
    normalized = code.strip().replace("-", "").replace(" ", "").lower()
    if not normalized or len(normalized) > 32:
        return None
    return GiftCard.objects.filter(code=normalized).first()


def payments_export(*, user: User) -> dict:
    """The customer's saved cards and wallets, store credits and gift cards, for the export."""
    return {
        "credit_cards": [
            {
                "id": card.public_id,
                "brand": card.brand,
                "last4": card.last4,
                "month": card.month,
                "year": card.year,
                "name": card.name,
                "default": card.is_default,
                "created_at": card.created_at.isoformat(),
            }
            for card in CreditCard.objects.filter(user=user).order_by("pk")
        ],
        "payment_sources": [
            {
                "id": source.public_id,
                "type": source.type,
                "label": source.label,
                "default": source.is_default,
                "created_at": source.created_at.isoformat(),
            }
            for source in PaymentSource.objects.filter(user=user).order_by("pk")
        ],
        "store_credits": [
            {
                "id": credit.public_id,
                "currency": credit.currency,
                "amount": str(credit.amount),
                "amount_used": str(credit.amount_used),
                "memo": credit.memo,
                "created_at": credit.created_at.isoformat(),
            }
            for credit in StoreCredit.objects.filter(user=user).order_by("pk")
        ],
        "gift_cards": [
            {
                "id": card.public_id,
                "code": card.code.upper(),
                "currency": card.currency,
                "amount": str(card.amount),
                "amount_used": str(card.amount_used),
                "status": card.status,
            }
            for card in GiftCard.objects.filter(user=user).order_by("pk")
        ],
    }
