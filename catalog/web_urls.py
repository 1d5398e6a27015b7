"""Storefront pages of catalog (Django templates under templates/catalog/)."""

urlpatterns: list = []
