"""Catalog selectors on their own: the variants read in one or two plain queries against the
prefetched models they stand in for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Product, StockItem, StockLocation
from catalog.selectors import (
    VARIANTS_ATTR,
    product_variants,
    products_for_display,
    products_prefetch_for_display,
)


def _comparable(shown, with_option_values: bool):
    def variant(view):
        price = view.price
        figures = (price.pk, price.currency, price.amount, price.compare_at_amount)
        values = [
            (v.pk, v.name, v.label, v.position, v.color_code, v.option_type.pk, v.option_type.name)
            for v in view.option_values or ()
        ]
        return (
            view.pk,
            view.product_id,
            view.sku,
            view.track_inventory,
            (view.weight, view.height, view.width, view.depth),
            view.availability,
            figures,
            view.has_option_values,
            values if with_option_values else None,
        )

    default = shown.default_variant
    return (
        shown.currency,
        [variant(v) for v in shown.variants],
        [v.pk for v in shown.option_variants],
        default.pk if default else None,
        (shown.variant_count, shown.purchasable, shown.in_stock, shown.backorderable),
    )


@pytest.mark.parametrize("expand", [(), ("variants",)])
@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY"])
def test_the_variants_read_in_plain_queries_are_the_prefetched_ones(catalog, currency, expand):
    # Stock at a closed location, and a backorderable row there, must not count.
    closed = StockLocation.objects.create(name="Closed", is_active=False)
    for variant in catalog["tee"].variants.all():
        StockItem.objects.create(
            variant=variant, stock_location=closed, count_on_hand=7, backorderable=True
        )
    products = list(Product.objects.order_by("pk"))
    prefetched = {p.pk: p for p in products_for_display(Product.objects.all())}

    products_prefetch_for_display(products, currency=currency, expand=expand)

    for product in products:
        assert getattr(product, VARIANTS_ATTR).currency == currency
        assert _comparable(product_variants(product, currency), bool(expand)) == _comparable(
            product_variants(prefetched[product.pk], currency), bool(expand)
        )


def test_variants_read_for_one_currency_stand_only_for_it(catalog):
    mug = Product.objects.get(pk=catalog["mug"].pk)
    products_prefetch_for_display([mug], currency="USD")

    in_dollars, in_euros = product_variants(mug, "USD"), product_variants(mug, "EUR")

    assert (in_dollars.currency, in_dollars.default_variant.price.amount) == (
        "USD",
        Decimal("12.50"),
    )
    assert (in_euros.currency, in_euros.default_variant.price.amount) == ("EUR", Decimal("11.00"))


def test_variants_read_without_option_values_are_worked_out_again_when_those_are_wanted(catalog):
    tee = Product.objects.get(pk=catalog["tee"].pk)
    products_prefetch_for_display([tee], currency="USD")

    shown = product_variants(tee, "USD", with_option_values=True)

    assert [value.label for value in shown.option_values] == ["S", "M", "L", "Red", "Blue"]
