from django.urls import path

from payments import api

urlpatterns = [
    path("customers/me/credit_cards", api.CreditCardListView.as_view()),
    path("customers/me/credit_cards/<str:card_id>", api.CreditCardDetailView.as_view()),
    path("customers/me/payment_sources", api.PaymentSourceListView.as_view()),
    path("customers/me/payment_sources/<str:source_id>", api.PaymentSourceDetailView.as_view()),
    path("customers/me/payment_setup_sessions", api.SetupSessionListView.as_view()),
    path(
        "customers/me/payment_setup_sessions/<str:session_id>",
        api.SetupSessionDetailView.as_view(),
    ),
    path(
        "customers/me/payment_setup_sessions/<str:session_id>/complete",
        api.SetupSessionCompleteView.as_view(),
    ),
    path("customers/me/store_credits", api.StoreCreditListView.as_view()),
    path("customers/me/store_credits/<str:credit_id>", api.StoreCreditDetailView.as_view()),
    path("customers/me/gift_cards", api.GiftCardListView.as_view()),
    path("customers/me/gift_cards/<str:gift_card_id>", api.GiftCardDetailView.as_view()),
]
