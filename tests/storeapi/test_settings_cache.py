"""The process's copy of the shop's settings (storeapi/settings_cache.py): kept for
SHOP_SETTINGS_CACHE_SECONDS, forgotten at once and on commit when a row changes."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from catalog.models import StockLocation
from catalog.selectors import stock_locations_active
from storeapi import settings_cache
from storeapi.settings_cache import settings_cached
from tests.factories import StockLocationFactory

loads: list[str] = []


@settings_cached(StockLocation)
def _locations_named(name: str) -> tuple[StockLocation, ...]:
    loads.append(name)
    return tuple(StockLocation.objects.filter(name=name).order_by("pk"))


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(settings_cache.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture(autouse=True)
def _no_loads():
    loads.clear()


def test_an_answer_is_kept_until_the_seconds_pass(db, clock, django_assert_num_queries):
    main = StockLocationFactory(name="Main")
    with django_assert_num_queries(1):
        assert stock_locations_active() == (main,)
        assert stock_locations_active() == (main,)
    # Another process switches it off: no signal reaches this one.
    StockLocation.objects.filter(pk=main.pk).update(is_active=False)

    clock[0] += 4.9
    with django_assert_num_queries(0):
        assert stock_locations_active() == (main,)
    clock[0] += 0.1
    with django_assert_num_queries(1):
        assert stock_locations_active() == ()


def test_the_seconds_are_a_setting(db, clock, settings, django_assert_num_queries):
    settings.SHOP_SETTINGS_CACHE_SECONDS = 60
    StockLocationFactory(name="Main")
    stock_locations_active()

    clock[0] += 59
    with django_assert_num_queries(0):
        stock_locations_active()
    clock[0] += 1
    with django_assert_num_queries(1):
        stock_locations_active()


def test_zero_seconds_keeps_nothing(db, settings, django_assert_num_queries):
    settings.SHOP_SETTINGS_CACHE_SECONDS = 0
    StockLocationFactory(name="Main")

    with django_assert_num_queries(2):
        stock_locations_active()
        stock_locations_active()


def test_answers_are_kept_per_arguments(db, clock):
    StockLocationFactory(name="Main")

    assert len(_locations_named("Main")) == 1
    assert _locations_named("Other") == ()
    assert len(_locations_named("Main")) == 1
    assert len(_locations_named(name="Main")) == 1  # by keyword: an answer of its own
    assert len(_locations_named(name="Main")) == 1
    assert loads == ["Main", "Other", "Main"]


def test_a_loader_keeps_a_bounded_number_of_answers(db, clock, monkeypatch):
    monkeypatch.setattr(settings_cache, "MAX_ENTRIES", 3)
    for name in ("a", "b", "c", "d"):
        _locations_named(name)

    _locations_named("d")
    _locations_named("a")

    assert loads == ["a", "b", "c", "d", "a"]


def test_a_save_or_a_delete_forgets_at_once(db, clock, django_assert_num_queries):
    main = StockLocationFactory(name="Main")
    stock_locations_active()

    main.is_active = False
    main.save()
    with django_assert_num_queries(1):
        assert stock_locations_active() == ()
    other = StockLocationFactory(name="Other")
    assert stock_locations_active() == (other,)
    other.delete()
    assert stock_locations_active() == ()


def test_a_change_is_forgotten_again_when_it_commits(
    db, clock, django_capture_on_commit_callbacks, django_assert_num_queries
):
    main = StockLocationFactory(name="Main")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        main.name = "Renamed"
        main.save()
        # What another thread reads before the commit (here: this one) is kept until then.
        stock_locations_active()
        with django_assert_num_queries(0):
            stock_locations_active()

    assert callbacks  # the forgetting, queued for the commit
    with django_assert_num_queries(1):
        stock_locations_active()


@settings_cached()
def _racing() -> int:
    loads.append("racing")
    if len(loads) == 1:  # another thread's commit, during this first load
        _racing.forget()
    return len(loads)


def test_an_answer_loaded_while_a_change_is_forgotten_is_not_kept(db, clock):
    assert _racing() == 1
    assert _racing() == 2
    assert _racing() == 2


def test_clear_forgets_every_loader(db, clock, django_assert_num_queries):
    StockLocationFactory(name="Main")
    stock_locations_active()
    _locations_named("Main")

    settings_cache.clear()

    with django_assert_num_queries(2):
        stock_locations_active()
        _locations_named("Main")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs committed transactions")
def test_a_read_by_another_thread_before_the_commit_is_forgotten_on_commit(clock):
    main = StockLocationFactory(name="Main")
    seen: list[tuple] = []

    def other_request() -> None:
        try:
            seen.append(stock_locations_active())
        finally:
            connection.close()

    with transaction.atomic():
        main.name = "Renamed"
        main.save()
        thread = threading.Thread(target=other_request)
        thread.start()
        thread.join(timeout=30)
        # The other thread's connection saw the committed row, and kept it.
        assert [location.name for location in seen[0]] == ["Main"]

    assert [location.name for location in stock_locations_active()] == ["Renamed"]
