"""DRF authentication: a valid access JWT of a live session, or a guest.

As in Spree an invalid or expired token is silently ignored (the request runs as a guest);
unlike Spree, a token of a revoked session is refused at once. One query: session + user.
"""

from rest_framework.authentication import BaseAuthentication

from accounts.selectors import session_get_active
from accounts.tokens import access_token_claims
from storeapi.http import bearer_token


class StoreJWTAuthentication(BaseAuthentication):
    def authenticate(self, request):
        raw = bearer_token(request)
        if not raw:
            return None
        claims = access_token_claims(raw)
        if claims is None:
            return None
        session = session_get_active(session_id=claims["sid"], user_id=claims["user_id"])
        if session is None:
            return None
        return session.user, session

    def authenticate_header(self, request):
        return 'Bearer realm="store_api"'
