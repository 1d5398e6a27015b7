"""Shapes of the customers endpoints: Address and Country as `@spree/sdk/zod` defines them."""

from __future__ import annotations

from rest_framework import serializers

from customers import geography
from storeapi.serializers import InputSerializer, StrictBooleanField, StrictCharField


def _none_if_blank(value: str) -> str | None:
    return value or None


class AddressSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    full_name = serializers.CharField()
    address1 = serializers.SerializerMethodField()
    address2 = serializers.SerializerMethodField()
    postal_code = serializers.SerializerMethodField()
    city = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()
    country_name = serializers.CharField(source="country.name")
    country_iso = serializers.CharField(source="country_id")
    state_text = serializers.SerializerMethodField()
    state_abbr = serializers.SerializerMethodField()
    state_name = serializers.SerializerMethodField()
    quick_checkout = serializers.BooleanField()
    is_default_billing = serializers.BooleanField()
    is_default_shipping = serializers.BooleanField()

    def get_first_name(self, address) -> str | None:
        return _none_if_blank(address.first_name)

    def get_last_name(self, address) -> str | None:
        return _none_if_blank(address.last_name)

    def get_address1(self, address) -> str | None:
        return _none_if_blank(address.address1)

    def get_address2(self, address) -> str | None:
        return _none_if_blank(address.address2)

    def get_postal_code(self, address) -> str | None:
        return _none_if_blank(address.postal_code)

    def get_city(self, address) -> str | None:
        return _none_if_blank(address.city)

    def get_phone(self, address) -> str | None:
        return _none_if_blank(address.phone)

    def get_company(self, address) -> str | None:
        return _none_if_blank(address.company)

    def get_state_text(self, address) -> str | None:
        return _none_if_blank(address.state_abbr or address.state_name)

    def get_state_abbr(self, address) -> str | None:
        return _none_if_blank(address.state_abbr)

    def get_state_name(self, address) -> str | None:
        return _none_if_blank(address.state_name)


class AddressInputSerializer(InputSerializer):
    """Every field optional here: what is required depends on the country (services)."""

    first_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    last_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    company = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    address1 = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    address2 = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    city = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    postal_code = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    phone = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    country_iso = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=3)
    state_abbr = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=10)
    state_name = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    quick_checkout = StrictBooleanField(required=False)
    is_default_billing = StrictBooleanField(required=False)
    is_default_shipping = StrictBooleanField(required=False)


class StateSerializer(serializers.Serializer):
    abbr = serializers.CharField()
    name = serializers.CharField()


class CountrySerializer(serializers.Serializer):
    iso = serializers.CharField()
    iso3 = serializers.CharField()
    name = serializers.CharField()
    states_required = serializers.SerializerMethodField()
    zipcode_required = serializers.SerializerMethodField()

    def get_states_required(self, country) -> bool:
        return geography.rules(country.iso).states_required

    def get_zipcode_required(self, country) -> bool:
        return geography.rules(country.iso).zipcode_required

    def to_representation(self, country):
        data = super().to_representation(country)
        if "states" in self.context.get("expand", ()):
            data["states"] = StateSerializer(geography.subdivisions(country.iso), many=True).data
        return data
