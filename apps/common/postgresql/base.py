"""Django's PostgreSQL backend with a cheaper pool health check.

With CONN_HEALTH_CHECKS and a pool, Django gives psycopg-pool `ConnectionPool.check_connection`, which runs an empty
query (a round trip) on every checkout. With CONN_MAX_AGE=0 every request, and every `database_sync_to_async` hop of a
socket's handshake, checks a connection out: in the handshake profile that round trip was half of the database
thread's time, about 0.9 ms of server CPU per handshake (BENCHMARKS.md, "What the PATCH and handshake profiles say").

A backend that ended (pg_terminate_backend, a PostgreSQL restart or crash) sends its error message and closes the
socket, so the idle connection's socket becomes readable. `quick_check` asks the kernel (a zero-timeout poll, no
round trip) and runs the full check only when something arrived: a dead connection fails it and the pool replaces it,
exactly as before. What neither check covers is the same: a peer that vanished without closing (a host lost with no
FIN) is found by the query that follows, as it was by the empty query (which would then hang until TCP gives up).
"""

import select

from django.db.backends.postgresql import base
from psycopg import OperationalError
from psycopg_pool import ConnectionPool


def quick_check(conn) -> None:
    if conn.closed or conn.broken:
        raise OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:  # a terminated backend's goodbye, or anything else unexpected: the full check decides
        ConnectionPool.check_connection(conn)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # Django passes ConnectionPool.check_connection when CONN_HEALTH_CHECKS is on; swap in the cheap equivalent.
        if pool is not None and getattr(pool, "_check", None) is ConnectionPool.check_connection:
            pool._check = quick_check
        return pool
