"""Request-wide concerns: request id, security headers, body size limit, API crash envelope."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from storeapi.errors import GENERIC_SERVER_ERROR, json_error
from storeapi.http import is_api_path
from storeapi.logging import request_id_var

logger = logging.getLogger("storeapi.errors")
_VALID_REQUEST_ID = re.compile(r"\A[A-Za-z0-9._-]{8,128}\Z")


class RequestIdMiddleware:
    """Every response carries `X-Request-Id` (the caller's, if well-formed, else a new one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set (STORE_API.md §6.5)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("X-Frame-Options", "DENY")
        return response


class RequestSizeLimitMiddleware:
    """Bodies over API_MAX_REQUEST_BODY_BYTES on `/api/` get 413 `request_too_large`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return json_error("invalid_request", "Invalid Content-Length header.", 400)
            if length > settings.API_MAX_REQUEST_BODY_BYTES:
                limit_kb = settings.API_MAX_REQUEST_BODY_BYTES // 1024
                return json_error(
                    "request_too_large",
                    f"Request body is too large (maximum is {limit_kb} KB).",
                    413,
                )
        return self.get_response(request)


class ApiExceptionMiddleware:
    """Exceptions that escape a view under `/api/` become the envelope, never an HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, RequestDataTooBig):
            return json_error("request_too_large", "Request body is too large.", 413)
        logger.exception("Unhandled exception on %s %s", request.method, request.path)
        return json_error("internal_server_error", GENERIC_SERVER_ERROR, 500)
