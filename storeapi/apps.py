from django.apps import AppConfig


class StoreApiConfig(AppConfig):
    name = "storeapi"
    verbose_name = "Store API"
    default_auto_field = "django.db.models.BigAutoField"
