"""Storefront pages of accounts (Django templates under templates/accounts/)."""

urlpatterns: list = []
