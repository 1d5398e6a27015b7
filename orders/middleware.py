"""Binds the guest cart token to the request: `X-Spree-Token` (or the seed's
`X-Spree-Order-Token`) on the API, a signed cookie on storefront pages.

A storefront page that opens a guest cart sets `request.cart_token` to its token; the
middleware then writes the signed cookie on the response (httponly, SameSite=Lax, secure where
the session cookie is)."""

from datetime import timedelta

from django.conf import settings

from storeapi.http import is_api_path

CART_COOKIE = "cart_token"
CART_COOKIE_SALT = "orders.cart"
CART_COOKIE_MAX_AGE = timedelta(days=30)


def cart_cookie_set(response, token: str) -> None:
    """Remember a guest cart in this browser (signed, so it cannot be forged or altered)."""
    response.set_signed_cookie(
        CART_COOKIE,
        token,
        salt=CART_COOKIE_SALT,
        max_age=int(CART_COOKIE_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class CartTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = is_api_path(request.path)
        if is_api:
            token = request.headers.get("X-Spree-Token") or request.headers.get(
                "X-Spree-Order-Token"
            )
        else:
            token = request.get_signed_cookie(CART_COOKIE, default=None, salt=CART_COOKIE_SALT)
        request.cart_token = (token or "").strip() or None
        incoming = request.cart_token
        response = self.get_response(request)
        if not is_api and request.cart_token and request.cart_token != incoming:
            cart_cookie_set(response, request.cart_token)
        return response
