"""Redis unavailable: the API keeps serving. Rate limits fail open (with a logged warning) and
API-key lookups fall back to the database. Needs no Redis: it points at a closed port."""

import pytest

from storeapi.models import ApiKey

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = UNREACHABLE_REDIS
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    yield


def test_login_and_profile_work_while_the_cache_is_down(
    api, customer, password, redis_down, caplog
):
    response = api.post("/auth/login", {"email": customer.email, "password": password})
    assert response.status_code == 200, response.json()
    api.access_token = response.json()["token"]
    me = api.get("/customers/me")
    assert me.status_code == 200
    assert me.json()["email"] == customer.email
    assert "X-RateLimit-Limit" not in me
    assert "rate limit cache unavailable" in caplog.text


def test_revoked_key_is_refused_while_the_cache_is_down(api, api_key, redis_down):
    ApiKey.objects.filter(pk=api_key.pk).update(revoked_at="2026-01-01T00:00:00Z")
    response = api.get("/countries")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
