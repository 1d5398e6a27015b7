"""Binds the guest cart token to the request: `X-Spree-Token` (or the seed's
`X-Spree-Order-Token`) on the API, a signed cookie on storefront pages."""

from storeapi.http import is_api_path

CART_COOKIE = "cart_token"
CART_COOKIE_SALT = "orders.cart"


class CartTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path):
            token = request.headers.get("X-Spree-Token") or request.headers.get(
                "X-Spree-Order-Token"
            )
        else:
            token = request.get_signed_cookie(CART_COOKIE, default=None, salt=CART_COOKIE_SALT)
        request.cart_token = (token or "").strip() or None
        return self.get_response(request)
