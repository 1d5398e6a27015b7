"""Storefront pages of wishlists (Django templates under templates/wishlists/)."""

urlpatterns: list = []
