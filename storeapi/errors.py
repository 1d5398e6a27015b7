"""The Store API error envelope: every failure is `{"error": {"code", "message", "details?"}}`.

Services raise `ApiError` subclasses carrying a stable code from the contract; the DRF exception
handler and the API middleware turn those, DRF's own exceptions, Django's 404 and anything
unexpected into the envelope.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django import db
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response

from storeapi.logging import request_id_var

logger = logging.getLogger("storeapi.errors")


class ApiError(Exception):
    """A failure with a contract error code, an HTTP status and a human message."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "invalid_request"
    default_message: str = "The request is invalid."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)


class InvalidRequest(ApiError):
    status_code = 400
    code = "invalid_request"
    default_message = "The request is invalid."


class ParameterMissing(ApiError):
    status_code = 400
    code = "parameter_missing"
    default_message = "A required parameter is missing."


class InvalidApiKey(ApiError):
    status_code = 401
    code = "invalid_token"
    default_message = "Valid API key required"


class AuthenticationRequired(ApiError):
    status_code = 401
    code = "authentication_required"
    default_message = "Authentication required"


class AccessDenied(ApiError):
    status_code = 403
    code = "access_denied"
    default_message = "You are not authorized to access this page."


class NotFound(ApiError):
    status_code = 404
    code = "record_not_found"
    default_message = "Record not found"


class ValidationFailed(ApiError):
    status_code = 422
    code = "validation_error"
    default_message = "Validation failed"

    @classmethod
    def from_details(cls, details: dict[str, list[str]]) -> ValidationFailed:
        return cls(full_messages(details), details=details)


class ProcessingError(ApiError):
    status_code = 422
    code = "processing_error"
    default_message = "The request could not be processed."


class Conflict(ApiError):
    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class RateLimitExceeded(ApiError):
    status_code = 429
    code = "rate_limit_exceeded"
    default_message = "Too many requests. Please retry later."


class RequestTooLarge(ApiError):
    status_code = 413
    code = "request_too_large"
    default_message = "Request body is too large."


GENERIC_SERVER_ERROR = "An unexpected error occurred. Please try again later."


def envelope(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def humanize(field: str) -> str:
    if field in ("non_field_errors", "base"):
        return ""
    text = field.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def full_messages(details: dict[str, list[str]]) -> str:
    """Rails-style sentence from field errors: "Email has already been taken and ..."."""
    parts = []
    for field, messages in details.items():
        for message in messages:
            label = humanize(field)
            parts.append(f"{label} {message}".strip() if label else message)
    if not parts:
        return ValidationFailed.default_message
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF error detail (nested dicts/lists) -> {"field" | "parent.field": [messages]}."""
    result: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and prefix:
                name = prefix
            for k, v in _flatten(value, name).items():
                result.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            result[prefix or "base"] = [_clean(str(item)) for item in detail]
        else:
            for index, item in enumerate(detail):
                name = f"{prefix}.{index}" if prefix else str(index)
                for k, v in _flatten(item, name).items():
                    result.setdefault(k, []).extend(v)
    else:
        result[prefix or "base"] = [_clean(str(detail))]
    return result


def _clean(message: str) -> str:
    return re.sub(r"\.$", "", message)


def _response(exc_code: str, message: str, status_code: int, details=None, headers=None):
    response = Response(envelope(exc_code, message, details), status=status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF EXCEPTION_HANDLER: every exception raised in a view becomes an enveloped response."""
    if isinstance(exc, ApiError):
        return _response(exc.code, exc.message, exc.status_code, exc.details, exc.headers)
    if isinstance(exc, drf_exceptions.ValidationError):
        details = _flatten(exc.detail)
        return _response("validation_error", full_messages(details), 422, details)
    if isinstance(exc, drf_exceptions.ParseError):
        return _response("invalid_request", str(exc.detail), 400)
    if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
        return _response("authentication_required", "Authentication required", 401)
    if isinstance(exc, drf_exceptions.PermissionDenied | PermissionDenied):
        return _response("access_denied", AccessDenied.default_message, 403)
    if isinstance(exc, drf_exceptions.NotFound | Http404):
        return _response("record_not_found", "Record not found", 404)
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        return _response("method_not_allowed", str(exc.detail), 405)
    if isinstance(exc, drf_exceptions.NotAcceptable):
        return _response("not_acceptable", str(exc.detail), 406)
    if isinstance(exc, drf_exceptions.UnsupportedMediaType):
        return _response("unsupported_media_type", str(exc.detail), 415)
    if isinstance(exc, drf_exceptions.Throttled):
        return _response("rate_limit_exceeded", RateLimitExceeded.default_message, 429)
    if isinstance(exc, drf_exceptions.APIException):
        return _response("invalid_request", str(exc.detail), exc.status_code)
    # Retryable database failures: the database went away, or a lock wait gave up (the
    # connection's lock_timeout, DB_LOCK_TIMEOUT, or a lost deadlock; nothing was written).
    unavailable = None
    if isinstance(exc, db.InterfaceError | db.OperationalError) and _is_connection_lost(exc):
        unavailable = "database unavailable"
    elif isinstance(exc, db.OperationalError) and _is_lock_conflict(exc):
        unavailable = "lock wait gave up"
    if unavailable:
        logger.warning("%s (request id %s): %s", unavailable, request_id_var.get(), exc)
        return _response(
            "service_unavailable",
            "The service is briefly unavailable. Please retry.",
            503,
            headers={"Retry-After": "1"},
        )
    logger.exception("Unhandled exception (request id %s)", request_id_var.get())
    return _response("internal_server_error", GENERIC_SERVER_ERROR, 500)


#: lock_not_available (lock_timeout, NOWAIT) and deadlock_detected.
LOCK_CONFLICT_SQLSTATES = ("55P03", "40P01")


def _is_lock_conflict(exc: Exception) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in LOCK_CONFLICT_SQLSTATES


def _is_connection_lost(exc: Exception) -> bool:
    """The database went away (restart, network): retryable, unlike a bad query. Lock
    timeouts and deadlocks are OperationalErrors too but carry a SQLSTATE of their own."""
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


def json_error(code: str, message: str, status_code: int, headers=None) -> JsonResponse:
    """The envelope outside DRF views (middleware, URL fallbacks)."""
    response = JsonResponse(envelope(code, message), status=status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
