"""Input and output shapes of the accounts endpoints (Customer: `@spree/sdk/zod` CustomerSchema)."""

from __future__ import annotations

from rest_framework import serializers

from storeapi.money import amount_string, display_money
from storeapi.serializers import InputSerializer, StrictBooleanField, StrictCharField


def _blank_to_none(value: str) -> str | None:
    return value or None


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
    """The Customer shape. Addresses and store credit are filled by the customers and payments
    apps' selectors through `customer_profile` context data."""

    id = serializers.CharField(source="public_id")
    email = serializers.EmailField()
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    accepts_email_marketing = serializers.BooleanField()
    full_name = serializers.CharField()
    available_store_credit_total = serializers.SerializerMethodField()
    display_available_store_credit_total = serializers.SerializerMethodField()
    addresses = serializers.SerializerMethodField()
    default_billing_address = serializers.SerializerMethodField()
    default_shipping_address = serializers.SerializerMethodField()
    newsletter_subscriber = serializers.SerializerMethodField()
    customer_groups = serializers.SerializerMethodField()

    def get_first_name(self, user) -> str | None:
        return _blank_to_none(user.first_name)

    def get_last_name(self, user) -> str | None:
        return _blank_to_none(user.last_name)

    def get_phone(self, user) -> str | None:
        return _blank_to_none(user.phone)

    def _currency(self) -> str:
        from django.conf import settings

        from storeapi.http import request_currency

        request = self.context.get("request")
        return request_currency(request) if request is not None else settings.STORE_CURRENCY

    def _store_credit(self, user):
        from payments.selectors import store_credit_available_total

        cache = self.__dict__.setdefault("_credit_cache", {})
        if user.pk not in cache:
            cache[user.pk] = store_credit_available_total(user=user, currency=self._currency())
        return cache[user.pk]

    def get_available_store_credit_total(self, user) -> str:
        return amount_string(self._store_credit(user), self._currency())

    def get_display_available_store_credit_total(self, user) -> str:
        return display_money(self._store_credit(user), self._currency())

    def _addresses(self, user) -> list[dict]:
        """The live addresses, serialized once per customer (one query for all three keys)."""
        from customers.selectors import addresses_for_customer
        from customers.serializers import AddressSerializer

        cache = self.__dict__.setdefault("_address_cache", {})
        if user.pk not in cache:
            cache[user.pk] = AddressSerializer(addresses_for_customer(user=user), many=True).data
        return cache[user.pk]

    def get_addresses(self, user) -> list:
        return self._addresses(user)

    def get_default_billing_address(self, user) -> dict | None:
        return next((a for a in self._addresses(user) if a["is_default_billing"]), None)

    def get_default_shipping_address(self, user) -> dict | None:
        return next((a for a in self._addresses(user) if a["is_default_shipping"]), None)

    def get_newsletter_subscriber(self, user) -> dict | None:
        return None

    def get_customer_groups(self, user) -> list:
        return []


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
