"""A small catalog to list, filter and sort: a T-shirt in sizes and colours, a mug, a poster
that is sold out, a hoodie on backorder, and products that must never be shown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Product, Variant
from tests.factories import (
    OptionTypeFactory,
    OptionValueFactory,
    PriceFactory,
    ProductFactory,
    StockItemFactory,
    StockLocationFactory,
    VariantFactory,
)


def make_product(
    name: str,
    *,
    variants: list[dict] | None = None,
    location=None,
    **fields,
) -> Product:
    """A product with variants; each variant dict may give sku, price (USD), prices
    ({currency: amount}), compare_at, on_hand (None: no stock row), backorderable,
    track_inventory, option_values and position."""
    product = ProductFactory(name=name, slug=fields.pop("slug", name.lower().replace(" ", "-")))
    for key, value in fields.items():
        setattr(product, key, value)
    product.save()
    location = location or StockLocationFactory(name=f"{name} stock", is_default=True)
    for position, spec in enumerate(variants or [{}]):
        variant = VariantFactory(
            product=product,
            sku=spec.get("sku", f"{product.slug.upper()}-{position + 1}"),
            position=spec.get("position", position),
            track_inventory=spec.get("track_inventory", True),
            backorderable=spec.get("variant_backorderable", False),
            weight=spec.get("weight"),
        )
        prices = spec.get("prices", {"USD": spec.get("price", "10.00")})
        for currency, amount in prices.items():
            compare_at = spec.get("compare_at") if currency == "USD" else None
            PriceFactory(
                variant=variant,
                currency=currency,
                amount=Decimal(amount),
                compare_at_amount=Decimal(compare_at) if compare_at else None,
            )
        on_hand = spec.get("on_hand", 10)
        if on_hand is not None:
            StockItemFactory(
                variant=variant,
                stock_location=location,
                count_on_hand=on_hand,
                backorderable=spec.get("backorderable", False),
            )
        if spec.get("option_values"):
            variant.option_values.set(spec["option_values"])
            product.option_types.add(*{v.option_type for v in spec["option_values"]})
    return product


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def options(db):
    size = OptionTypeFactory(name="size", label="Size", position=1)
    color = OptionTypeFactory(name="color", label="Color", position=2, kind="color_swatch")
    return {
        "size": size,
        "color": color,
        "S": OptionValueFactory(option_type=size, name="small", label="S", position=1),
        "M": OptionValueFactory(option_type=size, name="medium", label="M", position=2),
        "L": OptionValueFactory(option_type=size, name="large", label="L", position=3),
        "red": OptionValueFactory(
            option_type=color, name="red", label="Red", position=1, color_code="#ff0000"
        ),
        "blue": OptionValueFactory(
            option_type=color, name="blue", label="Blue", position=2, color_code="#0000ff"
        ),
    }


@pytest.fixture
def catalog(db, options):
    """Visible: tee (20-24 USD, sizes), mug (12.50 USD / 11 EUR), poster (30, sold out), hoodie
    (50, backorder only). Hidden: draft, archived, future, discontinued, unpublished, priceless.
    """
    o = options
    location = StockLocationFactory(name="Main warehouse", is_default=True)
    shown = {
        "tee": make_product(
            "Classic Tee",
            location=location,
            available_on=ago(10),
            description="<p>A <strong>soft</strong> cotton tee.</p>",
            meta_title="Classic Tee | Demo",
            tags=["cotton", "summer"],
            variants=[
                {
                    "sku": "TEE-S",
                    "price": "20.00",
                    "on_hand": 5,
                    "option_values": [o["S"], o["red"]],
                },
                {
                    "sku": "TEE-M",
                    "price": "22.00",
                    "compare_at": "30.00",
                    "on_hand": 0,
                    "option_values": [o["M"], o["red"]],
                },
                {
                    "sku": "TEE-L",
                    "price": "24.00",
                    "on_hand": 3,
                    "option_values": [o["L"], o["blue"]],
                },
            ],
        ),
        "mug": make_product(
            "Coffee Mug",
            location=location,
            available_on=ago(5),
            variants=[
                {"sku": "MUG-1", "prices": {"USD": "12.50", "EUR": "11.00"}, "weight": "0.350"}
            ],
        ),
        "poster": make_product(
            "Art Poster",
            location=location,
            available_on=ago(2),
            variants=[{"sku": "POSTER-1", "price": "30.00", "on_hand": 0}],
        ),
        "hoodie": make_product(
            "Zip Hoodie",
            location=location,
            available_on=ago(1),
            variants=[{"sku": "HOODIE-1", "price": "50.00", "on_hand": 0, "backorderable": True}],
        ),
    }
    hidden = {
        "draft": make_product("Draft Cap", location=location, status=Product.DRAFT),
        "archived": make_product("Old Cap", location=location, status=Product.ARCHIVED),
        "future": make_product(
            "Future Cap", location=location, available_on=timezone.now() + timedelta(days=3)
        ),
        "discontinued": make_product(
            "Gone Cap", location=location, discontinue_on=timezone.now() - timedelta(hours=1)
        ),
        "unpublished": make_product("Undated Cap", location=location, available_on=None),
        "priceless": make_product("Free Cap", location=location, variants=[{"prices": {}}]),
        "euro_only": make_product(
            "Euro Cap", location=location, variants=[{"prices": {"EUR": "9.00"}}]
        ),
    }
    return {**shown, **hidden, "location": location, **{f"opt_{k}": v for k, v in o.items()}}


def variant(sku: str) -> Variant:
    return Variant.objects.get(sku=sku)
