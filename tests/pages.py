"""Helpers of the storefront page tests: a browser signed in the way the sign-in page does it,
the sign-in redirect, and the messages a page showed."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.messages import get_messages

from accounts.browser_sessions import SESSION_KEY
from accounts.services import SessionContext, session_start

SIGN_IN = "/account/sign-in/"


def sign_in(client, user) -> int:
    """Sign `client` in as `user` with an AuthSession linked to its Django session, as the
    sign-in page does (without spending the login rate limit); returns the session's pk."""
    tokens = session_start(user=user, context=SessionContext("127.0.0.1", "pytest browser"))
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = tokens.session_id
    session.save()
    return tokens.session_id


def assert_redirects_to_sign_in(response, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={quote(path)}"


def messages_of(response) -> list[str]:
    """The Django messages added while answering `response` (test client responses)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def field_errors(response, form: str = "form") -> dict[str, list[str]]:
    """The errors of the page's form, by field (`__all__` for the whole form)."""
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


def queries_for(client, path: str) -> int:
    """How many database queries answering GET `path` costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)
