"""Order emails, sent after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_order_confirmation(*, order_id: int, order=None) -> None:
    """The confirmation of order `order_id`; `order` is that order as its completion committed
    it, with its lines (variants and products) loaded, when the caller has it (else it is
    read)."""
    from orders.models import LineItem, Order
    from orders.selectors import related_set, unordered_first

    if order is None:
        # What the template reads: the order's row and its lines (in their order) with products.
        order = unordered_first(Order.objects.filter(pk=order_id))
        if order is None or not order.email:
            return
        lines = LineItem.objects.filter(order_id=order.pk).select_related("variant__product")
        related_set(
            order,
            "line_items",
            sorted(lines.order_by(), key=lambda line: (line.created_at, line.pk)),
        )
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
