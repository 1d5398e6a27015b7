"""How a storefront (browser) sign-in relates to the API's sessions.

Every way of signing in through the pages (sign-in, sign-up, password reset) opens an
`AuthSession` through the same services as the API's login, and Django's session (the browser's
cookie) remembers its id. So there is one kind of session: the sessions page lists API clients
and browsers alike, with "this browser" marked, and everything that ends sessions ends browsers
too — signing out one session or every other one, a password change (every session but this
one), a password reset, closing the account. `BrowserSessionMiddleware` signs a browser out on
its next page once its AuthSession is no longer active.

The access and refresh tokens `session_start` issues are never handed to a browser (they expire
unused); Django's session cookie is the browser's credential. Django's own check (the session
holds a hash of the password) still applies on top. Django sessions without a linked
AuthSession — staff signing in to the admin, tests using `force_login` — are left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.utils import timezone

from accounts import selectors, services
from accounts.models import AuthSession, User
from storeapi.http import client_ip, is_api_path, user_agent

#: Django session key holding the primary key of the browser's AuthSession.
SESSION_KEY = "_auth_session_id"
#: A browser's page views move its `last_used_at` at most this often (one write, not one per page).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def session_context(request: HttpRequest) -> services.SessionContext:
    """Where a session is opened from: the client's IP and browser, as the API records them."""
    return services.SessionContext(ip_address=client_ip(request), user_agent=user_agent(request))


def browser_sign_in(request: HttpRequest, user: User, session_id: int) -> None:
    """Sign the browser in (Django's session) as the holder of AuthSession `session_id`."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = session_id


def current_session_id(request: HttpRequest) -> int | None:
    """The AuthSession of this browser, if it signed in through the pages."""
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def browser_sign_out(request: HttpRequest) -> None:
    """End this browser's AuthSession and its Django session."""
    session_id = current_session_id(request)
    if session_id is not None and request.user.is_authenticated:
        session = selectors.session_get_active(session_id=session_id, user_id=request.user.pk)
        if session is not None:
            services.session_revoke(session=session, reason="logout")
    logout(request)


class BrowserSessionMiddleware:
    """Signs a browser out once its AuthSession was ended elsewhere (see the module docstring),
    and keeps the session's `last_used_at` roughly current. Store API requests are untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_path(request.path):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session_id = current_session_id(request)
        if session_id is None:
            return
        if not request.user.is_authenticated:  # Django already dropped it (password changed)
            request.session.pop(SESSION_KEY, None)
            return
        session = selectors.session_get_active(session_id=session_id, user_id=request.user.pk)
        if session is None:
            logout(request)
            messages.info(request, "You have been signed out. Please sign in again.")
            return
        self._mark_used(session)

    @staticmethod
    def _mark_used(session: AuthSession) -> None:
        now = timezone.now()
        if session.last_used_at < now - LAST_USED_RESOLUTION:
            services.session_mark_used(session=session, now=now)
