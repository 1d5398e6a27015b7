from django.urls import path

from orders import api

urlpatterns = [
    path("carts", api.CartListView.as_view()),
    path("carts/<str:cart_id>", api.CartDetailView.as_view()),
    path("carts/<str:cart_id>/associate", api.CartAssociateView.as_view()),
    path("carts/<str:cart_id>/complete", api.CartCompleteView.as_view()),
    path("carts/<str:cart_id>/items", api.CartItemsView.as_view()),
    path("carts/<str:cart_id>/items/<str:item_id>", api.CartItemDetailView.as_view()),
    path(
        "carts/<str:cart_id>/fulfillments/<str:fulfillment_id>", api.CartFulfillmentView.as_view()
    ),
    path("carts/<str:cart_id>/payments", api.CartPaymentsView.as_view()),
    path("orders/<str:order_id>", api.OrderLookupView.as_view()),
    path("customers/me/orders", api.CustomerOrderListView.as_view()),
    path("customers/me/orders/<str:order_id>", api.CustomerOrderDetailView.as_view()),
    path("carts/<str:cart_id>/payment_sessions", api.CartPaymentSessionListView.as_view()),
    path(
        "carts/<str:cart_id>/payment_sessions/<str:session_id>",
        api.CartPaymentSessionDetailView.as_view(),
    ),
    path(
        "carts/<str:cart_id>/payment_sessions/<str:session_id>/complete",
        api.CartPaymentSessionCompleteView.as_view(),
    ),
    path("carts/<str:cart_id>/store_credits", api.CartStoreCreditsView.as_view()),
    path("carts/<str:cart_id>/gift_cards", api.CartGiftCardsView.as_view()),
    path("carts/<str:cart_id>/gift_cards/<str:gift_card_id>", api.CartGiftCardDetailView.as_view()),
]
