"""Gateway sessions: paying a cart (payment sessions) and saving a method (setup sessions).

Each gateway call runs with no row lock held: the session is first claimed with a conditional
update (pending → processing), so a duplicate call cannot charge twice, then the gateway is
called, then the outcome is written in one short transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from payments.errors import GatewayError, PaymentMethodUnavailable
from payments.gateways import gateway_for
from payments.gateways.base import SENSITIVE_KEYS, CardDetails, GatewayDeclined, WalletDetails
from payments.models import (
    CreditCard,
    Payment,
    PaymentMethod,
    PaymentSession,
    PaymentSetupSession,
    PaymentSource,
)
from payments.selectors import payment_method_offered
from payments.services.cart_payments import (
    invalidate_checkout_payments,
    parse_amount,
    payment_number,
)
from payments.services.saved import credit_card_save, payment_source_save
from storeapi.errors import NotFound, ProcessingError, ValidationFailed
from storeapi.ids import decode_id

_SEPARATORS = re.compile(r"[\s_\-.\[\]]")
#: 13-19 digits starting 2-6 (the card networks' ranges; not a Unix timestamp), spaces or dashes
#: allowed between them, not part of a longer number.
_CARD_LIKE = re.compile(r"(?<!\d)[2-6](?:[ -]?\d){12,18}(?!\d)")


def _is_sensitive_key(key: object) -> bool:
    return _SEPARATORS.sub("", str(key)).lower() in SENSITIVE_KEYS


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _holds_card_number(value: object) -> bool:
    """A string or number holding what looks like a card number (see `_CARD_LIKE`) that passes
    the Luhn check: a card number under an innocent key."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    for match in _CARD_LIKE.finditer(str(value)):
        digits = re.sub(r"[ -]", "", match.group())
        if _luhn_valid(digits):
            return True
    return False


def clean_external_data(value: Any, field: str = "external_data") -> dict[str, Any]:
    """Provider data from the client. Raw card numbers and security codes are refused: by key
    (`number`, `cvv`, `cardNumber`...) or by value (a Luhn-valid 13-19 digit number)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed.from_details({field: ["must be an object"]})

    def refuse() -> None:
        raise ValidationFailed.from_details(
            {field: ["must not contain card numbers or security codes"]}
        )

    def walk(data: Any) -> None:
        if isinstance(data, dict):
            for key, item in data.items():
                if _is_sensitive_key(key) or _holds_card_number(key):
                    refuse()
                walk(item)
        elif isinstance(data, list):
            for item in data:
                walk(item)
        elif _holds_card_number(data):
            refuse()

    walk(value)
    return value


def _session_method(public_id: Any) -> PaymentMethod:
    """A method a shopper may choose (payment_method_offered) that has a gateway."""
    method = payment_method_offered(public_id=public_id)
    if gateway_for(method.provider) is None:
        raise PaymentMethodUnavailable()
    return method


def _stored(external_data: dict[str, Any]) -> dict[str, Any]:
    """What we keep of the client's provider data: never the one-time card token."""
    return {k: v for k, v in external_data.items() if k not in ("token",)}


# --- payment sessions ------------------------------------------------------------------------


def payment_session_create(
    *, cart, payment_method_id: Any, amount: Any = None, external_data: Any = None
) -> PaymentSession:
    """Open a session at the method's gateway for the amount due (or `amount`). Raises 404,
    PaymentMethodUnavailable, ProcessingError (nothing to pay), ValidationFailed."""
    method = _session_method(payment_method_id)
    data = clean_external_data(external_data)
    value = parse_amount(amount) or cart.amount_due
    if value <= 0:
        raise ProcessingError("The cart has nothing left to pay")
    state = gateway_for(method.provider).create_payment_session(
        amount=value, currency=cart.currency, external_data=data
    )
    return PaymentSession.objects.create(
        order=cart,
        payment_method=method,
        currency=cart.currency,
        amount=value,
        external_id=state.external_id,
        external_data={**_stored(data), **state.external_data},
        customer_external_id=state.customer_external_id,
    )


def payment_session_update(
    *, session: PaymentSession, amount: Any = None, external_data: Any = None
) -> PaymentSession:
    """Change a pending session's amount or provider data."""
    if session.status != PaymentSession.PENDING:
        raise ProcessingError("Only a pending payment session can be changed")
    data = clean_external_data(external_data)
    value = parse_amount(amount) or session.amount
    state = gateway_for(session.payment_method.provider).update_payment_session(
        external_id=session.external_id, amount=value, external_data=data
    )
    external = {**session.external_data, **_stored(data), **state.external_data}
    # Conditional: a completion that claimed the session meanwhile keeps the amount it charged.
    changed = PaymentSession.objects.filter(pk=session.pk, status=PaymentSession.PENDING).update(
        amount=value, external_data=external, updated_at=timezone.now()
    )
    if not changed:
        raise ProcessingError("Only a pending payment session can be changed")
    session.refresh_from_db()
    return session


def _saved_source(
    cart, method: PaymentMethod, data: dict[str, Any]
) -> CreditCard | PaymentSource | None:
    """A saved card or wallet named in `external_data`: only its owner's cart may use it, and
    only through the payment method (gateway) that saved it."""
    for key, model, prefix in (
        ("credit_card_id", CreditCard, "card"),
        ("payment_source_id", PaymentSource, "ps"),
    ):
        if data.get(key):
            pk = decode_id(data[key], prefix)
            source = (
                model.objects.filter(pk=pk, user_id=cart.user_id, payment_method=method).first()
                if pk and cart.user_id
                else None
            )
            if source is None:
                raise NotFound("Payment source not found")
            return source
    return None


def _claim(session: PaymentSession | PaymentSetupSession) -> bool:
    """Claim a pending session for its gateway call (pending → processing, conditional): a
    duplicate call, or one that lost the race, claims nothing and charges nothing."""
    model = type(session)
    pending = model.objects.filter(pk=session.pk, status=model.PENDING)
    return bool(pending.update(status=model.PROCESSING))


@contextmanager
def _gateway_call(session: PaymentSession | PaymentSetupSession) -> Iterator[None]:
    """Around the gateway call of a claimed session: a decline fails the session (422
    gateway_error); any other error hands it back as pending, to be tried again."""
    model = type(session)
    try:
        yield
    except GatewayDeclined as exc:
        model.objects.filter(pk=session.pk).update(status=model.FAILED)
        raise GatewayError(exc.message) from None
    except Exception:
        model.objects.filter(pk=session.pk).update(status=model.PENDING)
        raise


def payment_session_complete(
    *, session: PaymentSession, external_data: Any = None, session_result: Any = None
) -> PaymentSession:
    """Charge through the gateway and record the payment. Completing twice returns the
    session as it is. A decline marks the session failed and raises 422 gateway_error; no
    payment is recorded then. A charge that cannot be recorded is refunded (or voided) and the
    session failed."""
    from orders.services.checkout import cart_refresh, lock_cart

    if session.status in (PaymentSession.COMPLETED, PaymentSession.PROCESSING):
        return session
    if session.status != PaymentSession.PENDING:
        raise ProcessingError(f"The payment session is {session.status}")
    data = {**session.external_data, **clean_external_data(external_data)}
    cart = session.order
    saved = _saved_source(cart, session.payment_method, data)
    if not _claim(session):
        session.refresh_from_db()
        return session
    with _gateway_call(session):
        charge = gateway_for(session.payment_method.provider).complete_payment_session(
            external_id=session.external_id,
            amount=session.amount,
            currency=session.currency,
            external_data=data,
            saved_profile_id=saved.gateway_payment_profile_id if saved else None,
        )

    save_for_later = bool(data.get("save_payment_method") or data.get("save_card"))
    try:
        with transaction.atomic():
            cart = lock_cart(cart)
            source_type, source = _record_source(
                cart, session.payment_method, saved, charge, save_for_later
            )
            invalidate_checkout_payments(cart)
            payment = Payment.objects.create(
                order=cart,
                payment_method=session.payment_method,
                number=payment_number(),
                amount=session.amount,
                state=Payment.COMPLETED if charge.captured else Payment.PENDING,
                response_code=charge.response_code,
                source_type=source_type,
                **({source_type: source} if source is not None else {}),
            )
            PaymentSession.objects.filter(pk=session.pk).update(
                status=PaymentSession.COMPLETED, payment=payment, external_data=_stored(data)
            )
            cart_refresh(cart, rebuild_fulfillments=False)
    except Exception:
        # Charged but not recorded (the cart was completed or deleted meanwhile): give the
        # money back, after the rollback so no lock is held, and fail the session.
        _release_charge(session, charge)
        raise
    session.refresh_from_db()
    return session


def _release_charge(session: PaymentSession, charge) -> None:
    gateway = gateway_for(session.payment_method.provider)
    try:
        if charge.captured:
            gateway.refund(response_code=charge.response_code, amount=session.amount)
        else:
            gateway.void(response_code=charge.response_code)
    finally:
        PaymentSession.objects.filter(pk=session.pk).update(status=PaymentSession.FAILED)


def _record_source(cart, method, saved, charge, save_for_later: bool):
    owner = User.objects.filter(pk=cart.user_id).first() if cart.user_id else None
    if saved is not None:
        return ("credit_card" if isinstance(saved, CreditCard) else "payment_source"), saved
    if isinstance(charge.card, CardDetails):
        user = owner if save_for_later else None
        return "credit_card", credit_card_save(user=user, method=method, card=charge.card)
    if isinstance(charge.wallet, WalletDetails) and owner is not None and save_for_later:
        return "payment_source", payment_source_save(
            user=owner, method=method, wallet=charge.wallet
        )
    return "", None


# --- setup sessions --------------------------------------------------------------------------


def setup_session_create(
    *, user: User, payment_method_id: Any, external_data: Any = None
) -> PaymentSetupSession:
    """Start saving a card or wallet at the method's gateway."""
    method = _session_method(payment_method_id)
    data = clean_external_data(external_data)
    state = gateway_for(method.provider).create_setup_session(external_data=data)
    return PaymentSetupSession.objects.create(
        user=user,
        payment_method=method,
        external_id=state.external_id,
        external_client_secret=state.client_secret,
        external_data={**_stored(data), **state.external_data},
    )


def setup_session_complete(
    *, session: PaymentSetupSession, external_data: Any = None
) -> PaymentSetupSession:
    """Finish saving: the gateway confirms and the card (brand, last four, expiry) or wallet is
    kept for the customer. Twice returns it as is; a refusal fails it with 422 gateway_error."""
    if session.status in (PaymentSetupSession.COMPLETED, PaymentSetupSession.PROCESSING):
        return session
    if session.status != PaymentSetupSession.PENDING:
        raise ProcessingError(f"The payment setup session is {session.status}")
    data = {**session.external_data, **clean_external_data(external_data)}
    if not _claim(session):
        session.refresh_from_db()
        return session
    with _gateway_call(session):
        details = gateway_for(session.payment_method.provider).complete_setup_session(
            external_id=session.external_id, external_data=data
        )
    try:
        with transaction.atomic():
            changes: dict[str, Any] = {
                "status": PaymentSetupSession.COMPLETED,
                "external_data": _stored(data),
            }
            if isinstance(details, CardDetails):
                changes["credit_card"] = credit_card_save(
                    user=session.user, method=session.payment_method, card=details
                )
            else:
                changes["payment_source"] = payment_source_save(
                    user=session.user, method=session.payment_method, wallet=details
                )
            PaymentSetupSession.objects.filter(pk=session.pk).update(**changes)
    except Exception:
        # Never left claimed ("processing") for good: nothing was saved, the session failed.
        PaymentSetupSession.objects.filter(pk=session.pk).update(status=PaymentSetupSession.FAILED)
        raise
    session.refresh_from_db()
    return session
