"""Staff screens of the catalog."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from catalog.models import Price, Product, StockItem
from tests.catalog.conftest import variant


@pytest.fixture
def staff(db):
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client


def _listed(response) -> list:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/catalog/product/",
        "/admin/catalog/product/add/",
        "/admin/catalog/variant/",
        "/admin/catalog/variant/add/",
        "/admin/catalog/optiontype/",
        "/admin/catalog/optiontype/add/",
        "/admin/catalog/stocklocation/",
        "/admin/catalog/stocklocation/add/",
        "/admin/catalog/stockitem/",
        "/admin/catalog/stockitem/add/",
    ],
)
def test_catalog_admin_pages_open(staff, catalog, path):
    assert staff.get(path).status_code == 200


def test_change_pages_open_with_their_inlines(staff, catalog):
    tee = catalog["tee"]
    size = catalog["opt_size"]
    medium = variant("TEE-M")
    location = catalog["location"]

    product_page = staff.get(f"/admin/catalog/product/{tee.pk}/change/")
    variant_page = staff.get(f"/admin/catalog/variant/{medium.pk}/change/")
    option_page = staff.get(f"/admin/catalog/optiontype/{size.pk}/change/")
    location_page = staff.get(f"/admin/catalog/stocklocation/{location.pk}/change/")

    assert product_page.status_code == 200
    assert b"TEE-L" in product_page.content
    assert variant_page.status_code == 200
    assert b"30.00" in variant_page.content  # the compare-at price, inline
    assert option_page.status_code == 200
    assert b"medium" in option_page.content
    assert location_page.status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [("tee", ["Classic Tee"]), ("coffee-mug", ["Coffee Mug"]), ("POSTER-1", ["Art Poster"])],
)
def test_products_are_searched_by_name_slug_and_sku(staff, catalog, query, expected):
    response = staff.get("/admin/catalog/product/", {"q": query})

    assert [p.name for p in _listed(response)] == expected


def test_products_are_filtered_by_status(staff, catalog):
    response = staff.get("/admin/catalog/product/", {"status__exact": "draft"})

    assert [p.name for p in _listed(response)] == ["Draft Cap"]


def test_stock_is_edited_in_the_stock_list(staff, catalog):
    item = StockItem.objects.get(variant__sku="POSTER-1")
    response = staff.get("/admin/catalog/stockitem/", {"q": "POSTER-1"})
    assert [i.pk for i in _listed(response)] == [item.pk]

    response = staff.post(
        "/admin/catalog/stockitem/?q=POSTER-1",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(item.pk),
            "form-0-count_on_hand": "7",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.count_on_hand, item.backorderable) == (7, False)


def test_negative_stock_that_is_not_backorderable_is_refused(staff, catalog):
    item = StockItem.objects.get(variant__sku="POSTER-1")

    response = staff.post(
        "/admin/catalog/stockitem/?q=POSTER-1",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(item.pk),
            "form-0-count_on_hand": "-2",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.count_on_hand == 0


def _variant_form(variant_row, prices: list[dict]) -> dict:
    data = {
        "product": str(variant_row.product_id),
        "sku": variant_row.sku,
        "position": str(variant_row.position),
        "option_values": [str(v.pk) for v in variant_row.option_values.all()],
        "track_inventory": "on",
        "prices-TOTAL_FORMS": str(len(prices)),
        "prices-INITIAL_FORMS": "0",
        "stock_items-TOTAL_FORMS": "0",
        "stock_items-INITIAL_FORMS": "0",
    }
    for index, price in enumerate(prices):
        for key, value in price.items():
            data[f"prices-{index}-{key}"] = value
    return data


def test_a_price_in_a_new_currency_is_added_on_the_variant(staff, catalog):
    mug = variant("MUG-1")

    response = staff.post(
        f"/admin/catalog/variant/{mug.pk}/change/",
        _variant_form(mug, [{"currency": "gbp", "amount": "10.00", "compare_at_amount": "12"}]),
    )

    assert response.status_code == 302, response.context["errors"]
    assert Price.objects.get(variant=mug, currency="GBP").compare_at_amount == Decimal("12.00")


@pytest.mark.parametrize(
    "price",
    [
        {"currency": "XYZ", "amount": "10.00"},
        {"currency": "GBP", "amount": "10.00", "compare_at_amount": "9.00"},
        {"currency": "GBP", "amount": "-1.00"},
    ],
)
def test_bad_prices_are_refused(staff, catalog, price):
    mug = variant("MUG-1")

    response = staff.post(f"/admin/catalog/variant/{mug.pk}/change/", _variant_form(mug, [price]))

    assert response.status_code == 200
    assert not Price.objects.filter(variant=mug).exclude(currency__in=["USD", "EUR"]).exists()


def test_a_product_is_created_from_the_admin(staff, db):
    response = staff.post(
        "/admin/catalog/product/add/",
        {
            "name": "New Thing",
            "slug": "new-thing",
            "description": "",
            "tags": "[]",
            "status": "active",
            "meta_title": "",
            "meta_description": "",
            "meta_keywords": "",
            "variants-TOTAL_FORMS": "1",
            "variants-INITIAL_FORMS": "0",
            "variants-0-sku": "NEW-1",
            "variants-0-position": "0",
            "variants-0-track_inventory": "on",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    product = Product.objects.get(slug="new-thing")
    assert [v.sku for v in product.variants.all()] == ["NEW-1"]
