"""The demo catalog: created once, found again, and usable through the API."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from catalog.demo import seed_catalog
from catalog.models import (
    OptionType,
    OptionValue,
    Price,
    Product,
    StockItem,
    StockLocation,
    Variant,
)

CATALOG_MODELS = (OptionType, OptionValue, Price, Product, StockItem, StockLocation, Variant)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOG_MODELS}


def test_seed_catalog_creates_the_demo_products_once(db):
    lines: list[str] = []

    first = seed_catalog(write=lines.append)
    counts = _counts()
    second = seed_catalog(write=lines.append)

    assert second == first
    assert (
        _counts()
        == counts
        == {
            "OptionType": 1,
            "OptionValue": 3,
            "Price": 6,
            "Product": 4,
            "StockItem": 6,
            "StockLocation": 1,
            "Variant": 6,
        }
    )
    assert lines == [
        "Created stock location Main warehouse",
        "Created product Classic T-Shirt",
        "Created product Ceramic Mug",
        "Created product Mountain Poster",
        "Created product Canvas Tote",
    ]


def test_seed_catalog_names_an_in_stock_product_and_variant(db, api):
    seeded = seed_catalog(write=lambda _line: None)

    product = api.get(f"/products/{seeded['product_slug']}", {"expand": "variants"}).json()

    assert product["id"] == seeded["product_id"]
    assert product["in_stock"] is True
    assert product["price"]["compare_at_amount"] == "30.00"
    chosen = next(v for v in product["variants"] if v["id"] == seeded["variant_id"])
    assert (chosen["in_stock"], chosen["purchasable"], chosen["price"]["amount"]) == (
        True,
        True,
        "25.00",
    )


def test_demo_catalog_is_listed_with_the_sold_out_tote(db, api):
    seed_catalog(write=lambda _line: None)

    response = api.get("/products", {"sort": "name"})

    rows = response.json()["data"]
    assert [(row["slug"], row["in_stock"]) for row in rows] == [
        ("canvas-tote", False),
        ("ceramic-mug", True),
        ("classic-t-shirt", True),
        ("mountain-poster", True),
    ]


def test_seed_demo_prints_the_catalog_ids_in_its_json_line(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])

    product = Product.objects.get(slug="classic-t-shirt")
    assert summary["product_slug"] == "classic-t-shirt"
    assert summary["product_id"] == product.public_id
    assert summary["variant_id"] == product.variants.get(sku="DEMO-TSHIRT-S").public_id
    assert summary["publishable_key"].startswith("pk_")
