"""config/warmup.py: what gunicorn's master loads and freezes before forking the workers."""

import gc
import importlib

import pytest


def test_the_warm_up_touches_neither_the_database_nor_the_cache(monkeypatch):
    """No `db` fixture: pytest-django refuses any database access here."""
    from django.core.cache import cache

    from config.warmup import warm_up

    def no_cache(*args, **kwargs):
        raise AssertionError("the warm-up used the cache")

    monkeypatch.setattr(cache, "get", no_cache)
    warm_up()


def test_freeze_moves_what_is_alive_out_of_the_collections():
    from config.warmup import freeze

    before = gc.get_freeze_count()
    try:
        freeze()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()  # this test process keeps collecting everything


def test_gunicorn_warms_up_and_freezes_when_ready_before_forking(monkeypatch):
    import config.warmup as warmup

    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("warm_up"))
    monkeypatch.setattr(warmup, "freeze", lambda: calls.append("freeze"))
    gunicorn_config = importlib.import_module("config.gunicorn")

    gunicorn_config.when_ready(server=None)

    assert calls == ["warm_up", "freeze"]
    assert gunicorn_config.preload_app is True  # the master holds the app it froze


@pytest.mark.parametrize("path", ["/healthz", "/api/v3/store/customers/me"])
def test_the_warm_up_leaves_the_routes_resolvable(path):
    from django.urls import resolve

    from config.warmup import warm_up

    warm_up()
    assert resolve(path).func is not None


WHAT_A_FIRST_ADDRESS_REQUEST_LOADS = """
import gc, json, sys
from decimal import Decimal
import django
django.setup()
from config.warmup import freeze, warm_up
if sys.argv[1] == "warm":
    warm_up()
freeze()
from django.conf import settings
from django.core.validators import validate_email
from customers.geography import postal_code_matches, subdivision_index
from storeapi.money import display_money
before = len(gc.get_objects())
subdivision_index("US"), subdivision_index("FR"), postal_code_matches("US", "10118")
validate_email("shopper@example.com")
display_money(Decimal("12.50"), settings.STORE_CURRENCY)
gc.collect()
print(json.dumps({"new_objects": len(gc.get_objects()) - before}))
"""


@pytest.mark.parametrize(("mode", "loaded_by_the_request"), [("warm", False), ("cold", True)])
def test_the_data_a_first_address_request_loads_is_loaded_and_frozen_before_the_fork(
    mode, loaded_by_the_request
):
    """pycountry's subdivisions, the address rules, the e-mail patterns and the currency's
    formats: loaded by a worker, they cost its first cart requests 0.2-0.4 s and stay in every
    full collection it runs. A fresh interpreter, as gunicorn's master is."""
    import json
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", WHAT_A_FIRST_ADDRESS_REQUEST_LOADS, mode],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    new_objects = json.loads(result.stdout.strip().splitlines()[-1])["new_objects"]
    if loaded_by_the_request:
        assert new_objects > 5000, new_objects  # the check can fail: cold, the data loads here
    else:
        assert new_objects < 200, new_objects
