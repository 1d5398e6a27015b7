import json

from tests.conftest import StoreClient

OUR_PATHS = {
    "/api/v3/store/auth/login": {"post"},
    "/api/v3/store/auth/refresh": {"post"},
    "/api/v3/store/auth/logout": {"post"},
    "/api/v3/store/auth/register": {"post"},
    "/api/v3/store/customers": {"post"},
    "/api/v3/store/customers/me": {"get", "patch"},
    "/api/v3/store/customers/me/sessions": {"get", "delete"},
    "/api/v3/store/customers/me/sessions/{session_id}": {"get", "delete"},
    "/api/v3/store/password_resets": {"post"},
    "/api/v3/store/password_resets/{token}": {"patch"},
}


def test_openapi_document_is_openapi_3_json_listing_our_paths(db):
    response = StoreClient().get("/api/v3/store/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Store API v3"
    for path, methods in OUR_PATHS.items():
        assert path in document["paths"], path
        assert methods <= set(document["paths"][path]), path


def test_openapi_document_lists_only_store_api_paths(db):
    document = json.loads(StoreClient().get("/api/v3/store/openapi.json").content)

    for path in document["paths"]:
        assert path.startswith("/api/v3/store/"), path
        assert "*" not in path and "^" not in path, path
    assert "/api/v3/store/openapi.json" not in document["paths"]


def test_openapi_document_declares_the_api_key_and_bearer_schemes(db):
    document = json.loads(StoreClient().get("/api/v3/store/openapi.json").content)

    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {"type": "apiKey", "in": "header", "name": "X-Spree-Api-Key"}
    assert schemes["BearerJWT"]["scheme"] == "bearer"


def test_openapi_customer_schema_lists_the_customer_fields(db):
    document = json.loads(StoreClient().get("/api/v3/store/openapi.json").content)

    customer = document["components"]["schemas"]["Customer"]
    assert {"id", "email", "full_name", "addresses", "customer_groups"} <= set(
        customer["properties"]
    )


def test_docs_page_is_served(db):
    response = StoreClient().get("/api/v3/store/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"openapi.json" in response.content
