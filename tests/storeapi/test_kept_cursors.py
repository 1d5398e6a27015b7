"""storeapi.postgresql keeps one prepared cursor per fixed statement and connection, so psycopg
reuses the adapters it picked for the statement's columns; closing the connection drops them,
and queries through them are still logged and counted."""

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from storeapi.postgresql import base as backend
from storeapi.sql import fetch_all

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="storeapi.postgresql's cursors"),
]

ONE = "SELECT %s::int + 1"
TWO = "SELECT %s::text || 'b'"


def _probe():
    default = connections["default"]
    probe = type(default)({**default.settings_dict}, alias="kept_probe")
    probe.ensure_connection()
    return probe


def test_a_statement_runs_again_on_the_same_cursor_and_its_adapters():
    probe = _probe()
    try:
        with probe.prepared_cursor(ONE) as cursor:
            cursor.execute(ONE, [1])
            assert cursor.fetchall() == [(2,)]
        first = probe._kept[ONE]
        transformer = first._tx

        with probe.prepared_cursor(ONE) as cursor:
            cursor.execute(ONE, [41])
            assert cursor.fetchall() == [(42,)]

        assert probe._kept[ONE] is first and not first.closed
        assert first._tx is transformer  # psycopg kept the loaders it chose
        with probe.prepared_cursor(TWO) as cursor:
            cursor.execute(TWO, ["a"])
            assert cursor.fetchall() == [("ab",)]
        assert set(probe._kept) == {ONE, TWO}
    finally:
        probe.close()


def test_closing_the_connection_closes_its_kept_cursors_and_a_new_one_starts_afresh():
    probe = _probe()
    with probe.prepared_cursor(ONE) as cursor:
        cursor.execute(ONE, [1])
    kept = probe._kept[ONE]

    probe.close()

    assert kept.closed and probe._kept == {}
    with probe.prepared_cursor(ONE) as cursor:  # reconnects
        cursor.execute(ONE, [2])
        assert cursor.fetchall() == [(3,)]
    assert probe._kept[ONE] is not kept
    probe.close()


def test_past_the_limit_the_kept_cursors_are_dropped_and_statements_still_run(monkeypatch):
    monkeypatch.setattr(backend, "KEPT_CURSORS_MAX", 1)
    probe = _probe()
    try:
        for sql, value, expected in ((ONE, 1, 2), (TWO, "a", "ab"), (ONE, 5, 6)):
            with probe.prepared_cursor(sql) as cursor:
                cursor.execute(sql, [value])
                assert cursor.fetchall() == [(expected,)]
            assert list(probe._kept) == [sql]
    finally:
        probe.close()


def test_statements_on_kept_cursors_are_counted():
    fetch_all(ONE, [1])

    with CaptureQueriesContext(connection) as context:
        assert fetch_all(ONE, [1]) == [(2,)]
        assert fetch_all(ONE, [2]) == [(3,)]

    assert [q["sql"] for q in context.captured_queries] == [
        "QUERY = 'SELECT %s::int + 1' - PARAMS = (1,)",
        "QUERY = 'SELECT %s::int + 1' - PARAMS = (2,)",
    ]
