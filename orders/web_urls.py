"""Storefront pages of orders (Django templates under templates/orders/)."""

urlpatterns: list = []
