import json
from io import StringIO

from django.apps import apps
from django.core.management import call_command

from accounts.models import AuthSession, User
from storeapi.models import ApiKey
from tests.conftest import StoreClient


def _seed() -> tuple[list[str], dict]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


def test_seed_demo_prints_the_key_and_demo_login_as_the_last_json_line(db):
    _lines, summary = _seed()

    assert summary["publishable_key"].startswith("pk_")
    assert len(summary["publishable_key"]) == 27
    assert summary["user_email"] == "demo@example.com"
    assert summary["user_password"] == "password123"
    assert ApiKey.objects.get(token=summary["publishable_key"]).revoked_at is None


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_is_idempotent(db):
    _lines, first = _seed()
    counts = _row_counts()
    user_row = User.objects.values().get(email="demo@example.com")
    key_row = ApiKey.objects.values().get(token=first["publishable_key"])

    _lines, second = _seed()

    assert second == first
    assert _row_counts() == counts
    assert counts["storeapi.ApiKey"] == 1
    assert User.objects.values().get(email="demo@example.com") == user_row
    assert ApiKey.objects.values().get(token=first["publishable_key"]) == key_row


def test_seeded_login_works_through_the_api(db):
    _lines, summary = _seed()
    client = StoreClient(summary["publishable_key"])

    response = client.post(
        "/auth/login", {"email": summary["user_email"], "password": summary["user_password"]}
    )

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "demo@example.com"
    assert AuthSession.objects.count() == 1
