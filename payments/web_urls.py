"""Storefront pages of payments (Django templates under templates/payments/), under /account/."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("payment-methods/", views.payment_methods, name="payment_methods"),
    path("payment-methods/cards/<str:card_id>/delete/", views.card_delete, name="card_delete"),
    path(
        "payment-methods/cards/<str:card_id>/default/",
        views.card_make_default,
        name="card_make_default",
    ),
    path(
        "payment-methods/sources/<str:source_id>/delete/",
        views.source_delete,
        name="source_delete",
    ),
    path(
        "payment-methods/sources/<str:source_id>/default/",
        views.source_make_default,
        name="source_make_default",
    ),
    path("balances/", views.balances, name="balances"),
]
