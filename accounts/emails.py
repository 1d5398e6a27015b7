"""Customer emails, built by the outbox (outbox.services) after the change they report commits.

The password reset: the request stores the token's digest and queues the email; the outbox
builds the link here from the row (the token is derived from its salt and the secret key), and
only while the token is still usable: a link that could no longer work is never sent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

PASSWORD_RESET = "password_reset"


def password_reset_message(row, *, link: str) -> EmailMessage:
    context = {
        "user": row.user,
        "link": link,
        "store_name": settings.STORE_NAME,
        "minutes": int(settings.PASSWORD_RESET_TOKEN_LIFETIME.total_seconds() // 60),
    }
    return EmailMessage(
        subject=f"Reset your {settings.STORE_NAME} password",
        body=render_to_string("accounts/email/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.user.email],
    )


def password_resets(token_ids: list[int]) -> dict[int, EmailMessage]:
    """The outbox's builder for PASSWORD_RESET: the email of each reset token that is still
    live (one used, expired or outdated by a password change is left out, so not sent)."""
    from accounts.models import PasswordResetToken
    from accounts.services import password_reset_link, password_reset_token_live
    from accounts.tokens import reset_token_from

    now = timezone.now()
    rows = PasswordResetToken.objects.select_related("user").filter(pk__in=token_ids)
    return {
        row.pk: password_reset_message(
            row,
            link=password_reset_link(
                token=reset_token_from(row.salt), redirect_url=row.redirect_url or None
            ),
        )
        for row in rows
        if row.salt and password_reset_token_live(row, now=now)
    }
