"""The pool's health check (apps/common/postgresql): no round trip for a healthy idle connection, and a backend
terminated while its connection sat in the pool is still never handed out."""

import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from apps.common.postgresql.base import quick_check

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def pool(**options) -> ConnectionPool:
    """A pool of its own, checked as Django's is, so that no other test's connections are touched."""
    params = {**connection.get_connection_params(), "autocommit": True}
    return ConnectionPool(kwargs=params, min_size=1, max_size=1, check=quick_check, open=True, **options)


def pid_of(conn) -> int:
    return conn.execute("SELECT pg_backend_pid()").fetchone()[0]


def terminate(pid: int) -> None:
    with psycopg.connect(**{**connection.get_connection_params(), "autocommit": True}) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]:
            assert time.monotonic() < deadline, "the backend did not end"
            time.sleep(0.05)


@pytest.fixture
def full_checks(monkeypatch):
    calls = []
    original = ConnectionPool.check_connection

    def counting(conn):
        calls.append(conn)
        return original(conn)

    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(counting))
    return calls


def test_django_gives_its_pool_the_quick_check():
    connection.ensure_connection()
    assert connection.pool is not None
    assert connection.pool._check is quick_check


def test_a_healthy_connection_is_handed_out_without_a_round_trip(full_checks):
    with pool() as connections:
        for _ in range(3):
            with connections.connection() as conn:
                pid_of(conn)
    assert full_checks == []


def test_a_backend_terminated_in_the_pool_is_replaced(full_checks):
    with pool() as connections:
        with connections.connection() as conn:
            first = pid_of(conn)
        terminate(first)  # while its connection sits idle in the pool
        with connections.connection() as conn:  # the dead one fails the full check and is replaced: no error here
            second = pid_of(conn)
    assert second != first
    assert full_checks  # the socket told: the full check ran on the dead connection
