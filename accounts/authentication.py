"""DRF authentication: a valid access JWT of a live session, or a guest.

As in Spree an invalid or expired token is silently ignored (the request runs as a guest);
unlike Spree, a token of a revoked session is refused at once. One query: session + user.
"""

from rest_framework.authentication import BaseAuthentication

from accounts.selectors import session_get_active
from accounts.tokens import access_token_claims
from storeapi.http import bearer_token


class StoreJWTAuthentication(BaseAuthentication):
    def __init__(self, *, with_profile: bool = False):
        #: GET /customers/me: the customer profile it answers with is read in the same
        #: statement as the session, and left on the session as `profile`.
        self.with_profile = with_profile

    def authenticate(self, request):
        raw = bearer_token(request)
        if not raw:
            return None
        claims = access_token_claims(raw)
        if claims is None:
            return None
        if self.with_profile and request.method == "GET":
            return self._authenticate_with_profile(request, claims)
        session = session_get_active(session_id=claims["sid"], user_id=claims["user_id"])
        if session is None:
            return None
        return session.user, session

    def _authenticate_with_profile(self, request, claims):
        from customers.selectors import session_get_active_with_profile
        from storeapi.http import request_currency

        found = session_get_active_with_profile(
            session_id=claims["sid"],
            user_id=claims["user_id"],
            currency=request_currency(request),
        )
        if found is None:
            return None
        session, profile = found
        session.profile = profile
        return session.user, session

    def authenticate_header(self, request):
        return 'Bearer realm="store_api"'
