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
