"""Django's PostgreSQL backend with a connection health check that costs no round trip.

Django's own check (`CONN_HEALTH_CHECKS`) sends `SELECT 1` before the first query of every
request: one more round trip than the request needs, on every request. An idle connection has
nothing to read unless the server has spoken first, and a server that ends a connection
(restart, `pg_terminate_backend`, idle timeout) sends its FATAL and closes the socket, so the
socket turns readable. This check polls the socket without waiting and only then falls back to
Django's `SELECT 1`. A peer that vanishes without a word (a cut network) is caught by neither
check before the first query; that query's error closes the connection at the end of the
request, as with Django's.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if readable:
            return super().is_usable()
        return True
