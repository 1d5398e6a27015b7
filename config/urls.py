from django.contrib import admin
from django.urls import include, path

from orders.web_urls import order_urlpatterns
from storeapi import health
from storeapi.routing import memoized_include
from wishlists.views import wishlist_shared

urlpatterns = [
    path("healthz", health.healthz),
    path("readyz", health.readyz),
    path("admin/", admin.site.urls),
    # Memoized per path (storeapi/routing.py): the API's paths come back request after request.
    memoized_include("api/v3/store/", "storeapi.urls"),
    path("api/", include("storeapi.fallback_urls")),
    # Storefront pages: each app serves its own (web_urls.py), calling the same services.
    path("", include("catalog.web_urls")),
    path("cart/", include("orders.web_urls")),
    path("orders/", include((order_urlpatterns, "orders"))),
    path("account/", include("accounts.web_urls")),
    path("account/", include("customers.web_urls")),
    path("account/", include("payments.web_urls")),
    path("account/", include("wishlists.web_urls")),
    # A shared wishlist's public page (works signed out); the token is its only credential.
    path("wishlists/shared/<str:token>/", wishlist_shared, name="wishlist_shared"),
]

handler404 = "storeapi.views.page_not_found"
handler500 = "storeapi.views.server_error"
