"""`Idempotency-Key` on every mutating Store API request (Spree's rule, plus ours).

A key is claimed by inserting a row, so the database (shared by every app server) decides who
runs: the first request runs, a retry with the same request replays the stored answer with
`Idempotent-Replayed: true`, the same key with another request is 422
`idempotency_key_reused`, and a duplicate arriving while the first still runs is 409
`idempotency_key_in_use`. Scope: the publishable key plus the customer of a valid JWT.
5xx and 429 answers are not stored, so a retry really runs again.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.state import token_backend

from storeapi.errors import json_error
from storeapi.http import api_key_header, bearer_token, client_ip
from storeapi.models import IdempotencyRecord

MUTATING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEY_LENGTH = 255
# A claim older than this with no answer belongs to a crashed worker and may be taken over.
ABANDONED_AFTER = timedelta(minutes=2)
NOT_STORED_STATUSES = {409, 429}


class Claim(Enum):
    NEW = "new"
    REPLAY = "replay"
    REUSED = "reused"
    IN_USE = "in_use"


def _sha(value: bytes | str) -> str:
    data = value.encode() if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()


def _customer_id(request) -> str:
    raw = bearer_token(request)
    if not raw:
        return ""
    try:
        payload = token_backend.decode(raw, verify=True)
    except TokenBackendError:
        return ""
    return str(payload.get("user_id", ""))


def request_scope(request) -> str:
    api_key = api_key_header(request)
    customer = _customer_id(request)
    anonymous = "" if (api_key or customer) else client_ip(request)
    return _sha(f"{api_key}|{customer}|{anonymous}")


def claim_key(scope: str, key_digest: str, fingerprint: str) -> tuple[Claim, IdempotencyRecord]:
    """Claim (scope, key) for this request or report why it cannot run."""
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope_digest=scope,
                    key_digest=key_digest,
                    fingerprint=fingerprint,
                    state=IdempotencyRecord.IN_PROGRESS,
                    expires_at=now + settings.IDEMPOTENCY_TTL,
                )
            return Claim.NEW, record
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(
                scope_digest=scope, key_digest=key_digest
            ).first()
            if existing is None:
                continue
            if existing.expires_at <= now:
                IdempotencyRecord.objects.filter(pk=existing.pk, expires_at__lte=now).delete()
                continue
            if existing.fingerprint != fingerprint:
                return Claim.REUSED, existing
            if existing.state == IdempotencyRecord.COMPLETED:
                return Claim.REPLAY, existing
            if existing.created_at <= now - ABANDONED_AFTER:
                IdempotencyRecord.objects.filter(
                    pk=existing.pk, state=IdempotencyRecord.IN_PROGRESS
                ).delete()
                continue
            return Claim.IN_USE, existing
    return Claim.IN_USE, existing


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get("Idempotency-Key")
        if (
            not key
            or request.method not in MUTATING_METHODS
            or not request.path.startswith("/api/v3/")
        ):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return json_error(
                "invalid_request", "Idempotency-Key must be 255 characters or less.", 400
            )
        body = request.body
        fingerprint = _sha(f"{request.method}:{request.path}:".encode() + body)
        outcome, record = claim_key(request_scope(request), _sha(key), fingerprint)
        if outcome is Claim.REUSED:
            return json_error(
                "idempotency_key_reused",
                "This Idempotency-Key has already been used with different request parameters.",
                422,
            )
        if outcome is Claim.IN_USE:
            return json_error(
                "idempotency_key_in_use",
                "A request with this Idempotency-Key is still being processed.",
                409,
            )
        if outcome is Claim.REPLAY:
            replay = HttpResponse(
                bytes(record.body), status=record.status_code, content_type=record.content_type
            )
            replay["Idempotent-Replayed"] = "true"
            return replay

        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if (
            response.status_code >= 500
            or response.status_code in NOT_STORED_STATUSES
            or response.streaming
        ):
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyRecord.COMPLETED,
            status_code=response.status_code,
            content_type=response.get("Content-Type", "")[:100],
            body=response.content,
        )
        return response
