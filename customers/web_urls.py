"""Storefront pages of customers (Django templates under templates/customers/), under /account/."""

from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/new/", views.address_new, name="address_new"),
    path("addresses/<str:address_id>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<str:address_id>/delete/", views.address_delete, name="address_delete"),
    path(
        "addresses/<str:address_id>/default/",
        views.address_make_default,
        name="address_make_default",
    ),
    path("orders/", views.orders, name="orders"),
    path("orders/<str:order_id>/", views.order_detail, name="order_detail"),
    path("data/", views.data, name="data"),
    path("data/download/", views.data_download, name="data_download"),
    path("close/", views.close, name="close"),
]
