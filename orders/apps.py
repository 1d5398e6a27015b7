from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from orders.emails import ORDER_CONFIRMATION, order_confirmations
        from outbox.services import email_kind_register

        email_kind_register(ORDER_CONFIRMATION, order_confirmations)
