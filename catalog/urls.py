from django.urls import path

from catalog import api

urlpatterns = [
    path("products", api.ProductListView.as_view()),
    path("products/filters", api.ProductFiltersView.as_view()),
    path("products/<str:id_or_slug>", api.ProductDetailView.as_view()),
]
