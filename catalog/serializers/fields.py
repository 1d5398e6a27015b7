"""What every catalog serializer shares: the currency of the context and constant fields."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from storeapi.http import request_currency


def context_currency(context: dict[str, Any]) -> str:
    """The currency a serializer shows prices in (see the `catalog.serializers` docstring)."""
    currency = context.get("currency")
    if currency:
        return currency
    request = context.get("request")
    if request is not None:
        return request_currency(request)
    return settings.STORE_CURRENCY


#: DRF's rendering of a datetime (ISO 8601 in the current time zone, `Z` for UTC), shared.
DATETIME_FIELD = serializers.DateTimeField()


def blank_to_none(value: str | None) -> str | None:
    return value or None


class _ConstantField(serializers.Field):
    """A read-only key whose value never varies here: we have no media, pre-orders or price
    lists."""

    value: Any = None

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, _instance: Any) -> Any:
        return self.value


@extend_schema_field({"type": "string", "nullable": True})
class NullField(_ConstantField):
    value = None


@extend_schema_field(OpenApiTypes.BOOL)
class FalseField(_ConstantField):
    value = False


@extend_schema_field(OpenApiTypes.INT)
class ZeroField(_ConstantField):
    value = 0
