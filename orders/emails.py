"""Order emails, sent after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_order_confirmation(*, order_id: int) -> None:
    from django.db.models import Prefetch

    from orders.models import LineItem, Order

    # What the template reads: the order's row and its lines with their products.
    lines = LineItem.objects.select_related("variant__product")
    order = (
        Order.objects.filter(pk=order_id).prefetch_related(Prefetch("line_items", lines)).first()
    )
    if order is None or not order.email:
        return
    link = f"{settings.STOREFRONT_URL.rstrip('/')}/orders/{order.order_id}/?token={order.token}"
    context = {"order": order, "link": link, "store_name": settings.STORE_NAME}
    send_mail(
        subject=f"Your {settings.STORE_NAME} order {order.number}",
        message=render_to_string("orders/email/confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[order.email],
    )
