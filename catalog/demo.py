"""Demo catalog: a T-shirt in three sizes (on sale), a mug, a poster and a sold-out tote bag,
priced in USD and stocked at one US warehouse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from django.db import transaction

from catalog.models import OptionType, OptionValue, Price, Product, StockItem, StockLocation
from catalog.selectors import availability, variants_for_display

DEMO_PRODUCT_SLUG = "classic-t-shirt"
DEMO_PUBLISHED_AT = datetime(2024, 1, 1, tzinfo=UTC)

_SIZES = [("small", "S"), ("medium", "M"), ("large", "L")]
_PRODUCTS = [
    {
        "name": "Classic T-Shirt",
        "slug": DEMO_PRODUCT_SLUG,
        "description": "<p>A soft <strong>organic cotton</strong> tee with a relaxed fit.</p>",
        "tags": ["apparel", "cotton"],
        "sizes": True,
        "sku": "DEMO-TSHIRT",
        "price": Decimal("25.00"),
        "compare_at": Decimal("30.00"),
        "on_hand": 20,
        "weight": Decimal("0.200"),
    },
    {
        "name": "Ceramic Mug",
        "slug": "ceramic-mug",
        "description": "<p>A 350 ml stoneware mug, dishwasher safe.</p>",
        "tags": ["kitchen"],
        "sku": "DEMO-MUG",
        "price": Decimal("12.00"),
        "on_hand": 50,
        "weight": Decimal("0.350"),
    },
    {
        "name": "Mountain Poster",
        "slug": "mountain-poster",
        "description": "<p>A 50 x 70 cm print on matte paper.</p>",
        "tags": ["art"],
        "sku": "DEMO-POSTER",
        "price": Decimal("18.00"),
        "on_hand": 15,
        "weight": Decimal("0.150"),
    },
    {
        "name": "Canvas Tote",
        "slug": "canvas-tote",
        "description": "<p>A sturdy canvas bag. Sold out for now.</p>",
        "tags": ["bags"],
        "sku": "DEMO-TOTE",
        "price": Decimal("15.00"),
        "on_hand": 0,
        "weight": Decimal("0.250"),
    },
]


@transaction.atomic
def seed_catalog(write: Callable[[str], object] = print) -> dict[str, str]:
    """Creates the demo catalog once; a later run finds it by slug and changes nothing.
    Returns `product_slug`, `product_id` and `variant_id` of the in-stock T-shirt."""
    location, created = StockLocation.objects.get_or_create(
        name="Main warehouse",
        defaults={
            "is_default": True,
            "address1": "1 Warehouse Way",
            "city": "Newark",
            "zipcode": "07102",
            "state_abbr": "NJ",
            "country_iso": "US",
        },
    )
    if created:
        write("Created stock location Main warehouse")
    for spec in _PRODUCTS:
        if not Product.objects.filter(slug=spec["slug"]).exists():
            _create_product(spec, location)
            write(f"Created product {spec['name']}")

    product = Product.objects.get(slug=DEMO_PRODUCT_SLUG)
    variants = list(variants_for_display().filter(product=product))
    in_stock = next((v for v in variants if availability(v).in_stock), variants[0])
    return {
        "product_slug": product.slug,
        "product_id": product.public_id,
        "variant_id": in_stock.public_id,
    }


def _create_product(spec: dict, location: StockLocation) -> None:
    product = Product.objects.create(
        name=spec["name"],
        slug=spec["slug"],
        description=spec["description"],
        tags=spec["tags"],
        status=Product.ACTIVE,
        available_on=DEMO_PUBLISHED_AT,
        meta_title=spec["name"],
    )
    if spec.get("sizes"):
        size = _size_option_type()
        product.option_types.add(size)
        options = [
            [
                OptionValue.objects.get_or_create(
                    option_type=size, name=name, defaults={"label": label, "position": position}
                )[0]
            ]
            for position, (name, label) in enumerate(_SIZES, start=1)
        ]
        skus = [f"{spec['sku']}-{label}" for _name, label in _SIZES]
    else:
        options, skus = [[]], [spec["sku"]]
    for position, (sku, values) in enumerate(zip(skus, options, strict=True)):
        variant = product.variants.create(sku=sku, position=position, weight=spec["weight"])
        variant.option_values.set(values)
        Price.objects.create(
            variant=variant,
            currency="USD",
            amount=spec["price"],
            compare_at_amount=spec.get("compare_at"),
        )
        StockItem.objects.create(
            variant=variant, stock_location=location, count_on_hand=spec["on_hand"]
        )


def _size_option_type() -> OptionType:
    size, _created = OptionType.objects.get_or_create(
        name="size", defaults={"label": "Size", "position": 1}
    )
    return size
