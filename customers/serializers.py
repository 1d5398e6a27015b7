"""Shapes of the customers endpoints: Address and Country as `@spree/sdk/zod` defines them."""

from __future__ import annotations

from rest_framework import serializers

from customers import geography
from storeapi.serializers import InputSerializer, StrictBooleanField, StrictCharField


# The declared fields document the shape (OpenAPI); `to_representation` is written out because
# addresses are in every customer, cart and order answer, and DRF's per-field machinery cost
# more than the rest of such a request (docs/performance.md).
class AddressSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    first_name = serializers.CharField(allow_null=True, read_only=True)
    last_name = serializers.CharField(allow_null=True, read_only=True)
    full_name = serializers.CharField()
    address1 = serializers.CharField(allow_null=True, read_only=True)
    address2 = serializers.CharField(allow_null=True, read_only=True)
    postal_code = serializers.CharField(allow_null=True, read_only=True)
    city = serializers.CharField(allow_null=True, read_only=True)
    phone = serializers.CharField(allow_null=True, read_only=True)
    company = serializers.CharField(allow_null=True, read_only=True)
    country_name = serializers.CharField(source="country.name")
    country_iso = serializers.CharField(source="country_id")
    state_text = serializers.CharField(allow_null=True, read_only=True)
    state_abbr = serializers.CharField(allow_null=True, read_only=True)
    state_name = serializers.CharField(allow_null=True, read_only=True)
    quick_checkout = serializers.BooleanField()
    is_default_billing = serializers.BooleanField()
    is_default_shipping = serializers.BooleanField()

    def to_representation(self, address):
        return {
            "id": address.public_id,
            "first_name": address.first_name or None,
            "last_name": address.last_name or None,
            "full_name": address.full_name,
            "address1": address.address1 or None,
            "address2": address.address2 or None,
            "postal_code": address.postal_code or None,
            "city": address.city or None,
            "phone": address.phone or None,
            "company": address.company or None,
            "country_name": address.country.name,
            "country_iso": address.country_id,
            "state_text": address.state_abbr or address.state_name or None,
            "state_abbr": address.state_abbr or None,
            "state_name": address.state_name or None,
            "quick_checkout": address.quick_checkout,
            "is_default_billing": address.is_default_billing,
            "is_default_shipping": address.is_default_shipping,
        }


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
