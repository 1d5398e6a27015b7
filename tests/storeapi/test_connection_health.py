"""The PostgreSQL health check (storeapi/postgresql): no round trip for a live connection, and a
connection the server has ended is found unusable and replaced before the request's first query."""

import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="checks a PostgreSQL socket"),
]


def _fresh_connection():
    """A connection of its own, outside `connections`, so ending it disturbs no test's."""
    default = connections["default"]
    probe = type(default)({**default.settings_dict}, alias="health_probe")
    probe.ensure_connection()
    return probe


def _wait_until_readable(probe, seconds=5.0):
    import select

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([probe.connection.fileno()], [], [], 0.05)[0]:
            return
    raise AssertionError("the server did not close the connection")


def test_the_backend_is_ours():
    assert type(connections["default"]).__module__ == "storeapi.postgresql.base"


def test_a_live_connection_is_usable_without_a_statement(monkeypatch):
    probe = _fresh_connection()
    try:

        def no_statements(*args, **kwargs):
            raise AssertionError("the health check sent a statement")

        monkeypatch.setattr(probe.connection, "cursor", no_statements)
        assert probe.is_usable() is True
    finally:
        monkeypatch.undo()
        probe.close()


def test_a_connection_the_server_ended_is_unusable_and_replaced():
    probe = _fresh_connection()
    try:
        pid = probe.connection.info.backend_pid
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
        _wait_until_readable(probe)
        assert probe.is_usable() is False

        # What a request does first: the failed check closes it, the next query reconnects.
        probe.health_check_enabled = True
        probe.health_check_done = False
        probe.close_if_health_check_failed()
        assert probe.connection is None
        with CaptureQueriesContext(probe), probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert probe.connection.info.backend_pid != pid
    finally:
        probe.close()


def test_a_closed_connection_is_unusable():
    probe = _fresh_connection()
    probe.connection.close()
    assert probe.is_usable() is False
    probe.close()
