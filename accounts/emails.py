"""Customer emails. Called from `transaction.on_commit`, never inside a transaction."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_password_reset(*, user, link: str) -> None:
    context = {
        "user": user,
        "link": link,
        "store_name": settings.STORE_NAME,
        "minutes": int(settings.PASSWORD_RESET_TOKEN_LIFETIME.total_seconds() // 60),
    }
    send_mail(
        subject=f"Reset your {settings.STORE_NAME} password",
        message=render_to_string("accounts/email/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
