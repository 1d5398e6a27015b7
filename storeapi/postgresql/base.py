"""Django's PostgreSQL backend with three additions for the hot paths.

**A health check that costs no round trip.** Django's own (`CONN_HEALTH_CHECKS`) sends
`SELECT 1` before the first query of every request: one more round trip than the request needs,
on every request. An idle connection has nothing to read unless the server has spoken first, and
a server that ends a connection (restart, `pg_terminate_backend`, idle timeout) sends its FATAL
and closes the socket, so the socket turns readable. This check polls the socket without
waiting and only then falls back to Django's `SELECT 1`. A peer that vanishes without a word (a
cut network) is caught by neither check before the first query; that query's error closes the
connection at the end of the request, as with Django's.

**A lock timeout for the whole connection** (OPTIONS `lock_timeout`, `DB_LOCK_TIMEOUT`): set
once at connect (libpq `options`), so a cart mutation needs no `SET LOCAL` round trip of its own.

**Prepared statements for precompiled SQL** (`prepared_cursor()`, used by `storeapi/sql.py`).
Django binds parameters in the client, so PostgreSQL parses and plans every statement again;
for the profile's four-table read planning costs twice its execution. A prepared cursor binds
on the server and prepares each statement once per connection (psycopg keeps the last 100), so
later executions skip parsing and planning. Only our fixed-shape statements go through it; the
ORM keeps Django's default. Behind a pooler in transaction mode, PgBouncer 1.21+ with
`max_prepared_statements` is needed, or `DB_PREPARED_STATEMENTS=0`.
"""

from __future__ import annotations

import re
import select

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base

_TIMEOUT = re.compile(r"\A\d+(ms|s|min)?\Z")
#: Statements whose cursor a connection keeps (storeapi/sql.py has a few dozen; psycopg keeps
#: the last 100 prepared). Past it, all are dropped and kept again as they run.
KEPT_CURSORS_MAX = 128


class PreparedStatementCursor(base.ServerBindingCursor):
    """Server-side binding, and every statement prepared (once per connection).

    Kept by its connection for one statement (`DatabaseWrapper.prepared_cursor(sql)`), so
    closing it after use only leaves it for the next execution; `discard()` closes it."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)

    def close(self):
        pass

    def discard(self):
        super().close()


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kept statement cursors (prepared_cursor) and the connection they belong to.
        self._kept_for, self._kept = None, {}

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        # Ours, not a libpq option. Django turns psycopg's statement preparation off
        # (prepare_threshold None); Django's own client-binding cursors never prepare, so
        # turning it on again only lets PreparedStatementCursor prepare.
        if params.pop("prepared_statements", True) and params.get("prepare_threshold") is None:
            params["prepare_threshold"] = 5
        # Ours too: the server's lock_timeout for this connection's whole life (libpq options).
        lock_timeout = str(params.pop("lock_timeout", "") or "").strip()
        if lock_timeout:
            if not _TIMEOUT.match(lock_timeout):
                raise ImproperlyConfigured(
                    f"lock_timeout {lock_timeout!r}: a number with an optional unit (ms, s, min)"
                )
            params["options"] = f"{params.get('options', '')} -c lock_timeout={lock_timeout}"
            params["options"] = params["options"].strip()
        return params

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        # poll(), not select(): select() fails on descriptors past FD_SETSIZE (1024).
        poller = select.poll()
        try:
            poller.register(connection.fileno(), select.POLLIN)
            readable = poller.poll(0)
        except (OSError, ValueError):
            return False
        if readable:
            return super().is_usable()
        return True

    def prepared_cursor(self, sql: str):
        """A cursor for the fixed statement `sql` (wrapped like `cursor()`, so queries are
        logged and counted) that prepares it; `cursor()` itself when prepared statements are
        off. The connection keeps one cursor per statement: psycopg then reuses the adapters
        it chose for the statement's parameters and columns (a new cursor looks up and builds
        one per column, about 2 us each), as long as the same `sql` object is executed."""
        if not self.settings_dict["OPTIONS"].get("prepared_statements", True):
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            if self._kept_for is not self.connection:
                self._kept_for, self._kept = self.connection, {}
            cursor = self._kept.get(sql)
            if cursor is None or cursor.closed:
                if len(self._kept) >= KEPT_CURSORS_MAX:
                    self._discard_kept()
                    self._kept_for = self.connection
                cursor = self._kept[sql] = self._new_prepared_cursor()
            return self._prepare_cursor(cursor)

    def _new_prepared_cursor(self) -> PreparedStatementCursor:
        cursor = PreparedStatementCursor(self.connection)
        loader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
        if self.timezone != loader.timezone:
            base.register_tzloader(self.timezone, cursor)
        return cursor

    def _discard_kept(self) -> None:
        kept, self._kept_for, self._kept = self._kept, None, {}
        for cursor in kept.values():
            cursor.discard()

    def _close(self):
        self._discard_kept()
        return super()._close()
