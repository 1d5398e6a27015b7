"""Access JWTs, issued and verified by simplejwt with Spree's claims plus our session id `sid`.

Claims: user_id (raw integer id), user_type "customer", jti, iss "spree", aud "store_api", exp,
sid. Like Spree there is no `iat` or token-type claim.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.tokens import AccessToken
from rest_framework_simplejwt.utils import datetime_to_epoch

from storeapi.tokens import base58_of, base58_token

REFRESH_TOKEN_LENGTH = 32  # base58: ~187 bits


class StoreAccessToken(AccessToken):
    token_type = "access"

    @property
    def lifetime(self) -> timedelta:  # read at call time so settings overrides apply
        return settings.ACCESS_TOKEN_LIFETIME

    def verify(self) -> None:
        super().verify()
        if self.payload.get("user_type") != "customer":
            raise TokenError("Token is not a customer token")
        if not isinstance(self.payload.get("sid"), int):
            raise TokenError("Token has no session")
        if not isinstance(self.payload.get("user_id"), int):
            raise TokenError("Token has no user")


def issue_access_token(*, user_id: int, session_id: int, session_expires_at) -> str:
    token = StoreAccessToken()
    token.payload.pop(None, None)
    token.payload.pop("iat", None)
    expires_at = min(timezone.now() + settings.ACCESS_TOKEN_LIFETIME, session_expires_at)
    token.payload["exp"] = datetime_to_epoch(expires_at)
    token.payload["user_id"] = user_id
    token.payload["user_type"] = "customer"
    token.payload["sid"] = session_id
    return str(token)


def access_token_claims(raw: str) -> Mapping[str, Any] | None:
    """The verified claims of an access JWT (signature, exp, iss, aud), or None.

    A client sends the same token with every request for its lifetime, and verifying it
    (PyJWT, simplejwt) costs about 0.1 ms. The outcome of verifying an exact string cannot
    change except by expiry (the verifying key is fixed for the process's life: simplejwt
    builds its backend once), so it is remembered (a bounded LRU) and only `exp` is checked
    again on later uses. Whether the session is still live is not remembered: the caller
    checks that in the database on every request."""
    claims = _verified_claims(raw)
    if claims is None or claims["exp"] <= time.time() - _leeway_seconds():
        return None
    return claims


@lru_cache(maxsize=4096)
def _verified_claims(raw: str) -> Mapping[str, Any] | None:
    try:
        return MappingProxyType(dict(StoreAccessToken(raw).payload))
    except TokenError:
        return None


def _leeway_seconds() -> float:
    return token_backend.get_leeway().total_seconds()


def new_refresh_token() -> str:
    return base58_token(REFRESH_TOKEN_LENGTH)


def new_reset_salt() -> str:
    return secrets.token_hex(16)


def reset_token_from(salt: str) -> str:
    """The password-reset token of a row with `salt`: HMAC-SHA256 under the secret key, in
    base58 (REFRESH_TOKEN_LENGTH characters, ~187 bits). Only its digest is stored; without the
    secret key a row's salt tells nothing of its token."""
    mac = salted_hmac("accounts.password_reset", salt, algorithm="sha256").digest()
    return base58_of(mac, REFRESH_TOKEN_LENGTH)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str | None
    session_id: int
