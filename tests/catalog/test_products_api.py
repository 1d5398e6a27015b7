"""GET /products and GET /products/:id_or_slug."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Price, Product, StockItem, StockLocation
from tests.catalog.conftest import ago, make_product, variant
from tests.conftest import StoreClient

# The keys of `ProductSchema` / `VariantSchema` / ... in @spree/sdk/zod 1.2.1 that are not
# optional; the optional ones appear only when expanded.
PRODUCT_KEYS = {
    "id",
    "name",
    "slug",
    "meta_title",
    "meta_description",
    "meta_keywords",
    "variant_count",
    "available_on",
    "preorder_ships_at",
    "purchasable",
    "preorder",
    "in_stock",
    "backorderable",
    "available",
    "description",
    "description_html",
    "default_variant_id",
    "thumbnail_url",
    "tags",
    "price",
    "original_price",
}
VARIANT_KEYS = {
    "id",
    "product_id",
    "sku",
    "options_text",
    "track_inventory",
    "media_count",
    "preorder_ships_at",
    "thumbnail_url",
    "purchasable",
    "in_stock",
    "backorderable",
    "preorder",
    "weight",
    "height",
    "width",
    "depth",
    "price",
    "original_price",
    "option_values",
}
PRICE_KEYS = {
    "id",
    "amount",
    "amount_in_cents",
    "compare_at_amount",
    "compare_at_amount_in_cents",
    "currency",
    "display_amount",
    "display_compare_at_amount",
    "price_list_id",
}
OPTION_VALUE_KEYS = {
    "id",
    "option_type_id",
    "name",
    "label",
    "position",
    "color_code",
    "option_type_name",
    "option_type_label",
    "image_url",
}


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["data"]]


# --- listing: what is shown -------------------------------------------------------------------


def test_list_shows_only_published_products_priced_in_the_currency_in_creation_order(api, catalog):
    response = api.get("/products")

    assert _ids(response) == [
        catalog["tee"].public_id,
        catalog["mug"].public_id,
        catalog["poster"].public_id,
        catalog["hoodie"].public_id,
    ]
    assert response.json()["meta"] == {
        "page": 1,
        "limit": 25,
        "count": 4,
        "pages": 1,
        "from": 1,
        "to": 4,
        "in": 4,
        "previous": None,
        "next": None,
    }


@pytest.mark.parametrize(
    "hidden", ["draft", "archived", "future", "discontinued", "unpublished", "priceless"]
)
def test_unpublished_or_unpriced_products_are_hidden_from_the_list_and_the_detail(
    api, catalog, hidden
):
    product = catalog[hidden]

    assert product.public_id not in _ids(api.get("/products"))
    for key in (product.public_id, product.slug):
        response = api.get(f"/products/{key}")
        assert response.status_code == 404
        assert response.json() == {
            "error": {"code": "record_not_found", "message": "Product not found"}
        }


def test_a_product_discontinued_in_the_future_is_still_shown(api, catalog):
    Product.objects.filter(pk=catalog["mug"].pk).update(
        discontinue_on=timezone.now() + timezone.timedelta(days=1)
    )

    assert catalog["mug"].public_id in _ids(api.get("/products"))


def test_list_requires_the_publishable_key(catalog):
    response = StoreClient().get("/products")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_list_pages_with_limit_and_page(api, catalog):
    response = api.get("/products", {"limit": 3, "page": 2})

    assert _slugs(response) == ["zip-hoodie"]
    meta = response.json()["meta"]
    assert (meta["count"], meta["pages"], meta["from"], meta["to"], meta["in"]) == (4, 2, 4, 4, 1)
    assert (meta["previous"], meta["next"]) == (2 - 1, None)


# --- the product shape --------------------------------------------------------------------------


def test_product_has_exactly_the_schema_keys_and_its_default_variant_price(api, catalog):
    tee = catalog["tee"]

    data = api.get(f"/products/{tee.public_id}").json()

    assert set(data) == PRODUCT_KEYS
    assert set(data["price"]) == PRICE_KEYS
    assert data == {
        "id": tee.public_id,
        "name": "Classic Tee",
        "slug": "classic-tee",
        "meta_title": "Classic Tee | Demo",
        "meta_description": None,
        "meta_keywords": None,
        "variant_count": 3,
        "available_on": data["available_on"],
        "preorder_ships_at": None,
        "purchasable": True,
        "preorder": False,
        "in_stock": True,
        "backorderable": False,
        "available": True,
        "description": "A soft cotton tee.",
        "description_html": "<p>A <strong>soft</strong> cotton tee.</p>",
        "default_variant_id": variant("TEE-S").public_id,
        "thumbnail_url": None,
        "tags": ["cotton", "summer"],
        "price": {
            "id": Price.objects.get(variant__sku="TEE-S").public_id,
            "amount": "20.00",
            "amount_in_cents": 2000,
            "compare_at_amount": None,
            "compare_at_amount_in_cents": None,
            "currency": "USD",
            "display_amount": "$20.00",
            "display_compare_at_amount": None,
            "price_list_id": None,
        },
        "original_price": None,
    }
    assert data["available_on"].startswith(tee.available_on.strftime("%Y-%m-%dT%H:%M:%S"))


def test_product_is_found_by_slug_too(api, catalog):
    response = api.get("/products/coffee-mug")

    assert response.status_code == 200
    assert response.json()["id"] == catalog["mug"].public_id


@pytest.mark.parametrize(
    "key", ["prod_nope", "prod_UkLWZg9DAJX", "no-such-product", "variant_UkLWZg9DAJ"]
)
def test_unknown_product_is_record_not_found(api, catalog, key):
    response = api.get(f"/products/{key}")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "record_not_found", "message": "Product not found"}
    }


def test_default_variant_is_the_first_purchasable_variant_with_options(api, catalog):
    StockItem.objects.filter(variant__sku="TEE-S").update(count_on_hand=0)

    data = api.get("/products/classic-tee").json()

    assert data["default_variant_id"] == variant("TEE-L").public_id
    assert data["price"]["amount"] == "24.00"


def test_default_variant_falls_back_to_the_first_when_nothing_can_be_bought(api, catalog):
    StockItem.objects.filter(variant__product=catalog["tee"]).update(count_on_hand=0)

    data = api.get("/products/classic-tee").json()

    assert data["default_variant_id"] == variant("TEE-S").public_id
    assert (data["purchasable"], data["in_stock"], data["backorderable"]) == (False, False, False)


def test_a_product_without_options_has_no_variants_but_a_default_variant(api, catalog):
    data = api.get("/products/coffee-mug", {"expand": "variants,default_variant"}).json()

    assert data["variant_count"] == 0
    assert data["variants"] == []
    assert data["default_variant"]["id"] == variant("MUG-1").public_id
    assert data["default_variant"]["weight"] == 0.35
    assert data["default_variant"]["options_text"] == ""
    assert data["default_variant_id"] == variant("MUG-1").public_id


@pytest.mark.parametrize(
    ("key", "flags"),
    [
        ("tee", (True, True, False)),
        ("mug", (True, True, False)),
        ("poster", (False, False, False)),
        ("hoodie", (True, False, True)),
    ],
)
def test_stock_flags_of_products(api, catalog, key, flags):
    data = api.get(f"/products/{catalog[key].public_id}").json()

    assert (data["purchasable"], data["in_stock"], data["backorderable"]) == flags


def test_untracked_variant_is_in_stock_without_stock(api, catalog):
    variant_row = variant("POSTER-1")
    variant_row.track_inventory = False
    variant_row.save()

    data = api.get("/products/art-poster").json()

    assert (data["purchasable"], data["in_stock"]) == (True, True)


def test_stock_at_an_inactive_location_does_not_count(api, catalog):
    closed = StockLocation.objects.create(name="Closed", is_active=False)
    StockItem.objects.create(variant=variant("POSTER-1"), stock_location=closed, count_on_hand=9)

    assert api.get("/products/art-poster").json()["in_stock"] is False


# --- expand and fields ------------------------------------------------------------------------


def test_expanded_variants_have_exactly_the_schema_keys_with_prices_and_options(api, catalog):
    o = catalog

    data = api.get("/products/classic-tee", {"expand": "variants"}).json()

    assert set(data) == PRODUCT_KEYS | {"variants"}
    assert [v["sku"] for v in data["variants"]] == ["TEE-S", "TEE-M", "TEE-L"]
    medium = data["variants"][1]
    assert set(medium) == VARIANT_KEYS
    assert {key: medium[key] for key in VARIANT_KEYS - {"price", "option_values"}} == {
        "id": variant("TEE-M").public_id,
        "product_id": o["tee"].public_id,
        "sku": "TEE-M",
        "options_text": "Size: M, Color: Red",
        "track_inventory": True,
        "media_count": 0,
        "preorder_ships_at": None,
        "thumbnail_url": None,
        "purchasable": False,
        "in_stock": False,
        "backorderable": False,
        "preorder": False,
        "weight": None,
        "height": None,
        "width": None,
        "depth": None,
        "original_price": None,
    }
    assert medium["price"] == {
        "id": Price.objects.get(variant__sku="TEE-M").public_id,
        "amount": "22.00",
        "amount_in_cents": 2200,
        "compare_at_amount": "30.00",
        "compare_at_amount_in_cents": 3000,
        "currency": "USD",
        "display_amount": "$22.00",
        "display_compare_at_amount": "$30.00",
        "price_list_id": None,
    }
    assert [set(value) for value in medium["option_values"]] == [OPTION_VALUE_KEYS] * 2
    assert medium["option_values"][1] == {
        "id": o["opt_red"].public_id,
        "option_type_id": o["opt_color"].public_id,
        "name": "red",
        "label": "Red",
        "position": 1,
        "color_code": "#ff0000",
        "option_type_name": "color",
        "option_type_label": "Color",
        "image_url": None,
    }
    assert medium["option_values"][0]["color_code"] is None


def test_expand_option_types_and_option_values(api, catalog):
    o = catalog

    data = api.get("/products/classic-tee", {"expand": "option_types,option_values"}).json()

    assert data["option_types"] == [
        {
            "id": o["opt_size"].public_id,
            "name": "size",
            "label": "Size",
            "position": 1,
            "kind": "dropdown",
        },
        {
            "id": o["opt_color"].public_id,
            "name": "color",
            "label": "Color",
            "position": 2,
            "kind": "color_swatch",
        },
    ]
    assert [v["id"] for v in data["option_values"]] == [
        o[key].public_id for key in ("opt_S", "opt_M", "opt_L", "opt_red", "opt_blue")
    ]


def test_without_expand_no_association_is_included(api, catalog):
    row = api.get("/products").json()["data"][0]

    assert set(row) == PRODUCT_KEYS


def test_nested_expand_expands_the_top_level_association(api, catalog):
    data = api.get("/products/classic-tee", {"expand": "default_variant.option_values"}).json()

    assert data["default_variant"]["sku"] == "TEE-S"


def test_fields_keeps_the_requested_keys_the_id_and_expanded_associations(api, catalog):
    response = api.get("/products", {"fields": "name,price", "expand": "default_variant"})

    rows = response.json()["data"]
    assert [set(row) for row in rows] == [{"id", "name", "price", "default_variant"}] * 4
    detail = api.get("/products/coffee-mug", {"fields": "slug"}).json()
    assert detail == {"id": catalog["mug"].public_id, "slug": "coffee-mug"}


# --- currency ---------------------------------------------------------------------------------


def test_currency_header_lists_the_products_priced_in_it(api, catalog):
    response = api.get("/products", HTTP_X_SPREE_CURRENCY="eur")

    assert _slugs(response) == ["coffee-mug", "euro-cap"]
    price = response.json()["data"][0]["price"]
    assert (price["amount"], price["currency"], price["display_amount"]) == (
        "11.00",
        "EUR",
        "€11.00",
    )
    assert "x-spree-currency" in response["Vary"]


def test_currency_query_parameter_is_the_fallback(api, catalog):
    assert _slugs(api.get("/products", {"currency": "EUR"})) == ["coffee-mug", "euro-cap"]
    response = api.get("/products/euro-cap", {"currency": "EUR"})
    assert response.json()["price"]["amount"] == "9.00"


def test_a_currency_the_store_does_not_sell_in_falls_back_to_the_store_currency(api, catalog):
    response = api.get("/products", HTTP_X_SPREE_CURRENCY="GBP")

    assert len(_ids(response)) == 4
    assert {row["price"]["currency"] for row in response.json()["data"]} == {"USD"}


def test_a_product_priced_only_in_another_currency_is_not_found(api, catalog):
    assert api.get("/products/euro-cap").status_code == 404
    assert api.get("/products/euro-cap", HTTP_X_SPREE_CURRENCY="EUR").status_code == 200


def test_currency_without_minor_units(api, db):
    make_product("Yen Fan", variants=[{"prices": {"JPY": "1500"}}])

    price = api.get("/products/yen-fan", HTTP_X_SPREE_CURRENCY="JPY").json()["price"]

    assert (price["amount"], price["amount_in_cents"], price["display_amount"]) == (
        "1500",
        1500,
        "¥1,500",
    )


def test_only_variants_priced_in_the_currency_are_shown(api, catalog):
    Price.objects.create(variant=variant("TEE-L"), currency="EUR", amount=Decimal("21.00"))

    data = api.get("/products/classic-tee", {"expand": "variants"}, HTTP_X_SPREE_CURRENCY="EUR")

    assert [v["sku"] for v in data.json()["variants"]] == ["TEE-L"]
    assert data.json()["variant_count"] == 1
    assert data.json()["default_variant_id"] == variant("TEE-L").public_id


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q[name_cont]": "tee"}, ["classic-tee"]),
        ({"q[name_cont]": "MUG"}, ["coffee-mug"]),
        ({"q[name_cont]": "cap"}, []),
        ({"q[search]": "poster-1"}, ["art-poster"]),
        ({"q[search]": "Hood"}, ["zip-hoodie"]),
        ({"q[search]": "tee-l"}, ["classic-tee"]),
        ({"q[search]": "o"}, ["coffee-mug", "art-poster", "zip-hoodie"]),
        ({"q[search]": "gone"}, []),
        ({"q[price_gte]": "24"}, ["classic-tee", "art-poster", "zip-hoodie"]),
        ({"q[price_lte]": "20"}, ["classic-tee", "coffee-mug"]),
        ({"q[price_gte]": "21", "q[price_lte]": "23"}, ["classic-tee"]),
        ({"q[price_gte]": "13", "q[price_lte]": "19.99"}, []),
        ({"q[in_stock]": "true"}, ["classic-tee", "coffee-mug", "zip-hoodie"]),
        ({"q[in_stock]": "1"}, ["classic-tee", "coffee-mug", "zip-hoodie"]),
        ({"q[in_stock]": "false"}, ["classic-tee", "coffee-mug", "art-poster", "zip-hoodie"]),
        ({"q[out_of_stock]": "true"}, ["art-poster"]),
        ({"q[slug_eq]": "coffee-mug"}, ["coffee-mug"]),
        ({"q[name_cont]": "e", "q[price_lte]": "25"}, ["classic-tee", "coffee-mug"]),
    ],
)
def test_list_filters(api, catalog, query, expected):
    assert _slugs(api.get("/products", query)) == expected


def test_search_by_sku_returns_a_product_once(api, catalog):
    response = api.get("/products", {"q[search]": "TEE"})

    assert _slugs(response) == ["classic-tee"]
    assert response.json()["meta"]["count"] == 1


def test_filter_by_option_values_is_or_within_a_type_and_and_across_types(api, catalog):
    o = catalog
    polo = make_product(
        "Polo",
        location=o["location"],
        variants=[{"sku": "POLO-M", "option_values": [o["opt_M"], o["opt_blue"]]}],
    )

    def by(*keys):
        return _slugs(
            api.get("/products", {"q[with_option_value_ids][]": [o[k].public_id for k in keys]})
        )

    assert by("opt_L") == ["classic-tee"]
    assert by("opt_M") == ["classic-tee", polo.slug]
    assert by("opt_S", "opt_M") == ["classic-tee", polo.slug]
    assert by("opt_S", "opt_blue") == ["classic-tee"]
    assert by("opt_M", "opt_blue") == ["classic-tee", polo.slug]
    assert by("opt_S", "opt_L", "opt_red") == ["classic-tee"]


def test_option_value_filter_accepts_a_comma_list_and_plain_ids(api, catalog):
    o = catalog
    joined = f"{o['opt_L'].public_id},{o['opt_S'].public_id}"

    assert _slugs(api.get("/products", {"q[with_option_value_ids][]": joined})) == ["classic-tee"]
    assert _slugs(api.get("/products", {"q[with_option_value_ids][]": str(o["opt_L"].pk)})) == [
        "classic-tee"
    ]


@pytest.mark.parametrize("raw", ["²", "١٢", "9" * 30])
def test_option_value_ids_that_only_look_numeric_match_nothing(api, catalog, raw):
    for path in ("/products", "/products/filters"):
        response = api.get(path, {"q[with_option_value_ids][]": raw})

        assert response.status_code == 200, (path, response.content)
    assert _ids(api.get("/products", {"q[with_option_value_ids][]": raw})) == []


def test_option_value_ids_that_name_nothing_match_nothing(api, catalog):
    response = api.get("/products", {"q[with_option_value_ids][]": ["optval_nope", "prod_x"]})

    assert _ids(response) == []
    assert response.json()["meta"]["count"] == 0


@pytest.mark.parametrize("key", ["q[price_gte]", "q[price_lte]"])
@pytest.mark.parametrize("value", ["cheap", "NaN", "Infinity"])
def test_a_price_filter_that_is_not_a_number_is_a_bad_request(api, catalog, key, value):
    response = api.get("/products", {key: value})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


# --- sorting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["coffee-mug", "classic-tee", "art-poster", "zip-hoodie"]),
        ("-price", ["zip-hoodie", "art-poster", "classic-tee", "coffee-mug"]),
        ("name", ["art-poster", "classic-tee", "coffee-mug", "zip-hoodie"]),
        ("-name", ["zip-hoodie", "coffee-mug", "classic-tee", "art-poster"]),
        ("available_on", ["classic-tee", "coffee-mug", "art-poster", "zip-hoodie"]),
        ("-available_on", ["zip-hoodie", "art-poster", "coffee-mug", "classic-tee"]),
        ("created_at", ["coffee-mug", "zip-hoodie", "classic-tee", "art-poster"]),
        ("-created_at", ["art-poster", "classic-tee", "zip-hoodie", "coffee-mug"]),
        ("best_selling", ["classic-tee", "coffee-mug", "art-poster", "zip-hoodie"]),  # no sales
        ("manual", ["classic-tee", "coffee-mug", "art-poster", "zip-hoodie"]),
        ("nonsense", ["classic-tee", "coffee-mug", "art-poster", "zip-hoodie"]),
        ("", ["classic-tee", "coffee-mug", "art-poster", "zip-hoodie"]),
    ],
)
def test_list_sorts(api, catalog, sort, expected):
    for days, key in enumerate(["poster", "tee", "hoodie", "mug"]):
        Product.objects.filter(pk=catalog[key].pk).update(created_at=ago(days))

    assert _slugs(api.get("/products", {"sort": sort})) == expected


def _sold(number: int, skus: list[str], *, state: str = "complete", total: str = "10.00"):
    from orders.models import LineItem, Order

    order = Order.objects.create(
        number=f"R{number:09d}",
        token=f"sold-{number}",
        email="buyer@example.com",
        currency="USD",
        state=state,
        completed_at=None if state == "cart" else timezone.now(),
        total=Decimal(total),
    )
    for sku in skus:
        LineItem.objects.create(
            order=order, variant=variant(sku), quantity=2, price=Decimal("5.00"), currency="USD"
        )


def test_best_selling_puts_the_products_of_the_most_completed_orders_first(api, catalog):
    """Spree's by_best_selling: completed orders that have the product (an order with two of its
    variants counts once), then their totals; carts and canceled orders are not sales."""
    _sold(1, ["MUG-1"])
    _sold(2, ["MUG-1", "TEE-S"], total="15.00")
    _sold(3, ["MUG-1"])
    _sold(4, ["TEE-S", "TEE-M"], total="90.00")  # the tee: 2 orders, 105.00
    _sold(5, ["HOODIE-1"], total="500.00")  # the hoodie: 1 order
    for number in (6, 7, 8):
        _sold(number, ["HOODIE-1"], state="canceled")
        _sold(number + 10, ["POSTER-1"], state="cart")

    assert _slugs(api.get("/products", {"sort": "best_selling"})) == [
        "coffee-mug",  # 3 orders
        "classic-tee",  # 2 orders
        "zip-hoodie",  # 1 order
        "art-poster",  # only in carts
    ]


def test_best_selling_breaks_a_tie_in_orders_by_their_totals(api, catalog):
    _sold(1, ["MUG-1"], total="40.00")
    _sold(2, ["HOODIE-1"], total="60.00")

    assert _slugs(api.get("/products", {"sort": "best_selling"}))[:2] == [
        "zip-hoodie",
        "coffee-mug",
    ]


def test_price_sort_uses_the_lowest_price_and_minus_price_the_highest(api, catalog):
    # The tee costs 20 to 24: below a 21 mug by its lowest, above a 23 mug by its highest.
    Price.objects.filter(variant__sku="MUG-1", currency="USD").update(amount=Decimal("21.00"))
    Product.objects.filter(pk__in=[catalog["poster"].pk, catalog["hoodie"].pk]).update(
        status=Product.DRAFT
    )

    assert _slugs(api.get("/products", {"sort": "price"})) == ["classic-tee", "coffee-mug"]
    Price.objects.filter(variant__sku="MUG-1", currency="USD").update(amount=Decimal("23.00"))
    assert _slugs(api.get("/products", {"sort": "-price"})) == ["classic-tee", "coffee-mug"]


def test_price_sort_uses_prices_in_the_request_currency(api, catalog):
    Price.objects.create(variant=variant("POSTER-1"), currency="EUR", amount=Decimal("5.00"))

    response = api.get("/products", {"sort": "price"}, HTTP_X_SPREE_CURRENCY="EUR")

    assert _slugs(response) == ["art-poster", "euro-cap", "coffee-mug"]


def test_sort_by_several_keys(api, catalog):
    Product.objects.filter(pk=catalog["mug"].pk).update(name="Art Poster")

    assert _slugs(api.get("/products", {"sort": "name,-price"})) == [
        "art-poster",
        "coffee-mug",
        "classic-tee",
        "zip-hoodie",
    ]


# --- query counts -----------------------------------------------------------------------------


def _shop(count: int, options) -> None:
    location = StockLocation.objects.create(name="Bulk", is_default=True)
    for index in range(count):
        make_product(
            f"Bulk {index}",
            location=location,
            variants=[
                {"sku": f"B{index}-S", "option_values": [options["S"], options["red"]]},
                {"sku": f"B{index}-M", "option_values": [options["M"], options["blue"]]},
            ],
        )


# The key lookup is cached. The count (only when the page is full), the page, the priced
# variants with their prices and stock, their option values with their types, and the products'
# option types.
LIST_QUERY_BOUND = 5
# Without an expansion that shows option values or option types: the count (only when the page
# is full), the page and the priced variants with their prices and stock.
SUMMARY_LIST_QUERY_BOUND = 3


@pytest.mark.parametrize("count", [1, 30])
def test_list_without_expanded_variants_reads_the_page_and_the_variants(
    api, options, django_assert_max_num_queries, count
):
    _shop(count, options)
    api.get("/products")

    with django_assert_max_num_queries(SUMMARY_LIST_QUERY_BOUND):
        response = api.get("/products", {"sort": "price", "q[in_stock]": "true"})

    body = response.json()
    assert (len(body["data"]), body["meta"]["count"]) == (min(count, 25), count)


def test_a_short_list_is_not_counted_separately(api, options, django_assert_num_queries):
    _shop(3, options)
    api.get("/products")

    with django_assert_num_queries(SUMMARY_LIST_QUERY_BOUND - 1):  # page, variants
        response = api.get("/products", {"page": "2", "limit": "2"})

    assert response.json()["meta"] == {
        "page": 2,
        "limit": 2,
        "count": 3,
        "pages": 2,
        "from": 3,
        "to": 3,
        "in": 1,
        "previous": 1,
        "next": None,
    }


def test_detail_without_expanded_variants_reads_the_product_and_its_variants(
    api, options, django_assert_num_queries
):
    _shop(1, options)
    api.get("/products")

    with django_assert_num_queries(2):
        plain = api.get("/products/bulk-0")
    with django_assert_num_queries(3):  # + the option types
        expanded = api.get("/products/bulk-0", {"expand": "option_types"})

    assert plain.json()["variant_count"] == 2
    assert [t["name"] for t in expanded.json()["option_types"]] == ["size", "color"]


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_does_not_grow_with_the_products(
    api, options, django_assert_max_num_queries, count
):
    _shop(count, options)
    query = {"expand": "variants,default_variant,option_types,option_values", "sort": "price"}
    api.get("/products")  # warms the API key cache, as in production

    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = api.get("/products", {**query, "q[in_stock]": "true"})

    assert len(response.json()["data"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_detail_query_count_does_not_grow_with_the_variants(
    api, options, django_assert_max_num_queries, count
):
    location = StockLocation.objects.create(name="Bulk", is_default=True)
    make_product(
        "Many",
        location=location,
        variants=[{"option_values": [options["S"]]} for _ in range(count)],
    )
    api.get("/products")

    with django_assert_max_num_queries(LIST_QUERY_BOUND - 1):  # no count
        response = api.get("/products/many", {"expand": "variants,option_types,option_values"})

    assert len(response.json()["variants"]) == count


# --- the plain listing (no q[...], default sort) reads precompiled statements ----------------


@pytest.mark.parametrize("currency", ["USD", "EUR", "GBP"])
def test_the_plain_listings_reads_answer_what_the_querysets_do(catalog, currency):
    """Every published/priced combination of the catalog fixture (drafts, archived, future,
    discontinued now and later, unpriced, priced in another currency), every window."""
    from catalog import selectors

    Product.objects.filter(pk=catalog["mug"].pk).update(
        discontinue_on=timezone.now() + timedelta(days=3)
    )
    queryset = selectors.products_available(currency=currency)
    assert selectors.products_available_count(currency=currency) == queryset.count()
    for offset in range(0, 6):
        for limit in (1, 2, 3, 25):
            page = selectors.products_available_page(offset, limit, currency=currency)
            expected = list(queryset[offset : offset + limit])
            assert [p.pk for p in page] == [p.pk for p in expected], (offset, limit)
            assert [
                [getattr(p, f.attname) for f in Product._meta.concrete_fields] for p in page
            ] == [[getattr(p, f.attname) for f in Product._meta.concrete_fields] for p in expected]


@pytest.mark.parametrize("query", ["", "?sort=manual", "?limit=2", "?limit=2&page=2", "?page=9"])
def test_the_plain_listing_answers_as_the_filtered_path_with_a_filter_that_keeps_all(
    api, catalog, query
):
    """`q[name_present]=1` keeps every product (all have names) but takes the queryset path."""
    plain = api.get(f"/products{query}")
    joiner = "&" if query else "?"
    filtered = api.get(f"/products{query}{joiner}q[name_present]=1")

    assert plain.status_code == filtered.status_code == 200
    assert plain.json() == filtered.json()


@pytest.mark.parametrize("count", [1, 30])
def test_the_plain_listing_reads_the_page_the_count_when_full_and_the_variants(
    api, options, django_assert_max_num_queries, count
):
    _shop(count, options)
    api.get("/products")  # the key lookup is cached

    with django_assert_max_num_queries(SUMMARY_LIST_QUERY_BOUND):
        response = api.get("/products")

    body = response.json()
    assert (len(body["data"]), body["meta"]["count"]) == (min(count, 25), count)
