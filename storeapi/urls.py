"""Everything under /api/v3/store/. Each app contributes its own `store_urls` module."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from storeapi.views import api_not_found

urlpatterns = [
    # The OpenAPI document and its docs page need no key: a browser cannot send one.
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi-schema"), name="openapi-docs"),
    path("", include("accounts.urls")),
    path("", include("customers.urls")),
    path("", include("catalog.urls")),
    path("", include("orders.urls")),
    path("", include("payments.urls")),
    path("", include("wishlists.urls")),
    re_path(r"^.*$", api_not_found),
]
