"""Storefront pages of payments (Django templates under templates/payments/)."""

urlpatterns: list = []
