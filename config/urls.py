from django.contrib import admin
from django.urls import include, path

from storeapi import health

urlpatterns = [
    path("healthz", health.healthz),
    path("readyz", health.readyz),
    path("admin/", admin.site.urls),
    path("api/v3/store/", include("storeapi.urls")),
    path("api/", include("storeapi.fallback_urls")),
    # Storefront pages: each app serves its own (web_urls.py), calling the same services.
    path("", include("catalog.web_urls")),
    path("cart/", include("orders.web_urls")),
    path("account/", include("accounts.web_urls")),
    path("account/", include("customers.web_urls")),
    path("account/", include("payments.web_urls")),
    path("account/", include("wishlists.web_urls")),
]

handler404 = "storeapi.views.page_not_found"
handler500 = "storeapi.views.server_error"
