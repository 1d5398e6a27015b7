from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401  (registers the OpenAPI auth extension)
        from accounts.emails import PASSWORD_RESET, password_resets
        from outbox.services import email_kind_register

        email_kind_register(PASSWORD_RESET, password_resets)
