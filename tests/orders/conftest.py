"""A shop to check out in: one published product with stock, a zone with a delivery method,
and the Check payment method."""

from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Price, Product, StockItem, StockLocation, Variant
from customers.models import Country
from orders.models import DeliveryMethod, Zone, ZoneMember
from payments.models import PaymentMethod

US_ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "350 Fifth Avenue",
    "city": "New York",
    "postal_code": "10118",
    "state_abbr": "NY",
    "country_iso": "US",
    "phone": "+1 555 0100",
}


def make_variant(*, name="Mug", price="12.50", on_hand=10, backorderable=False, location=None):
    product = Product.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        status=Product.ACTIVE,
        available_on=timezone.now() - timezone.timedelta(days=1),
    )
    variant = Variant.objects.create(product=product, sku=f"{name.upper()}-1")
    Price.objects.create(variant=variant, currency="USD", amount=Decimal(price))
    location = (
        location
        or StockLocation.objects.get_or_create(
            name="Main warehouse", defaults={"is_default": True, "country_iso": "US"}
        )[0]
    )
    StockItem.objects.create(
        variant=variant,
        stock_location=location,
        count_on_hand=on_hand,
        backorderable=backorderable,
    )
    return variant


@pytest.fixture
def shop(db):
    variant = make_variant()
    zone = Zone.objects.create(name="North America")
    ZoneMember.objects.create(zone=zone, country=Country.objects.get(iso="US"))
    ground = DeliveryMethod.objects.create(name="Ground", code="GROUND", amount=Decimal("5.00"))
    ground.zones.add(zone)
    express = DeliveryMethod.objects.create(
        name="Express", code="EXPRESS", amount=Decimal("15.00"), position=1
    )
    express.zones.add(zone)
    check = PaymentMethod.objects.create(name="Check", provider=PaymentMethod.CHECK)
    return {"variant": variant, "ground": ground, "express": express, "check": check}
