"""Shared fixtures: a publishable key, customers and an API client that speaks like the SDK."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import SessionContext, session_start
from storeapi import memo, settings_cache
from tests.factories import DEFAULT_PASSWORD, ApiKeyFactory, UserFactory

API = "/api/v3/store"


class StoreClient(APIClient):
    """Sends JSON bodies and the publishable key, as `@spree/sdk` does."""

    def __init__(self, api_key: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.api_key = api_key
        self.access_token: str | None = None

    def _headers(self, extra):
        headers = {}
        if self.api_key:
            headers["HTTP_X_SPREE_API_KEY"] = self.api_key
        if self.access_token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.access_token}"
        headers.update(extra)
        return headers

    def call(self, method: str, path: str, body=None, raw: bytes | str | None = None, **extra):
        url = path
        if not url.startswith("/api/"):
            url = f"{API}{path}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        return self.generic(
            method,
            url,
            data=data or "",
            content_type="application/json",
            **self._headers(extra),
        )

    def get(self, path, data=None, **extra):
        if path.startswith("/api/"):
            return super().get(path, data=data, **self._headers(extra))
        return super().get(f"{API}{path}", data=data, **self._headers(extra))

    def post(self, path, body=None, **extra):
        return self.call("POST", path, body, **extra)

    def patch(self, path, body=None, **extra):
        return self.call("PATCH", path, body, **extra)

    def put(self, path, body=None, **extra):
        return self.call("PUT", path, body, **extra)

    def delete(self, path, body=None, **extra):
        return self.call("DELETE", path, body, **extra)

    def login_as(self, user) -> StoreClient:
        tokens = session_start(user=user, context=SessionContext("127.0.0.1", "pytest"))
        self.access_token = tokens.access_token
        self.refresh_token = tokens.refresh_token
        self.session_id = tokens.session_id
        return self


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _countries_after_flush(request):
    """Transactional tests flush the database, data-migration rows included; put the
    countries back (rather than `serialized_rollback`, whose reload collides with the content
    types Django recreates after a flush on PostgreSQL)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        TRANSACTIONAL_FIXTURES & set(request.fixturenames)
    )
    if transactional:
        from customers.services import countries_sync

        request.getfixturevalue("transactional_db")
        countries_sync()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    settings_cache.clear()
    memo.clear()
    yield
    cache.clear()
    settings_cache.clear()
    memo.clear()


@pytest.fixture
def api_key(db):
    return ApiKeyFactory()


@pytest.fixture
def api(api_key) -> StoreClient:
    return StoreClient(api_key.token)


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def customer(db):
    return UserFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace")


@pytest.fixture
def other_customer(db):
    return UserFactory(email="grace@example.com", first_name="Grace", last_name="Hopper")


@pytest.fixture
def customer_api(api_key, customer) -> StoreClient:
    return StoreClient(api_key.token).login_as(customer)


@pytest.fixture
def other_api(api_key, other_customer) -> StoreClient:
    return StoreClient(api_key.token).login_as(other_customer)
