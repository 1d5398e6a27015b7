"""GET /products/filters: price range, availability and option facets, sort options."""

from __future__ import annotations

import pytest

from catalog.models import StockLocation
from tests.catalog.conftest import make_product
from tests.conftest import StoreClient

SORT_OPTIONS = [
    {"id": sort, "label": None}
    for sort in (
        "manual",
        "best_selling",
        "price",
        "-price",
        "-available_on",
        "available_on",
        "name",
        "-name",
    )
]


def _option(value, count: int) -> dict:
    return {
        "id": value.public_id,
        "name": value.name,
        "label": value.label,
        "position": value.position,
        "color_code": value.color_code or None,
        "image_url": None,
        "count": count,
    }


def _facet(option_type, options: list[dict]) -> dict:
    return {
        "id": option_type.public_id,
        "type": "option",
        "name": option_type.name,
        "label": option_type.label,
        "kind": option_type.kind,
        "options": options,
    }


def test_filters_describe_every_shown_product(api, catalog):
    o = catalog

    response = api.get("/products/filters")

    assert response.status_code == 200
    assert response.json() == {
        "id": "product_filters",
        "default_sort": "manual",
        "total_count": 4,
        "filters": [
            {"id": "price", "type": "price_range", "min": 12.5, "max": 50.0, "currency": "USD"},
            {
                "id": "availability",
                "type": "availability",
                "options": [{"id": "in_stock", "count": 3}, {"id": "out_of_stock", "count": 1}],
            },
            _facet(
                o["opt_size"],
                [_option(o["opt_S"], 1), _option(o["opt_M"], 1), _option(o["opt_L"], 1)],
            ),
            _facet(o["opt_color"], [_option(o["opt_red"], 1), _option(o["opt_blue"], 1)]),
        ],
        "sort_options": SORT_OPTIONS,
    }


def test_filters_follow_the_list_filters(api, catalog):
    response = api.get("/products/filters", {"q[name_cont]": "o", "q[price_lte]": "40"})

    data = response.json()
    assert data["total_count"] == 2  # the mug and the poster
    assert data["filters"] == [
        {"id": "price", "type": "price_range", "min": 12.5, "max": 30.0, "currency": "USD"},
        {
            "id": "availability",
            "type": "availability",
            "options": [{"id": "in_stock", "count": 1}, {"id": "out_of_stock", "count": 1}],
        },
    ]


def test_option_counts_ignore_the_selection_in_their_own_option_type(api, catalog):
    o = catalog
    location = o["location"]
    # Shirts: tee (S red, M red, L blue), polo (M blue), vest (S blue).
    make_product(
        "Polo", location=location, variants=[{"option_values": [o["opt_M"], o["opt_blue"]]}]
    )
    make_product(
        "Vest", location=location, variants=[{"option_values": [o["opt_S"], o["opt_blue"]]}]
    )

    data = api.get(
        "/products/filters", {"q[with_option_value_ids][]": [o["opt_S"].public_id]}
    ).json()

    assert data["total_count"] == 2  # tee and vest come in S
    size, color = data["filters"][2:]
    # Sizes count as if no size were chosen; colours count among the S products.
    assert size == _facet(
        o["opt_size"], [_option(o["opt_S"], 2), _option(o["opt_M"], 2), _option(o["opt_L"], 1)]
    )
    assert color == _facet(o["opt_color"], [_option(o["opt_red"], 1), _option(o["opt_blue"], 2)])


def test_option_counts_with_selections_in_two_option_types(api, catalog):
    o = catalog
    location = o["location"]
    make_product(
        "Polo", location=location, variants=[{"option_values": [o["opt_M"], o["opt_blue"]]}]
    )

    data = api.get(
        "/products/filters",
        {"q[with_option_value_ids][]": [o["opt_M"].public_id, o["opt_red"].public_id]},
    ).json()

    assert data["total_count"] == 1  # only the tee is M and red
    size, color = data["filters"][2:]
    # Sizes among red products (the tee); colours among M products (tee and polo).
    assert size == _facet(
        o["opt_size"], [_option(o["opt_S"], 1), _option(o["opt_M"], 1), _option(o["opt_L"], 1)]
    )
    assert color == _facet(o["opt_color"], [_option(o["opt_red"], 1), _option(o["opt_blue"], 2)])


def test_filters_in_another_currency(api, catalog):
    data = api.get("/products/filters", HTTP_X_SPREE_CURRENCY="EUR").json()

    assert data["total_count"] == 2
    assert data["filters"][0] == {
        "id": "price",
        "type": "price_range",
        "min": 9.0,
        "max": 11.0,
        "currency": "EUR",
    }


def test_filters_with_nothing_matching_have_no_filters(api, catalog):
    for query in ({"q[name_cont]": "nothing"}, {"q[with_option_value_ids][]": "optval_nope"}):
        data = api.get("/products/filters", query).json()

        assert data == {
            "id": "product_filters",
            "default_sort": "manual",
            "total_count": 0,
            "filters": [],
            "sort_options": SORT_OPTIONS,
        }


def test_filters_ignore_the_category_id(api, catalog):
    assert (
        api.get("/products/filters", {"category_id": "ctg_UkLWZg9DAJ"}).json()["total_count"] == 4
    )


def test_filters_require_the_publishable_key(catalog):
    response = StoreClient().get("/products/filters")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_filters_with_a_bad_price_are_a_bad_request(api, catalog):
    response = api.get("/products/filters", {"q[price_gte]": "ten"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


FILTERS_QUERY_BOUND = 6  # count, in-stock count, price range, option values, one count per scope


@pytest.mark.parametrize("count", [1, 20])
def test_filters_query_count_does_not_grow_with_the_products(
    api, options, django_assert_max_num_queries, count
):
    location = StockLocation.objects.create(name="Bulk", is_default=True)
    for index in range(count):
        make_product(
            f"Bulk {index}",
            location=location,
            variants=[
                {"option_values": [options["S"], options["red"]]},
                {"option_values": [options["M"]]},
            ],
        )
    api.get("/products")
    selected = [options["S"].public_id, options["red"].public_id]

    with django_assert_max_num_queries(FILTERS_QUERY_BOUND + 2):  # + selection lookup, + a scope
        response = api.get("/products/filters", {"q[with_option_value_ids][]": selected})
    with django_assert_max_num_queries(FILTERS_QUERY_BOUND - 1):
        api.get("/products/filters")

    assert response.json()["total_count"] == count
