import importlib.util

import pytest

from accounts.models import User
from config.settings import base


def _register(client, password, email="hash@example.com"):
    return client.post(
        "/customers",
        {"email": email, "password": password, "password_confirmation": password},
    )


def test_base_settings_hash_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_registered_password_is_stored_as_argon2_under_the_base_hashers(api, settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS

    response = _register(api, "password123")

    assert response.status_code == 201
    stored = User.objects.get().password
    assert stored.startswith("argon2$argon2id$")
    assert "password123" not in stored
    assert User.objects.get().check_password("password123")


def test_the_seed_example_password_is_accepted(api):
    response = _register(api, "password123")

    assert response.status_code == 201


@pytest.mark.parametrize("length", [8, 128])
def test_passwords_of_8_to_128_characters_are_accepted(api, length):
    password = ("Zq7#" * 40)[:length]

    assert _register(api, password).status_code == 201


def test_a_7_character_password_is_rejected(api):
    response = _register(api, "Zq7#Zq7")

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "password": ["is too short (minimum is 8 characters)"]
    }
    assert User.objects.count() == 0


def test_a_129_character_password_is_rejected(api):
    response = _register(api, ("Zq7#" * 40)[:129])

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "password": ["is too long (maximum is 128 characters)"]
    }
    assert User.objects.count() == 0


@pytest.mark.parametrize("password", ["ada.lovelace", "lovelace1", "Lovelace!"])
def test_a_password_too_similar_to_the_email_is_rejected(api, password):
    response = _register(api, password, email="ada.lovelace@example.com")

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"password": ["is too similar to the email"]}
    assert User.objects.count() == 0


def test_common_passwords_are_allowed_unless_the_setting_is_on(api):
    assert _register(api, "iloveyou1").status_code == 201


def test_the_common_password_check_can_be_turned_on(api, settings, monkeypatch):
    monkeypatch.setenv("PASSWORD_CHECK_COMMON", "1")
    spec = importlib.util.find_spec("config.settings.base")
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    settings.AUTH_PASSWORD_VALIDATORS = fresh.AUTH_PASSWORD_VALIDATORS

    response = _register(api, "iloveyou1")

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"password": ["is too common"]}
    assert User.objects.count() == 0
