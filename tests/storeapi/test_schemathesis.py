"""Property-based API fuzzing with Schemathesis against our own OpenAPI document.

Every operation gets bounded generated requests (publishable key and a customer's JWT
attached). Whatever the input: no response is a 500, and every error body is the envelope
`{"error": {"code", "message", "details?"}}`.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accounts.services import SessionContext, session_start
from config.wsgi import application
from tests.factories import ApiKeyFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v3/store/openapi.json", application)

MAX_EXAMPLES = 8


@pytest.fixture
def keep_test_connection():
    """Calls go straight into the WSGI app, so Django's end-of-request hook would close the
    test's database connection (and its transaction) on PostgreSQL; Django's own test client
    unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(db, keep_test_connection):
    key = ApiKeyFactory()
    user = UserFactory(email="fuzz@example.com")
    tokens = session_start(user=user, context=SessionContext("127.0.0.1", "schemathesis"))
    return {"X-Spree-Api-Key": key.token, "Authorization": f"Bearer {tokens.access_token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_no_500_and_errors_in_the_envelope(case, auth_headers, settings):
    settings.RATE_LIMITS_ENABLED = False
    response = case.call(headers={**(case.headers or {}), **auth_headers})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert isinstance(body["error"]["code"], str) and body["error"]["code"]
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        assert set(body["error"]) <= {"code", "message", "details"}
