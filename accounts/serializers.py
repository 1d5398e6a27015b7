"""Input and output shapes of the accounts endpoints (Customer: `@spree/sdk/zod` CustomerSchema)."""

from __future__ import annotations

from rest_framework import serializers

from customers.serializers import AddressSerializer
from storeapi.money import amount_string, display_money
from storeapi.serializers import InputSerializer, StrictBooleanField, StrictCharField


class RegisterInputSerializer(InputSerializer):
    email = StrictCharField(max_length=254, allow_blank=True)
    password = StrictCharField(allow_blank=True, trim_whitespace=False)
    password_confirmation = StrictCharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False
    )
    first_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    last_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    phone = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    accepts_email_marketing = StrictBooleanField(required=False)
    metadata = serializers.DictField(required=False)


class CustomerUpdateInputSerializer(InputSerializer):
    email = StrictCharField(required=False, max_length=254, allow_blank=True)
    password = StrictCharField(required=False, allow_blank=True, trim_whitespace=False)
    password_confirmation = StrictCharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False
    )
    current_password = StrictCharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False
    )
    first_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    last_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    phone = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    accepts_email_marketing = StrictBooleanField(required=False)
    metadata = serializers.DictField(required=False)

    def validate(self, attrs):
        for name in ("first_name", "last_name", "phone"):
            if attrs.get(name) is None and name in attrs:
                attrs[name] = ""
        return attrs


class PasswordResetRequestSerializer(InputSerializer):
    email = StrictCharField(required=False, allow_blank=True, max_length=254)
    redirect_url = StrictCharField(required=False, allow_blank=True, allow_null=True)


class PasswordResetCompleteSerializer(InputSerializer):
    password = StrictCharField(required=False, allow_blank=True, trim_whitespace=False)
    password_confirmation = StrictCharField(
        required=False, allow_null=True, allow_blank=True, trim_whitespace=False
    )


class CustomerSerializer(serializers.Serializer):
    """The Customer shape (`@spree/sdk/zod` CustomerSchema): the profile with the address book
    and the store credit available in the request's currency."""

    id = serializers.CharField(source="public_id")
    email = serializers.EmailField()
    first_name = serializers.CharField(allow_null=True, read_only=True)
    last_name = serializers.CharField(allow_null=True, read_only=True)
    phone = serializers.CharField(allow_null=True, read_only=True)
    accepts_email_marketing = serializers.BooleanField()
    full_name = serializers.CharField()
    available_store_credit_total = serializers.CharField(read_only=True)
    display_available_store_credit_total = serializers.CharField(read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    default_billing_address = AddressSerializer(allow_null=True, read_only=True)
    default_shipping_address = AddressSerializer(allow_null=True, read_only=True)
    newsletter_subscriber = serializers.DictField(allow_null=True, read_only=True)
    customer_groups = serializers.ListField(read_only=True)

    def to_representation(self, customer):
        """`customer`: a User, or a CustomerProfile already read for the request's currency."""
        # Written out, not field by field: this shape answers every sign-in, refresh and
        # /customers/me, and DRF's per-field machinery cost more than its queries did.
        from customers.selectors import CustomerProfile, customer_profile

        currency = self._currency()
        if isinstance(customer, CustomerProfile) and customer.currency == currency:
            profile = customer
        else:
            user = customer.user if isinstance(customer, CustomerProfile) else customer
            profile = customer_profile(user=user, currency=currency)
        user, credit = profile.user, profile.store_credit_total
        child = AddressSerializer()
        addresses = [child.to_representation(a) for a in profile.addresses]
        return {
            "id": user.public_id,
            "email": user.email,
            "first_name": user.first_name or None,
            "last_name": user.last_name or None,
            "phone": user.phone or None,
            "accepts_email_marketing": user.accepts_email_marketing,
            "full_name": user.full_name,
            "available_store_credit_total": amount_string(credit, currency),
            "display_available_store_credit_total": display_money(credit, currency),
            "addresses": addresses,
            "default_billing_address": next(
                (a for a in addresses if a["is_default_billing"]), None
            ),
            "default_shipping_address": next(
                (a for a in addresses if a["is_default_shipping"]), None
            ),
            "newsletter_subscriber": None,
            "customer_groups": [],
        }

    def _currency(self) -> str:
        from django.conf import settings

        from storeapi.http import request_currency

        request = self.context.get("request")
        return request_currency(request) if request is not None else settings.STORE_CURRENCY


class AuthTokensSerializer(serializers.Serializer):
    token = serializers.CharField()
    refresh_token = serializers.CharField()
    user = CustomerSerializer()


class SessionSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField()
    ip_address = serializers.CharField(allow_null=True)
    user_agent = serializers.CharField()
    current = serializers.SerializerMethodField()

    def get_current(self, session) -> bool:
        return session.pk == self.context.get("current_session_id")
