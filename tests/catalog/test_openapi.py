import json

from tests.conftest import StoreClient


def test_openapi_document_lists_the_product_routes_and_schemas(db):
    document = json.loads(StoreClient().get("/api/v3/store/openapi.json").content)

    for path in (
        "/api/v3/store/products",
        "/api/v3/store/products/{id_or_slug}",
        "/api/v3/store/products/filters",
    ):
        assert set(document["paths"][path]) == {"get"}, path
    schemas = document["components"]["schemas"]
    assert {"default_variant_id", "price", "original_price"} <= set(
        schemas["Product"]["properties"]
    )
    assert {"options_text", "option_values"} <= set(schemas["Variant"]["properties"])
    parameters = {
        p["name"] for p in document["paths"]["/api/v3/store/products"]["get"]["parameters"]
    }
    assert {
        "q[search]",
        "q[price_gte]",
        "q[with_option_value_ids][]",
        "sort",
        "expand",
    } <= parameters
