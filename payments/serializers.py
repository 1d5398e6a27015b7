"""Shapes of payments as `@spree/sdk/zod` defines them (PaymentMethod, Payment, CreditCard,
PaymentSession, PaymentSetupSession, StoreCredit, GiftCard), plus our PaymentSource."""

from rest_framework import serializers

from storeapi.ids import encode_id
from storeapi.money import amount_string, display_money


def _blank_none(value):
    return value or None


def _text(value) -> str | None:
    """What a DRF CharField answers."""
    return None if value is None else str(value)


def payment_method_representation(method) -> dict:
    """PaymentMethodSerializer's shape, without a serializer per method (carts list them)."""
    return {
        "id": method.public_id,
        "name": _text(method.name),
        "description": _blank_none(method.description),
        "type": _text(method.type_name),
        "session_required": bool(method.session_required),
        "source_required": bool(method.source_required),
    }


class PaymentMethodSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    description = serializers.SerializerMethodField()
    type = serializers.CharField(source="type_name")
    session_required = serializers.BooleanField()
    source_required = serializers.BooleanField()

    def get_description(self, method) -> str | None:
        return _blank_none(method.description)

    def to_representation(self, method):
        return payment_method_representation(method)


def credit_card_representation(card) -> dict:
    """CreditCardSerializer's shape, without a serializer per card."""
    return {
        "id": card.public_id,
        "brand": _text(card.brand),
        "last4": _text(card.last4),
        "month": None if card.month is None else int(card.month),
        "year": None if card.year is None else int(card.year),
        "name": _blank_none(card.name),
        "default": bool(card.is_default),
        "gateway_payment_profile_id": _blank_none(card.gateway_payment_profile_id),
    }


class CreditCardSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    brand = serializers.CharField()
    last4 = serializers.CharField()
    month = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    default = serializers.BooleanField(source="is_default")
    gateway_payment_profile_id = serializers.SerializerMethodField()

    def get_name(self, card) -> str | None:
        return _blank_none(card.name)

    def get_gateway_payment_profile_id(self, card) -> str | None:
        return _blank_none(card.gateway_payment_profile_id)

    def to_representation(self, card):
        return credit_card_representation(card)


class PaymentSourceSerializer(serializers.Serializer):
    """Ours (OUR_CONTRACT.md): a saved non-card method."""

    id = serializers.CharField(source="public_id")
    gateway_payment_profile_id = serializers.SerializerMethodField()
    payment_method_id = serializers.CharField(source="payment_method.public_id")
    type = serializers.CharField()
    label = serializers.CharField()
    default = serializers.BooleanField(source="is_default")
    created_at = serializers.DateTimeField()

    def get_gateway_payment_profile_id(self, source) -> str | None:
        return _blank_none(source.gateway_payment_profile_id)


class StoreCreditSerializer(serializers.Serializer):
    def to_representation(self, credit):
        currency = credit.currency
        data = {"id": credit.public_id}
        for name, value in (
            ("amount", credit.amount),
            ("amount_used", credit.amount_used),
            ("amount_remaining", credit.amount_remaining),
        ):
            data[name] = amount_string(value, currency)
        for name, value in (
            ("amount", credit.amount),
            ("amount_used", credit.amount_used),
            ("amount_remaining", credit.amount_remaining),
        ):
            data[f"display_{name}"] = display_money(value, currency)
        data["currency"] = currency
        return data


class GiftCardSerializer(serializers.Serializer):
    def to_representation(self, card):
        currency = card.currency
        status = card.status
        return {
            "id": card.public_id,
            "code": card.code.upper(),
            "status": status,
            "currency": currency,
            "amount": amount_string(card.amount, currency),
            "amount_used": amount_string(card.amount_used, currency),
            "amount_authorized": amount_string(card.amount_authorized, currency),
            "amount_remaining": amount_string(card.amount_remaining, currency),
            "display_amount": display_money(card.amount, currency),
            "display_amount_used": display_money(card.amount_used, currency),
            "display_amount_remaining": display_money(card.amount_remaining, currency),
            "expires_at": card.expires_at.isoformat() if card.expires_at else None,
            "redeemed_at": card.redeemed_at.isoformat() if card.redeemed_at else None,
            "expired": status == "expired",
            "active": status in ("active", "partially_redeemed"),
        }


def payment_source_representation(payment) -> dict | None:
    """Payment.source: the card, wallet, credit or gift card it was paid with."""
    source = payment.source
    if source is None:
        return None
    if payment.source_type == "credit_card":
        return credit_card_representation(source)
    if payment.source_type == "payment_source":
        return {
            "id": source.public_id,
            "gateway_payment_profile_id": _blank_none(source.gateway_payment_profile_id),
        }
    if payment.source_type == "gift_card":
        return {"id": source.public_id, "code": source.code.upper()}
    return {"id": source.public_id}


class PaymentSerializer(serializers.Serializer):
    def to_representation(self, payment):
        return payment_representation(payment)


def payment_representation(payment) -> dict:
    """The Payment shape (PaymentSerializer), without a serializer per payment."""
    currency = payment.order.currency
    source = payment.source
    return {
        "id": payment.public_id,
        "payment_method_id": payment.payment_method.public_id,
        "response_code": _blank_none(payment.response_code),
        "number": payment.number,
        "amount": amount_string(payment.amount, currency),
        "display_amount": display_money(payment.amount, currency),
        "status": payment.state,
        "source_type": _blank_none(payment.source_type),
        "source_id": source.public_id if source is not None else None,
        "source": payment_source_representation(payment),
        "payment_method": payment_method_representation(payment.payment_method),
    }


class PaymentSessionSerializer(serializers.Serializer):
    def to_representation(self, session):
        data = {
            "id": session.public_id,
            "status": session.status,
            "currency": session.currency,
            "external_id": session.external_id,
            "external_data": session.external_data or {},
            "customer_external_id": _blank_none(session.customer_external_id),
            "expires_at": session.expires_at.isoformat() if session.expires_at else None,
            "amount": amount_string(session.amount, session.currency),
            "payment_method_id": session.payment_method.public_id,
            "order_id": encode_id("or", session.order_id),
            "payment_method": PaymentMethodSerializer(session.payment_method).data,
        }
        if session.payment_id:
            data["payment"] = PaymentSerializer(session.payment).data
        return data


class PaymentSetupSessionSerializer(serializers.Serializer):
    def to_representation(self, session):
        source = session.credit_card or session.payment_source
        source_type = (
            "credit_card"
            if session.credit_card_id
            else ("payment_source" if session.payment_source_id else None)
        )
        return {
            "id": session.public_id,
            "status": session.status,
            "external_id": _blank_none(session.external_id),
            "external_client_secret": _blank_none(session.external_client_secret),
            "external_data": session.external_data or {},
            "payment_method_id": session.payment_method.public_id,
            "payment_source_id": source.public_id if source else None,
            "payment_source_type": source_type,
            "customer_id": encode_id("cus", session.user_id),
            "payment_method": PaymentMethodSerializer(session.payment_method).data,
        }
