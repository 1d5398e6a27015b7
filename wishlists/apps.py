from django.apps import AppConfig


class WishlistsConfig(AppConfig):
    name = "wishlists"
    default_auto_field = "django.db.models.BigAutoField"
