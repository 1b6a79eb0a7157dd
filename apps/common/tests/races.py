"""Two writers on PostgreSQL, made deterministic: one thread holds its transaction open until another is seen waiting
for a lock (pg_stat_activity), then commits."""

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction


def wait_until_another_waits_for_a_lock(timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first one's lock")


def race(first: Callable[[], None], second: Callable[[], object]) -> object:
    """Run `first` in a transaction held open until `second` (on another thread) waits for its locks; return what
    `second` returned."""
    started, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold() -> None:
        try:
            with transaction.atomic():
                first()
                started.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def run_second() -> None:
        try:
            outcome["value"] = second()
        except Exception as exc:  # surfaced by the caller's assertion
            outcome["value"] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert started.wait(timeout=30)
    contender = threading.Thread(target=run_second)
    contender.start()
    try:
        wait_until_another_waits_for_a_lock()
    finally:
        release.set()
        holder.join(timeout=30)
        contender.join(timeout=30)
    return outcome["value"]
