"""Storefront pages of customers (Django templates under templates/customers/)."""

urlpatterns: list = []
