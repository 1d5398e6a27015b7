"""Store API endpoints of payments: the customer's saved cards and payment sources, setup
sessions, store credits and gift cards (§1.4). Payments on a cart live with the cart routes in
orders/api.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from payments import selectors
from payments.serializers import (
    CreditCardSerializer,
    GiftCardSerializer,
    PaymentSetupSessionSerializer,
    PaymentSourceSerializer,
    StoreCreditSerializer,
)
from payments.services import saved, sessions
from storeapi.errors import InvalidRequest
from storeapi.http import request_currency
from storeapi.views import CustomerAPIView


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return request.data


# --- the customer's saved methods and balances ------------------------------------------------


class CreditCardListView(CustomerAPIView):
    sort_fields = {"created_at": "created_at", "year": "year", "brand": "brand"}
    filter_fields = {"brand": "brand", "last4": "last4", "default": "is_default"}

    @extend_schema(responses=CreditCardSerializer(many=True), tags=["Customer payments"])
    def get(self, request):
        return self.list_response(
            selectors.credit_cards_for_customer(user=request.user), CreditCardSerializer
        )


class CreditCardDetailView(CustomerAPIView):
    @extend_schema(responses=CreditCardSerializer, tags=["Customer payments"])
    def get(self, request, card_id: str):
        card = selectors.credit_card_get_for_customer(user=request.user, public_id=card_id)
        return Response(self.represent(CreditCardSerializer, card))

    @extend_schema(responses={204: None}, tags=["Customer payments"])
    def delete(self, request, card_id: str):
        card = selectors.credit_card_get_for_customer(user=request.user, public_id=card_id)
        saved.saved_method_delete(user=request.user, method=card)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PaymentSourceListView(CustomerAPIView):
    sort_fields = {"created_at": "created_at", "type": "type"}
    filter_fields = {"type": "type"}

    @extend_schema(responses=PaymentSourceSerializer(many=True), tags=["Customer payments"])
    def get(self, request):
        return self.list_response(
            selectors.payment_sources_for_customer(user=request.user), PaymentSourceSerializer
        )


class PaymentSourceDetailView(CustomerAPIView):
    @extend_schema(responses=PaymentSourceSerializer, tags=["Customer payments"])
    def get(self, request, source_id: str):
        source = selectors.payment_source_get_for_customer(user=request.user, public_id=source_id)
        return Response(self.represent(PaymentSourceSerializer, source))

    @extend_schema(responses={204: None}, tags=["Customer payments"])
    def delete(self, request, source_id: str):
        source = selectors.payment_source_get_for_customer(user=request.user, public_id=source_id)
        saved.saved_method_delete(user=request.user, method=source)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SetupSessionListView(CustomerAPIView):
    @extend_schema(
        request=None, responses={201: PaymentSetupSessionSerializer}, tags=["Customer payments"]
    )
    def post(self, request):
        body = _body(request)
        session = sessions.setup_session_create(
            user=request.user,
            payment_method_id=body.get("payment_method_id"),
            external_data=body.get("external_data"),
        )
        return Response(PaymentSetupSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SetupSessionDetailView(CustomerAPIView):
    @extend_schema(responses=PaymentSetupSessionSerializer, tags=["Customer payments"])
    def get(self, request, session_id: str):
        session = selectors.setup_session_get_for_customer(user=request.user, public_id=session_id)
        return Response(PaymentSetupSessionSerializer(session).data)


class SetupSessionCompleteView(CustomerAPIView):
    @extend_schema(
        request=None, responses=PaymentSetupSessionSerializer, tags=["Customer payments"]
    )
    def patch(self, request, session_id: str):
        session = selectors.setup_session_get_for_customer(user=request.user, public_id=session_id)
        session = sessions.setup_session_complete(
            session=session, external_data=_body(request).get("external_data")
        )
        return Response(PaymentSetupSessionSerializer(session).data)


class StoreCreditListView(CustomerAPIView):
    sort_fields = {"created_at": "created_at", "amount": "amount"}
    filter_fields = {"amount": "amount", "currency": "currency", "created_at": "created_at"}

    @extend_schema(responses=StoreCreditSerializer(many=True), tags=["Customer payments"])
    def get(self, request):
        credits = selectors.store_credits_for_customer(
            user=request.user, currency=request_currency(request)
        )
        return self.list_response(credits, StoreCreditSerializer)


class StoreCreditDetailView(CustomerAPIView):
    @extend_schema(responses=StoreCreditSerializer, tags=["Customer payments"])
    def get(self, request, credit_id: str):
        credit = selectors.store_credit_get_for_customer(
            user=request.user, currency=request_currency(request), public_id=credit_id
        )
        return Response(self.represent(StoreCreditSerializer, credit))


class GiftCardListView(CustomerAPIView):
    sort_fields = {"created_at": "created_at", "amount": "amount", "expires_at": "expires_at"}
    filter_fields = {"currency": "currency", "state": "state", "created_at": "created_at"}

    @extend_schema(responses=GiftCardSerializer(many=True), tags=["Customer payments"])
    def get(self, request):
        return self.list_response(
            selectors.gift_cards_for_customer(user=request.user), GiftCardSerializer
        )


class GiftCardDetailView(CustomerAPIView):
    @extend_schema(responses=GiftCardSerializer, tags=["Customer payments"])
    def get(self, request, gift_card_id: str):
        card = selectors.gift_card_get_for_customer(user=request.user, public_id=gift_card_id)
        return Response(self.represent(GiftCardSerializer, card))
