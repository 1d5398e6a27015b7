"""Store API endpoints of carts (§1.6) and orders (§1.5, §1.4 order history)."""

from __future__ import annotations

from django.db import DatabaseError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from orders import selectors
from orders.errors import CartAlreadyUpdated, CartNotFound
from orders.serializers import CartSerializer, OrderSerializer
from orders.services import carts as cart_services
from orders.services import checkout as checkout_services
from payments import selectors as payment_selectors
from payments.serializers import PaymentSerializer, PaymentSessionSerializer
from payments.services import balances, payment_create, sessions
from storeapi.errors import (
    LOCK_CONFLICT_SQLSTATES,
    AccessDenied,
    AuthenticationRequired,
    InvalidRequest,
)
from storeapi.http import request_currency
from storeapi.views import CustomerAPIView, StoreAPIView

ORDER_FILTERS = {
    "completed_at": "completed_at",
    "email": "email",
    "number": "number",
    "state": "state",
    "status": "state",
    "payment_state": "payment_state",
    "shipment_state": "shipment_state",
    "total": "total",
    "item_total": "item_total",
    "item_count": "item_count",
    "currency": "currency",
    "created_at": "created_at",
}
ORDER_SORTS = {"completed_at": "completed_at", "total": "total", "number": "number"}


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return request.data


def _user(request):
    return request.user if request.user.is_authenticated else None


class CartAPIView(StoreAPIView):
    """A cart route: the owner's JWT or the cart token (X-Spree-Token / X-Spree-Order-Token)."""

    def handle_exception(self, exc):
        """A lock wait that timed out or a deadlock: another request is changing this cart."""
        if isinstance(exc, DatabaseError) and (
            getattr(exc.__cause__, "sqlstate", None) in LOCK_CONFLICT_SQLSTATES
        ):
            exc = CartAlreadyUpdated()
        return super().handle_exception(exc)

    def cart(self, cart_id: str, *, details: bool = True):
        """The cart (loaded for its answer unless `details` is off) when the caller may use it."""
        return selectors.cart_get_for_access(
            public_id=cart_id,
            user=_user(self.request),
            token=self.request.cart_token,
            details=details,
        )

    def cart_access(self, cart_id: str) -> selectors.CartAccess:
        """Who asks for which cart; a mutation checks it on the row it locks."""
        return selectors.cart_access(
            public_id=cart_id, user=_user(self.request), token=self.request.cart_token
        )

    def cart_response(self, cart, status_code=status.HTTP_200_OK) -> Response:
        """Every cart answer first sweeps unavailable items and reports them as warnings. A
        cart a service just changed is answered as it left it (loaded once, kept current);
        any other is read again."""
        if not selectors.cart_details_loaded(cart, for_representation=True):
            cart = selectors.cart_get_details(pk=cart.pk)
        warnings = cart_services.cart_sweep_unavailable(cart=cart)
        if warnings:
            cart = selectors.cart_get_details(pk=cart.pk)
        context = {**self.get_serializer_context(), "warnings": warnings}
        return Response(CartSerializer(cart, context=context).data, status=status_code)


class CartListView(CartAPIView):
    @property
    def customer_required(self) -> bool:  # listing needs a JWT, creating does not
        return self.request.method == "GET"

    @extend_schema(responses=CartSerializer(many=True), tags=["Carts"])
    def get(self, request):
        return self.list_response(selectors.carts_for_customer(user=request.user), CartSerializer)

    @extend_schema(request=None, responses={201: CartSerializer}, tags=["Carts"])
    def post(self, request):
        body = _body(request)
        # A currency the store does not sell in is ignored, as for the X-Spree-Currency header.
        currency = cart_services.cart_currency(body.get("currency")) or request_currency(request)
        cart = cart_services.cart_create(
            user=_user(request),
            data={k: v for k, v in body.items() if k != "currency"},
            currency=currency,
        )
        return self.cart_response(cart, status.HTTP_201_CREATED)


class CartDetailView(CartAPIView):
    @extend_schema(responses=CartSerializer, tags=["Carts"])
    def get(self, request, cart_id: str):
        return self.cart_response(self.cart(cart_id))

    @extend_schema(request=None, responses=CartSerializer, tags=["Carts"])
    def patch(self, request, cart_id: str):
        cart = cart_services.cart_update(
            cart=self.cart_access(cart_id), user=_user(request), data=_body(request)
        )
        return self.cart_response(cart)

    @extend_schema(responses={204: None}, tags=["Carts"])
    def delete(self, request, cart_id: str):
        cart_services.cart_delete(cart=self.cart_access(cart_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartAssociateView(CartAPIView):
    customer_required = True

    @extend_schema(request=None, responses=CartSerializer, tags=["Carts"])
    def patch(self, request, cart_id: str):
        """Needs the JWT and the cart token; another customer's cart is 404 (§2.5)."""
        from orders.models import Order
        from storeapi.ids import decode_id

        pk = decode_id(cart_id, selectors.ORDER_PREFIXES)
        cart = selectors.unordered_first(Order.objects.filter(pk=pk or 0, state=Order.CART))
        if cart is None or cart.user_id not in (None, request.user.pk):
            raise CartNotFound()
        if not selectors.tokens_match(request.cart_token, cart.token):
            raise AccessDenied()
        return self.cart_response(cart_services.cart_associate(cart=cart, user=request.user))


class CartCompleteView(CartAPIView):
    @extend_schema(request=None, responses=OrderSerializer, tags=["Carts"])
    def post(self, request, cart_id: str):
        """Completing a completed cart returns its order (same owner-or-token rule)."""
        cart = self.cart_access(cart_id)
        order = checkout_services.cart_complete(cart=cart)
        return Response(OrderSerializer(order, context=self.get_serializer_context()).data)


class CartItemsView(CartAPIView):
    @extend_schema(request=None, responses={201: CartSerializer}, tags=["Carts"])
    def post(self, request, cart_id: str):
        body = _body(request)
        cart = cart_services.cart_item_add(
            cart=self.cart_access(cart_id),
            variant_id=body.get("variant_id"),
            quantity=body.get("quantity"),
            metadata=body.get("metadata"),
        )
        return self.cart_response(cart, status.HTTP_201_CREATED)


class CartItemDetailView(CartAPIView):
    @extend_schema(request=None, responses=CartSerializer, tags=["Carts"])
    def patch(self, request, cart_id: str, item_id: str):
        body = _body(request)
        cart = cart_services.cart_item_update(
            cart=self.cart_access(cart_id),
            line_item_id=item_id,
            quantity=body.get("quantity"),
            metadata=body.get("metadata"),
        )
        return self.cart_response(cart)

    @extend_schema(responses=CartSerializer, tags=["Carts"])
    def delete(self, request, cart_id: str, item_id: str):
        cart = cart_services.cart_item_remove(cart=self.cart_access(cart_id), line_item_id=item_id)
        return self.cart_response(cart)


class CartFulfillmentView(CartAPIView):
    @extend_schema(request=None, responses=CartSerializer, tags=["Carts"])
    def patch(self, request, cart_id: str, fulfillment_id: str):
        cart = checkout_services.fulfillment_select_rate(
            cart=self.cart_access(cart_id),
            fulfillment_id=fulfillment_id,
            rate_id=_body(request).get("selected_delivery_rate_id"),
        )
        return self.cart_response(cart)


class CartPaymentsView(CartAPIView):
    @extend_schema(request=None, responses={201: PaymentSerializer}, tags=["Carts"])
    def post(self, request, cart_id: str):
        body = _body(request)
        payment = payment_create(
            order=self.cart_access(cart_id),
            payment_method_id=body.get("payment_method_id"),
            amount=body.get("amount"),
            metadata=body.get("metadata") if isinstance(body.get("metadata"), dict) else None,
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class OrderLookupView(StoreAPIView):
    @extend_schema(responses=OrderSerializer, tags=["Orders"])
    def get(self, request, order_id: str):
        order = selectors.order_get_for_lookup(
            public_id=order_id, user=_user(request), token=request.cart_token
        )
        return Response(self.represent(OrderSerializer, order))


class CustomerOrderListView(CustomerAPIView):
    filter_fields = ORDER_FILTERS
    sort_fields = ORDER_SORTS

    @extend_schema(responses=OrderSerializer(many=True), tags=["Orders"])
    def get(self, request):
        return self.list_response(selectors.orders_for_customer(user=request.user), OrderSerializer)


class CustomerOrderDetailView(CustomerAPIView):
    @extend_schema(responses=OrderSerializer, tags=["Orders"])
    def get(self, request, order_id: str):
        order = selectors.order_get_for_customer(user=request.user, public_id=order_id)
        return Response(self.represent(OrderSerializer, order))


# --- payments on a cart (through the payments app's services) -----------------------------


class CartPaymentSessionListView(CartAPIView):
    @extend_schema(request=None, responses={201: PaymentSessionSerializer}, tags=["Carts"])
    def post(self, request, cart_id: str):
        body = _body(request)
        session = sessions.payment_session_create(
            cart=self.cart(cart_id, details=False),
            payment_method_id=body.get("payment_method_id"),
            amount=body.get("amount"),
            external_data=body.get("external_data"),
        )
        return Response(PaymentSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class CartPaymentSessionDetailView(CartAPIView):
    def session(self, cart_id: str, session_id: str):
        cart = self.cart(cart_id, details=False)
        return payment_selectors.payment_session_get_for_cart(order=cart, session_id=session_id)

    @extend_schema(responses=PaymentSessionSerializer, tags=["Carts"])
    def get(self, request, cart_id: str, session_id: str):
        return Response(PaymentSessionSerializer(self.session(cart_id, session_id)).data)

    @extend_schema(request=None, responses=PaymentSessionSerializer, tags=["Carts"])
    def patch(self, request, cart_id: str, session_id: str):
        body = _body(request)
        session = sessions.payment_session_update(
            session=self.session(cart_id, session_id),
            amount=body.get("amount"),
            external_data=body.get("external_data"),
        )
        return Response(PaymentSessionSerializer(session).data)


class CartPaymentSessionCompleteView(CartPaymentSessionDetailView):
    @extend_schema(request=None, responses=PaymentSessionSerializer, tags=["Carts"])
    def patch(self, request, cart_id: str, session_id: str):
        body = _body(request)
        session = sessions.payment_session_complete(
            session=self.session(cart_id, session_id),
            external_data=body.get("external_data"),
            session_result=body.get("session_result"),
        )
        return Response(PaymentSessionSerializer(session).data)


class CartStoreCreditsView(CartAPIView):
    """Store credit needs the signed-in customer (JWT) as well as access to the cart."""

    def check_permissions(self, request):
        if not request.user.is_authenticated:
            raise AuthenticationRequired()
        super().check_permissions(request)

    @extend_schema(request=None, responses=None, tags=["Carts"])
    def post(self, request, cart_id: str):
        cart = balances.store_credit_apply(
            cart=self.cart(cart_id, details=False),
            user=request.user,
            amount=_body(request).get("amount"),
        )
        return self.cart_response(cart)

    @extend_schema(responses=None, tags=["Carts"])
    def delete(self, request, cart_id: str):
        return self.cart_response(
            balances.store_credit_remove(cart=self.cart(cart_id, details=False))
        )


class CartGiftCardsView(CartAPIView):
    @extend_schema(request=None, responses=None, tags=["Carts"])
    def post(self, request, cart_id: str):
        cart = balances.gift_card_apply(
            cart=self.cart(cart_id, details=False), code=_body(request).get("code")
        )
        return self.cart_response(cart, status.HTTP_201_CREATED)


class CartGiftCardDetailView(CartAPIView):
    @extend_schema(responses=None, tags=["Carts"])
    def delete(self, request, cart_id: str, gift_card_id: str):
        """`gift_card_id` is ignored, as in Spree: a cart holds at most one gift card."""
        return self.cart_response(balances.gift_card_remove(cart=self.cart(cart_id, details=False)))
