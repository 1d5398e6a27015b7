"""Catalog selectors on their own: the one-query product summary against the prefetched
variants it stands in for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Product, StockItem, StockLocation
from catalog.selectors import (
    SUMMARY_ATTR,
    product_display,
    product_display_summary,
    product_summary,
    products_for_display,
    products_prefetch_for_display,
)


def _comparable(summary):
    price = summary.price
    figures = (price.pk, price.currency, price.amount, price.compare_at_amount) if price else None
    return (
        summary.currency,
        summary.variant_count,
        summary.purchasable,
        summary.in_stock,
        summary.backorderable,
        summary.default_variant_id,
        figures,
    )


@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY"])
def test_the_one_query_summary_is_the_summary_of_the_prefetched_variants(catalog, currency):
    # Stock at a closed location, and a backorderable row there, must not count.
    closed = StockLocation.objects.create(name="Closed", is_active=False)
    for variant in catalog["tee"].variants.all():
        StockItem.objects.create(
            variant=variant, stock_location=closed, count_on_hand=7, backorderable=True
        )
    products = list(Product.objects.order_by("pk"))
    prefetched = {p.pk: p for p in products_for_display(Product.objects.all())}

    products_prefetch_for_display(products, currency=currency)

    for product in products:
        expected = product_display_summary(
            product_display(prefetched[product.pk], currency), currency
        )
        assert _comparable(getattr(product, SUMMARY_ATTR)) == _comparable(expected)


def test_a_summary_stands_only_for_its_currency(catalog):
    mug = Product.objects.get(pk=catalog["mug"].pk)
    products_prefetch_for_display([mug], currency="USD")

    in_dollars, in_euros = product_summary(mug, "USD"), product_summary(mug, "EUR")

    assert (in_dollars.currency, in_dollars.price.amount) == ("USD", Decimal("12.50"))
    assert (in_euros.currency, in_euros.price.amount) == ("EUR", Decimal("11.00"))
