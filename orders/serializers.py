"""Shapes of carts and orders (CartSchema, OrderSchema and their parts in `@spree/sdk/zod`).

Money is a decimal string in the order's currency with a `display_*` twin; every relation is
read from the prefetches of `orders.selectors.with_details` (or the same caches set by
`orders.selectors.cart_details_load`), so a cart is a fixed number of queries whatever its size.
"""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from customers.serializers import AddressSerializer
from orders.services.checkout import cart_requirements, completed_steps, current_step
from payments.serializers import payment_method_representation, payment_representation
from storeapi.money import amount_string, display_money

ZERO = Decimal("0")


def money_pair(name: str, amount: Decimal | None, currency: str) -> dict[str, str | None]:
    return {
        name: amount_string(amount, currency),
        f"display_{name}": display_money(amount, currency),
    }


def _text(value) -> str | None:
    """What a DRF CharField answers."""
    return None if value is None else str(value)


# The parts of a cart are plain functions: a cart answer builds dozens of them, and a DRF
# serializer instance (with its fields) per part costs more than the rest of the work. The
# serializer classes stay for the schema and for other callers, and answer the same.


def delivery_method_representation(method) -> dict:
    return {"id": method.public_id, "name": _text(method.name), "code": method.code or None}


def stock_location_representation(location) -> dict:
    # The country name from the ISO data the Country rows were loaded from: no query per
    # fulfillment, so an order history stays a fixed number of queries.
    from customers.geography import country_name

    state = location.state_abbr or None
    country = country_name(location.country_iso) if location.country_iso else None
    return {
        "id": location.public_id,
        "state_abbr": state,
        "name": location.name,
        "address1": location.address1 or None,
        "city": location.city or None,
        "zipcode": location.zipcode or None,
        "country_iso": location.country_iso or None,
        "country_name": country,
        "state_text": state,
    }


def delivery_rate_representation(rate, currency: str) -> dict:
    tax = rate.additional_tax_total + rate.included_tax_total
    return {
        "id": rate.public_id,
        "delivery_method_id": rate.delivery_method.public_id,
        "name": rate.delivery_method.name,
        "selected": rate.selected,
        **money_pair("cost", rate.cost, currency),
        **money_pair("total", rate.cost + rate.additional_tax_total, currency),
        **money_pair("additional_tax_total", rate.additional_tax_total, currency),
        **money_pair("included_tax_total", rate.included_tax_total, currency),
        **money_pair("tax_total", tax, currency),
        "delivery_method": delivery_method_representation(rate.delivery_method),
    }


def fulfillment_representation(fulfillment, currency: str) -> dict:
    rates = list(fulfillment.delivery_rates.all())
    selected = next((r for r in rates if r.selected), None)
    tax = fulfillment.additional_tax_total + fulfillment.included_tax_total
    method = selected.delivery_method if selected else (rates[0].delivery_method if rates else None)
    return {
        "id": fulfillment.public_id,
        "number": fulfillment.number,
        "tracking": fulfillment.tracking or None,
        "tracking_url": fulfillment.tracking_url or None,
        **money_pair("cost", fulfillment.cost, currency),
        **money_pair("total", fulfillment.cost + fulfillment.additional_tax_total, currency),
        **money_pair("discount_total", ZERO, currency),
        **money_pair("additional_tax_total", fulfillment.additional_tax_total, currency),
        **money_pair("included_tax_total", fulfillment.included_tax_total, currency),
        **money_pair("tax_total", tax, currency),
        "status": fulfillment.status,
        "fulfillment_type": "shipping",
        "fulfilled_at": fulfillment.fulfilled_at.isoformat() if fulfillment.fulfilled_at else None,
        "items": [
            {
                "item_id": item.line_item.public_id,
                "variant_id": _variant_public_id(item.line_item.variant_id),
                "quantity": item.quantity,
            }
            for item in fulfillment.items.all()
        ],
        "delivery_method": (
            delivery_method_representation(method)
            if method
            else {"id": "", "name": "No delivery method available", "code": None}
        ),
        "stock_location": stock_location_representation(fulfillment.stock_location),
        "delivery_rates": [delivery_rate_representation(rate, currency) for rate in rates],
    }


def option_value_representation(value) -> dict:
    """catalog's OptionValueSerializer shape (OptionValueSchema)."""
    option_type = value.option_type
    return {
        "id": value.public_id,
        "option_type_id": option_type.public_id,
        "name": _text(value.name),
        "label": _text(value.label),
        "position": None if value.position is None else int(value.position),
        "color_code": value.color_code or None,
        "option_type_name": _text(option_type.name),
        "option_type_label": _text(option_type.label),
        "image_url": None,
    }


def line_item_representation(item) -> dict:
    currency = item.currency
    variant = item.variant
    option_values = list(variant.option_values.all())
    amount = item.amount
    return {
        "id": item.public_id,
        "variant_id": variant.public_id,
        "preorder": False,
        "preorder_ships_at": None,
        "quantity": item.quantity,
        "currency": currency,
        "name": variant.product.name,
        "slug": variant.product.slug,
        "options_text": ", ".join(f"{v.option_type.label}: {v.label}" for v in option_values),
        **money_pair("price", item.price, currency),
        **money_pair("total", amount + item.additional_tax_total, currency),
        **money_pair("adjustment_total", item.additional_tax_total, currency),
        **money_pair("additional_tax_total", item.additional_tax_total, currency),
        **money_pair("included_tax_total", item.included_tax_total, currency),
        **money_pair("discount_total", ZERO, currency),
        **money_pair("pre_tax_amount", amount - item.included_tax_total, currency),
        **money_pair("discounted_amount", amount, currency),
        "display_compare_at_amount": display_money(item.compare_at_amount, currency),
        "compare_at_amount": amount_string(item.compare_at_amount, currency),
        "thumbnail_url": None,
        "option_values": [option_value_representation(v) for v in option_values],
        "digital_links": [],
    }


class DeliveryMethodSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    code = serializers.SerializerMethodField()

    def get_code(self, method) -> str | None:
        return method.code or None

    def to_representation(self, method):
        return delivery_method_representation(method)


class StockLocationSerializer(serializers.Serializer):
    def to_representation(self, location):
        return stock_location_representation(location)


class DeliveryRateSerializer(serializers.Serializer):
    def to_representation(self, rate):
        return delivery_rate_representation(rate, self.context["currency"])


class FulfillmentSerializer(serializers.Serializer):
    def to_representation(self, fulfillment):
        return fulfillment_representation(fulfillment, self.context["currency"])


def _variant_public_id(pk: int) -> str:
    from storeapi.ids import encode_id

    return encode_id("variant", pk)


class LineItemSerializer(serializers.Serializer):
    def to_representation(self, item):
        return line_item_representation(item)


def _applied_gift_card(order) -> dict | None:
    """The gift card the order pays with (from the prefetched payments), as GiftCardSchema."""
    from payments.serializers import GiftCardSerializer

    for payment in order.payments.all():
        if payment.source_type == "gift_card" and payment.state not in (
            "invalid",
            "void",
            "failed",
        ):
            return GiftCardSerializer(payment.gift_card).data
    return None


class OrderSerializer(serializers.Serializer):
    """The Order shape (a completed order): no token, `or_` id."""

    id_prefix = "order"

    def _common(self, order) -> dict:
        currency = order.currency
        items = list(order.line_items.all())
        return {
            "market_id": None,
            "channel_id": None,
            "number": order.number,
            "email": order.email or None,
            "customer_note": order.customer_note or None,
            "currency": currency,
            "locale": order.locale,
            "total_quantity": sum(i.quantity for i in items),
            **money_pair("item_total", order.item_total, currency),
            **money_pair("adjustment_total", order.adjustment_total, currency),
            **money_pair("discount_total", order.discount_total, currency),
            **money_pair("tax_total", order.tax_total, currency),
            **money_pair("included_tax_total", order.included_tax_total, currency),
            **money_pair("additional_tax_total", order.additional_tax_total, currency),
            **money_pair("total", order.total, currency),
            **money_pair("gift_card_total", order.gift_card_total, currency),
            **money_pair("amount_due", order.amount_due, currency),
            **money_pair("delivery_total", order.delivery_total, currency),
            **money_pair("store_credit_total", order.store_credit_total, currency),
            "covered_by_store_credit": order.store_credit_total > 0
            and order.store_credit_total >= order.total,
            "discounts": [],
            "items": [line_item_representation(item) for item in items],
            "fulfillments": [
                fulfillment_representation(fulfillment, currency)
                for fulfillment in order.fulfillments.all()
            ],
            "payments": [
                payment_representation(payment)
                for payment in order.payments.all()
                if payment.state != "invalid"
            ],
            "billing_address": AddressSerializer(order.bill_address).data
            if order.bill_address_id
            else None,
            "shipping_address": AddressSerializer(order.ship_address).data
            if order.ship_address_id
            else None,
            "gift_card": _applied_gift_card(order),
            "market": None,
        }

    def to_representation(self, order):
        data = {"id": order.order_id, **self._common(order)}
        data["email"] = order.email
        data["fulfillment_status"] = order.shipment_state or None
        data["payment_status"] = order.payment_state or None
        data["completed_at"] = order.completed_at.isoformat() if order.completed_at else None
        return data


class CartSerializer(OrderSerializer):
    """The Cart shape: `cart_` id, the guest token, checkout progress, payment methods."""

    def to_representation(self, cart):
        requirements = cart_requirements(cart)
        data = {"id": cart.cart_id, **self._common(cart)}
        data["token"] = cart.token
        data["warnings"] = [
            {k: v for k, v in vars(w).items() if v is not None}
            for w in self.context.get("warnings", [])
        ]
        data["current_step"] = current_step(requirements)
        data["completed_steps"] = completed_steps(requirements)
        data["requirements"] = [vars(r) for r in requirements]
        data["shipping_eq_billing_address"] = bool(
            cart.ship_address_id and cart.ship_address_id == cart.bill_address_id
        )
        data["payment_methods"] = self._payment_methods(cart)
        return data

    def _payment_methods(self, cart) -> list:
        """Read once per currency and response, so a list of carts is not a query per cart."""
        from payments.selectors import payment_methods_for_order

        cache = self.context.setdefault("payment_methods_by_currency", {})
        if cart.currency not in cache:
            cache[cart.currency] = [
                payment_method_representation(method) for method in payment_methods_for_order(cart)
            ]
        return cache[cart.currency]
