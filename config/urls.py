from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v3/store/", include("storeapi.urls")),
    path("api/", include("storeapi.fallback_urls")),
]

handler404 = "storeapi.views.page_not_found"
handler500 = "storeapi.views.server_error"
