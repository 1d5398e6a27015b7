"""Wishlist fixtures: a few variants to wish for."""

from __future__ import annotations

from datetime import timedelta

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


@pytest.fixture
def variants(db) -> dict[str, Variant]:
    """`mug` and `tee_s`/`tee_m` (a tee in two sizes): published and priced in USD; `draft` is
    a variant of a draft product and `future` of one not yet published."""
    location = StockLocationFactory(name="Main", is_default=True)
    size = OptionTypeFactory(name="size", label="Size", position=1)
    small = OptionValueFactory(option_type=size, name="small", label="S", position=1)
    medium = OptionValueFactory(option_type=size, name="medium", label="M", position=2)
    mug = ProductFactory(name="Coffee Mug", slug="coffee-mug")
    tee = ProductFactory(name="Classic Tee", slug="classic-tee")
    tee.option_types.add(size)
    result = {
        "mug": VariantFactory(product=mug, sku="MUG-1"),
        "tee_s": VariantFactory(product=tee, sku="TEE-S", position=0),
        "tee_m": VariantFactory(product=tee, sku="TEE-M", position=1),
        "draft": VariantFactory(product=ProductFactory(status=Product.DRAFT), sku="DRAFT-1"),
        "future": VariantFactory(
            product=ProductFactory(available_on=timezone.now() + timedelta(days=2)),
            sku="FUTURE-1",
        ),
    }
    result["tee_s"].option_values.set([small])
    result["tee_m"].option_values.set([medium])
    for name, amount in [("mug", "12.50"), ("tee_s", "20.00"), ("tee_m", "22.00")]:
        PriceFactory(variant=result[name], amount=amount)
        StockItemFactory(variant=result[name], stock_location=location, count_on_hand=3)
    return result
