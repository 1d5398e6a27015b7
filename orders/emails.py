"""Order emails. Queued in the outbox by the services (outbox.services.email_enqueue) and built
here when they are sent, from the order as committed."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

ORDER_CONFIRMATION = "order_confirmation"


def order_confirmation_message(order) -> EmailMessage:
    """The confirmation of a completed `order` whose lines (variants and products) are loaded;
    addressed by the outbox to the email the order was completed with."""
    link = f"{settings.STOREFRONT_URL.rstrip('/')}/orders/{order.order_id}/?token={order.token}"
    context = {"order": order, "link": link, "store_name": settings.STORE_NAME}
    return EmailMessage(
        subject=f"Your {settings.STORE_NAME} order {order.number}",
        body=render_to_string("orders/email/confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
    )


def order_confirmations(order_ids: list[int]) -> dict[int, EmailMessage]:
    """The outbox's builder for ORDER_CONFIRMATION: each completed order's confirmation, the
    orders read in one go (a missing one is left out)."""
    from orders.selectors import orders_for_confirmation

    return {
        order.pk: order_confirmation_message(order)
        for order in orders_for_confirmation(pks=order_ids)
    }
