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
        #: statement as the session, and left on the session as `profile`; or, when this
        #: process kept the answer for the same version of its rows, that `answer`.
        self.with_profile = with_profile

    def authenticate(self, request):
        raw = bearer_token(request)
        if not raw:
            return None
        claims = access_token_claims(raw)
        if claims is None:
            return None
        if self.with_profile and request.method in ("GET", "HEAD"):
            return self._authenticate_with_profile(request, claims)
        session = session_get_active(session_id=claims["sid"], user_id=claims["user_id"])
        if session is None:
            return None
        return session.user, session

    def _authenticate_with_profile(self, request, claims):
        from accounts.answers import customer_answer_get, customer_answer_key, customer_answer_known
        from customers.selectors import (
            profile_versions_available,
            session_get_active_with_profile,
            session_get_active_with_profile_version,
        )
        from storeapi.http import request_currency

        ids = {"session_id": claims["sid"], "user_id": claims["user_id"]}
        currency = request_currency(request)
        key = customer_answer_key(claims["user_id"], currency)
        if customer_answer_known(key) and profile_versions_available():
            # An answer was kept: the session and the version of its rows, not the rows.
            found = session_get_active_with_profile_version(**ids, currency=currency)
            if found is None:
                return None
            session, version = found
            session.answer = customer_answer_get(key, version)
            if session.answer is not None:
                return session.user, session
        found = session_get_active_with_profile(**ids, currency=currency)
        if found is None:
            return None
        session, profile = found
        session.profile, session.answer = profile, None
        return session.user, session

    def authenticate_header(self, request):
        return 'Bearer realm="store_api"'
