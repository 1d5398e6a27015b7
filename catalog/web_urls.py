"""Storefront pages of catalog (Django templates under templates/catalog/)."""

from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product_list"),
    path("products/<str:slug>/", views.product_detail, name="product_detail"),
]
