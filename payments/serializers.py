"""Shapes of payments: PaymentMethod and Payment as `@spree/sdk/zod` defines them."""

from rest_framework import serializers

from storeapi.money import amount_string, display_money


class PaymentMethodSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    description = serializers.SerializerMethodField()
    type = serializers.CharField(source="type_name")
    session_required = serializers.BooleanField()
    source_required = serializers.BooleanField()

    def get_description(self, method) -> str | None:
        return method.description or None


class PaymentSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    payment_method_id = serializers.CharField(source="payment_method.public_id")
    response_code = serializers.SerializerMethodField()
    number = serializers.CharField()
    amount = serializers.SerializerMethodField()
    display_amount = serializers.SerializerMethodField()
    status = serializers.CharField(source="state")
    source_type = serializers.SerializerMethodField()
    source_id = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    payment_method = PaymentMethodSerializer()

    def get_response_code(self, payment) -> str | None:
        return payment.response_code or None

    def get_amount(self, payment) -> str:
        return amount_string(payment.amount, payment.order.currency)

    def get_display_amount(self, payment) -> str:
        return display_money(payment.amount, payment.order.currency)

    def get_source_type(self, payment) -> str | None:
        return payment.source_type or None

    def get_source_id(self, payment) -> str | None:
        return None

    def get_source(self, payment) -> dict | None:
        return None
