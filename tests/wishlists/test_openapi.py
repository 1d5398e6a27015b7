"""The OpenAPI document lists the wishlist routes and their shapes."""

import json

from tests.conftest import StoreClient

ROUTES = {
    "/api/v3/store/wishlists": {"get", "post"},
    "/api/v3/store/wishlists/{wishlist_id}": {"get", "patch", "delete"},
    "/api/v3/store/wishlists/{wishlist_id}/items": {"post"},
    "/api/v3/store/wishlists/{wishlist_id}/items/{item_id}": {"patch", "delete"},
    "/api/v3/store/shared_wishlists/{token}": {"get"},
}


def test_openapi_document_lists_the_wishlist_routes_and_schemas(db):
    document = json.loads(StoreClient().get("/api/v3/store/openapi.json").content)

    for path, methods in ROUTES.items():
        assert set(document["paths"][path]) == methods, path
    schemas = document["components"]["schemas"]
    assert set(schemas["Wishlist"]["properties"]) >= {
        "id",
        "name",
        "token",
        "is_default",
        "is_private",
    }
    assert set(schemas["WishlistItem"]["properties"]) >= {
        "id",
        "variant_id",
        "product_id",
        "wishlist_id",
        "quantity",
        "variant",
    }
