"""Settings for the test suite: the base settings with a fast Argon2 and mail kept in memory."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["accounts.hashers.FastArgon2PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
EMAIL_OUTBOX_WORKER = False  # sent right after commit, into mail.outbox
# The shop's settings are kept in the process as in production; tests/conftest.py forgets them
# before each test, and a test that changes them without signals (`.update()`) forgets them.
SHOP_SETTINGS_CACHE_SECONDS = 5
