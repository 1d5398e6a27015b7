"""Store API endpoints of accounts: auth, registration, password resets, profile, sessions."""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts import selectors, services
from accounts.answers import CustomerAnswer, customer_answer_keep
from accounts.authentication import StoreJWTAuthentication
from accounts.errors import InvalidProvider
from accounts.serializers import (
    AuthTokensSerializer,
    CustomerSerializer,
    CustomerUpdateInputSerializer,
    PasswordResetCompleteSerializer,
    PasswordResetRequestSerializer,
    RegisterInputSerializer,
    SessionSerializer,
)
from storeapi.errors import InvalidRequest
from storeapi.http import client_ip, user_agent
from storeapi.querying import select_fields
from storeapi.views import CustomerAPIView, StoreAPIView

PASSWORD_RESET_ACCEPTED = (
    "If an account exists for that email, password reset instructions have been sent."
)


def _context(request) -> services.SessionContext:
    return services.SessionContext(ip_address=client_ip(request), user_agent=user_agent(request))


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return request.data


class AuthAPIView(StoreAPIView):
    """Auth endpoints ignore any Authorization header, as Spree's AuthController does."""

    authentication_classes: list = []

    def token_response(self, user, tokens, status_code=status.HTTP_200_OK) -> Response:
        data = {
            "token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "user": CustomerSerializer(user, context=self.get_serializer_context()).data,
        }
        if tokens.refresh_token is None:
            data.pop("refresh_token")
        return Response(data, status=status_code)


class LoginView(AuthAPIView):
    rate_limit_scope = "login"

    @extend_schema(request=None, responses=AuthTokensSerializer, tags=["Authentication"])
    def post(self, request):
        body = _body(request)
        provider = body.get("provider", "email")
        if provider not in (None, "", "email"):
            raise InvalidProvider(f"Unsupported authentication provider: {provider}")
        user, tokens = services.auth_login(
            email=body.get("email"), password=body.get("password"), context=_context(request)
        )
        return self.token_response(user, tokens)


class RefreshView(AuthAPIView):
    rate_limit_scope = "refresh"

    @extend_schema(request=None, responses=AuthTokensSerializer, tags=["Authentication"])
    def post(self, request):
        body = _body(request)
        if "refresh_token" not in body and body.get("token"):
            user, tokens = services.access_token_exchange(token=body.get("token"))
        else:
            user, tokens = services.session_refresh(
                refresh_token=body.get("refresh_token"), context=_context(request)
            )
        return self.token_response(user, tokens)


class LogoutView(AuthAPIView):
    rate_limit_scope = "logout"

    @extend_schema(request=None, responses={204: None}, tags=["Authentication"])
    def post(self, request):
        from accounts.authentication import StoreJWTAuthentication

        body = request.data if isinstance(request.data, dict) else {}
        authenticated = StoreJWTAuthentication().authenticate(request)
        services.session_logout(
            refresh_token=body.get("refresh_token"),
            session=authenticated[1] if authenticated else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterView(AuthAPIView):
    rate_limit_scope = "register"

    @extend_schema(
        request=RegisterInputSerializer, responses={201: AuthTokensSerializer}, tags=["Customers"]
    )
    def post(self, request):
        serializer = RegisterInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user, tokens = services.customer_register(
            email=data["email"],
            password=data["password"],
            password_confirmation=data.get("password_confirmation"),
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
            phone=data.get("phone") or "",
            accepts_email_marketing=data.get("accepts_email_marketing", False),
            metadata=data.get("metadata"),
            context=_context(request),
        )
        return self.token_response(user, tokens, status.HTTP_201_CREATED)


class PasswordResetCreateView(AuthAPIView):
    rate_limit_scope = "password_reset"

    @extend_schema(
        request=PasswordResetRequestSerializer, responses={202: None}, tags=["Customers"]
    )
    def post(self, request):
        serializer = PasswordResetRequestSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(
            email=serializer.validated_data.get("email"),
            redirect_url=serializer.validated_data.get("redirect_url"),
        )
        return Response({"message": PASSWORD_RESET_ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetUpdateView(AuthAPIView):
    rate_limit_scope = "password_reset"

    @extend_schema(
        request=PasswordResetCompleteSerializer, responses=AuthTokensSerializer, tags=["Customers"]
    )
    def patch(self, request, token: str):
        serializer = PasswordResetCompleteSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        user, tokens = services.password_reset_complete(
            token=token,
            password=serializer.validated_data.get("password"),
            password_confirmation=serializer.validated_data.get("password_confirmation"),
            context=_context(request),
        )
        return self.token_response(user, tokens)


class CustomerMeView(CustomerAPIView):
    def get_authenticators(self):
        # A GET reads the session and the whole profile in one statement.
        return [StoreJWTAuthentication(with_profile=True)]

    @extend_schema(responses=CustomerSerializer, tags=["Customers"])
    def get(self, request):
        answer = request.auth.answer
        if answer is None:
            profile = request.auth.profile
            data = CustomerSerializer(profile, context=self.get_serializer_context()).data
            answer = CustomerAnswer.of(data, JSONRenderer().render(data))
            customer_answer_keep(profile, answer)
        if self.fields:
            data = json.loads(answer.body)
            return Response(select_fields(data, self.fields, self.expand))
        # JSON is the only renderer (settings.REST_FRAMEWORK): the body as it would render.
        return HttpResponse(answer.body, content_type=JSONRenderer.media_type)

    @extend_schema(
        request=CustomerUpdateInputSerializer, responses=CustomerSerializer, tags=["Customers"]
    )
    def patch(self, request):
        serializer = CustomerUpdateInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        user = services.customer_update(
            user=request.user,
            data=serializer.validated_data,
            current_session_id=request.auth.pk,
        )
        return Response(self.represent(CustomerSerializer, user))

    @extend_schema(request=None, responses={204: None}, tags=["Customers"])
    def delete(self, request):
        """Close the account (ours, OUR_CONTRACT.md): needs `current_password`."""
        from customers.services import customer_close

        customer_close(user=request.user, current_password=_body(request).get("current_password"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionListView(CustomerAPIView):
    @extend_schema(responses=SessionSerializer(many=True), tags=["Sessions"])
    def get(self, request):
        return self.list_response(
            selectors.sessions_active_for_user(user=request.user), SessionSerializer
        )

    @extend_schema(
        responses={204: None}, tags=["Sessions"], operation_id="customers_me_sessions_revoke_others"
    )
    def delete(self, request):
        services.sessions_revoke_all(
            user=request.user, reason="signed_out_elsewhere", except_session_id=request.auth.pk
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_session_id": self.request.auth.pk}


class SessionDetailView(CustomerAPIView):
    @extend_schema(responses=SessionSerializer, tags=["Sessions"])
    def get(self, request, session_id: str):
        session = selectors.session_get_for_user(user=request.user, public_id=session_id)
        context = {**self.get_serializer_context(), "current_session_id": request.auth.pk}
        return Response(SessionSerializer(session, context=context).data)

    @extend_schema(responses={204: None}, tags=["Sessions"])
    def delete(self, request, session_id: str):
        session = selectors.session_get_for_user(user=request.user, public_id=session_id)
        services.session_revoke(session=session, reason="signed_out")
        return Response(status=status.HTTP_204_NO_CONTENT)
