"""Storefront pages of payments (Django templates under templates/payments/), under /account/."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("payment-methods/", views.payment_methods, name="payment_methods"),
    path(
        "payment-methods/cards/<str:method_id>/delete/",
        views.saved_method_delete,
        {"kind": "card"},
        name="card_delete",
    ),
    path(
        "payment-methods/cards/<str:method_id>/default/",
        views.saved_method_make_default,
        {"kind": "card"},
        name="card_make_default",
    ),
    path(
        "payment-methods/sources/<str:method_id>/delete/",
        views.saved_method_delete,
        {"kind": "source"},
        name="source_delete",
    ),
    path(
        "payment-methods/sources/<str:method_id>/default/",
        views.saved_method_make_default,
        {"kind": "source"},
        name="source_make_default",
    ),
    path("balances/", views.balances, name="balances"),
]
