"""Storefront pages of orders (Django templates under templates/orders/): the cart and checkout
under /cart/ (`urlpatterns`, namespace "cart") and the order pages under /orders/
(`order_urlpatterns`, namespace "orders"; included by config/urls.py)."""

from django.urls import path

from orders.views import cart, checkout, order_pages

app_name = "cart"

urlpatterns = [
    path("", cart.cart_detail, name="detail"),
    path("items/<str:item_id>/", cart.cart_item_change, name="item_change"),
    path("items/<str:item_id>/remove/", cart.cart_item_delete, name="item_delete"),
    path("checkout/address/", checkout.checkout_address, name="checkout_address"),
    path("checkout/delivery/", checkout.checkout_delivery, name="checkout_delivery"),
    path("checkout/payment/", checkout.checkout_payment, name="checkout_payment"),
    path("checkout/review/", checkout.checkout_review, name="checkout_review"),
    path("checkout/complete/", checkout.checkout_complete, name="checkout_complete"),
]

order_urlpatterns = [
    path("<str:order_id>/", order_pages.order_detail, name="detail"),
    path("<str:order_id>/confirmation/", order_pages.order_confirmation, name="confirmation"),
]
