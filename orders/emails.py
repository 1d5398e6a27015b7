"""Order emails, sent after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_order_confirmation(*, order) -> None:
    """The confirmation of `order`, as its completion committed it, with its lines (variants
    and products) loaded."""
    if not order.email:
        return
    link = f"{settings.STOREFRONT_URL.rstrip('/')}/orders/{order.order_id}/?token={order.token}"
    context = {"order": order, "link": link, "store_name": settings.STORE_NAME}
    send_mail(
        subject=f"Your {settings.STORE_NAME} order {order.number}",
        message=render_to_string("orders/email/confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[order.email],
    )
