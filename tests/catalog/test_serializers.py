"""The catalog serializers on their own, as carts and wishlists reuse VariantSerializer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.selectors import variants_for_display
from catalog.serializers import VariantSerializer, options_text
from storeapi.money import amount_in_cents
from tests.catalog.conftest import make_product, variant
from tests.factories import OptionTypeFactory, OptionValueFactory


def test_variant_serializer_uses_the_currency_of_its_context(catalog):
    mug = variants_for_display().get(sku="MUG-1")

    euro = VariantSerializer(mug, context={"currency": "EUR"}).data
    default = VariantSerializer(mug).data

    assert (euro["price"]["amount"], euro["price"]["display_amount"]) == ("11.00", "€11.00")
    assert (default["price"]["amount"], default["price"]["currency"]) == ("12.50", "USD")
    assert default["product_id"] == catalog["mug"].public_id


def test_a_variant_not_sold_in_the_currency_has_a_price_of_nulls(catalog):
    poster = variants_for_display().get(sku="POSTER-1")

    data = VariantSerializer(poster, context={"currency": "EUR"}).data

    assert data["price"] == {
        "id": "",
        "amount": None,
        "amount_in_cents": None,
        "compare_at_amount": None,
        "compare_at_amount_in_cents": None,
        "currency": "EUR",
        "display_amount": None,
        "display_compare_at_amount": None,
        "price_list_id": None,
    }


@pytest.mark.parametrize("count", [1, 12])
def test_variant_serializer_reads_only_prefetched_data(
    options, django_assert_max_num_queries, count
):
    make_product(
        "Many",
        variants=[{"option_values": [options["S"], options["red"]]} for _ in range(count)],
    )

    # variants with product, prices, option values, their option types, stock
    with django_assert_max_num_queries(5):
        data = VariantSerializer(
            variants_for_display().filter(product__slug="many"),
            many=True,
            context={"currency": "USD"},
        ).data

    assert len(data) == count
    assert {row["options_text"] for row in data} == {"Size: S, Color: Red"}


def test_options_text_joins_like_spree(db):
    kinds = [OptionTypeFactory(label=label, position=i) for i, label in enumerate("ABC")]
    values = [OptionValueFactory(option_type=kind, label=str(i)) for i, kind in enumerate(kinds)]

    assert options_text(values[:1]) == "A: 0"
    assert options_text(values[:2]) == "A: 0, B: 1"
    assert options_text(values) == "A: 0, B: 1, and C: 2"


def test_option_values_of_a_variant_are_ordered_by_option_type(catalog):
    # The colour type is created after the size type, but put first.
    catalog["opt_color"].position = 0
    catalog["opt_color"].save()

    data = VariantSerializer(variants_for_display().get(sku="TEE-L")).data

    assert data["options_text"] == "Color: Blue, Size: L"
    assert [v["name"] for v in data["option_values"]] == ["blue", "large"]


@pytest.mark.parametrize(
    ("amount", "currency", "cents"),
    [
        (Decimal("19.99"), "USD", 1999),
        (Decimal("0.10"), "EUR", 10),
        (Decimal("1500"), "JPY", 1500),
        (Decimal("1.234"), "KWD", 1234),
        (None, "USD", None),
    ],
)
def test_amount_in_cents_uses_the_minor_units_of_the_currency(amount, currency, cents):
    assert amount_in_cents(amount, currency) == cents


def test_dimensions_are_numbers(catalog):
    tee_s = variant("TEE-S")
    tee_s.weight, tee_s.height, tee_s.width, tee_s.depth = (
        Decimal("0.250"),
        Decimal("70"),
        Decimal("50.5"),
        None,
    )
    tee_s.save()

    data = VariantSerializer(variants_for_display().get(pk=tee_s.pk)).data

    assert (data["weight"], data["height"], data["width"], data["depth"]) == (
        0.25,
        70.0,
        50.5,
        None,
    )
