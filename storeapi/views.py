"""The base of every Store API view, and the JSON fallbacks for unknown routes and crashes.

Order of checks (STORE_API.md §2.1 and §6.2): the global per-key rate limit; then, on
customer-only endpoints, the JWT before the publishable key (Spree's `require_authentication!`),
elsewhere the key first; then the endpoint's own rate limit.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from storeapi import ratelimit
from storeapi.errors import (
    GENERIC_SERVER_ERROR,
    AuthenticationRequired,
    InvalidApiKey,
    json_error,
)
from storeapi.http import api_key_header, client_ip, is_api_path
from storeapi.pagination import paginate
from storeapi.querying import apply_filters, apply_sort, parse_list, select_fields
from storeapi.selectors import api_key_get_active
from storeapi.services import api_key_touch


class StoreAPIView(APIView):
    """A Store API endpoint: publishable key, rate limits, error envelope, list helpers."""

    #: Customer-only endpoint: the JWT is checked (401 authentication_required) before the key.
    customer_required: bool = False
    #: Endpoint-specific rate limit scope, counted per client IP (settings.RATE_LIMITS).
    rate_limit_scope: str | None = None
    #: Whitelists for `sort` and `q[...]`: API attribute -> ORM path.
    sort_fields: dict[str, str] = {}
    filter_fields: dict[str, str] = {}

    def get_permissions(self):
        if self.customer_required:
            return [IsAuthenticated()]
        return []

    def initial(self, request, *args, **kwargs):
        self.rate_limit_state = None
        ip = client_ip(request)
        key_value = api_key_header(request)
        self.rate_limit_state = ratelimit.hit("api", f"{key_value}|{ip}")
        super().initial(request, *args, **kwargs)

    def check_permissions(self, request):
        if self.customer_required and not request.user.is_authenticated:
            raise AuthenticationRequired()
        self.check_api_key(request)
        if self.rate_limit_scope:
            self.rate_limit_state = ratelimit.hit(self.rate_limit_scope, client_ip(request))
        super().check_permissions(request)

    def check_api_key(self, request) -> None:
        active = api_key_get_active(api_key_header(request))
        if active is None:
            raise InvalidApiKey()
        request.api_key = active
        api_key_touch(active=active)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code != 429:
            ratelimit.apply_headers(response, getattr(self, "rate_limit_state", None))
        return response

    # --- list and representation helpers -----------------------------------------------

    @property
    def expand(self) -> set[str]:
        return set(parse_list(self.request.query_params.get("expand")))

    @property
    def fields(self) -> list[str]:
        return parse_list(self.request.query_params.get("fields"))

    def get_serializer_context(self) -> dict[str, Any]:
        return {"request": self.request, "view": self, "expand": self.expand}

    def represent(self, serializer_class, instance) -> dict[str, Any]:
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return select_fields(data, self.fields, self.expand)

    def list_response(self, queryset, serializer_class) -> Response:
        params = self.request.query_params
        queryset = apply_filters(queryset, params, self.filter_fields)
        queryset = apply_sort(queryset, params.get("sort"), self.sort_fields)
        items, meta = paginate(queryset, params)
        context = self.get_serializer_context()
        rows = serializer_class(items, many=True, context=context).data
        data = [select_fields(row, self.fields, self.expand) for row in rows]
        return Response({"data": data, "meta": meta})


class CustomerAPIView(StoreAPIView):
    """An endpoint for the signed-in customer only (JWT required)."""

    customer_required = True


def api_not_found(request: HttpRequest, *args, **kwargs):
    return json_error("not_found", f"No route matches {request.method} {request.path}", 404)


def page_not_found(request: HttpRequest, exception=None):
    if is_api_path(request.path):
        return api_not_found(request)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest):
    if is_api_path(request.path):
        return json_error("internal_server_error", GENERIC_SERVER_ERROR, 500)
    # No request context: the context processors (session, user, messages) may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
