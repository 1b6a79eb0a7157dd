"""The one publishing module: domain events leave the process here, and only after the transaction commits.

Groups: `project.<id>` receives task events, `user.<id>` the user's notifications, unread counts and membership
changes. The WebSocket consumer (apps.realtime.consumers) forwards them to sockets.

Services build each event inside their transaction from what they hold and call `publish_on_commit`: nothing is sent
when the transaction rolls back, and publishing never reads the database (a database that fails right after the
commit cannot drop an event). Delivery is best effort: the rows are the truth, so a publish that fails is retried
briefly on a background thread, then logged and counted, and never propagates to the request. Clients recover what
was not delivered from the rows (notification `seq` and resume; `updated_after` for tasks).
"""

import asyncio
import heapq
import itertools
import logging
import threading
import time
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

from apps.common import metrics

logger = logging.getLogger("taskflow.events")

Event = dict[str, Any]

# Seconds between the attempts of a publish that failed; after the last one the event is given up (and counted).
RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0)
# Events waiting for a retry; past this (a long outage) new failures are given up at once rather than held.
RETRY_BACKLOG = 10_000


def project_group(project_id: int) -> str:
    return f"project.{project_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def dispatch(group: str, event: Event) -> None:
    """Deliver one event to a group through the channel layer (the transport; it may raise).

    The layer message's `type` is the event's type, so the consumer's handler is named after it (`task.updated` ->
    `task_updated`); the frame for the client travels untouched under `event`.
    """
    layer = get_channel_layer()
    if layer is None:
        logger.debug("no channel layer; dropped %s -> %s", event.get("type"), group)
        return
    message = {"type": event["type"], "event": event}
    loop = _server_loop
    if isinstance(layer, InMemoryChannelLayer) and loop is not None and loop.is_running():
        # The in-memory layer's queues belong to the server's event loop and are not thread-safe: a worker thread
        # (embedded mode) must hand the send to that loop rather than run it on a loop of its own.
        asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop).result(timeout=10)
        return
    async_to_sync(layer.group_send)(group, message)


_server_loop: asyncio.AbstractEventLoop | None = None


def remember_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by the consumer on connect: the loop that owns the in-memory layer's queues in this process."""
    global _server_loop
    _server_loop = loop


def publish(group: str, event: Event) -> None:
    """Publish now. Never raises: a failure goes to the retry thread, which gives up (logged, counted) after a while."""
    try:
        dispatch(group, event)
    except Exception as exc:
        logger.warning("publish of %s to %s failed (%s); retrying in the background", event.get("type"), group, exc)
        _retries.submit(group, event)
        return
    metrics.EVENTS_PUBLISHED.labels(event["type"]).inc()


def publish_on_commit(group: str, event: Event) -> None:
    """Publish `event` (built by the caller inside its transaction) once the transaction commits."""
    transaction.on_commit(partial(publish, group, event))


class _RetryThread:
    """Retries failed publishes off the request thread, with growing delays, then gives up and counts the loss.

    One daemon thread per process, started at the first failure; a heap orders the pending retries by due time.
    """

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, str, Event, int]] = []
        self._order = itertools.count()  # ties on due time keep submission order
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, group: str, event: Event, attempt: int = 0) -> None:
        with self._cond:
            if attempt >= len(RETRY_DELAYS) or len(self._heap) >= RETRY_BACKLOG:
                self._give_up(group, event)
                return
            due = time.monotonic() + RETRY_DELAYS[attempt]
            heapq.heappush(self._heap, (due, next(self._order), group, event, attempt))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="event-publish-retry", daemon=True)
                self._thread.start()
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._heap)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._cond.wait(timeout=self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _, group, event, attempt = heapq.heappop(self._heap)
            try:
                dispatch(group, event)
            except Exception:
                self.submit(group, event, attempt + 1)
            else:
                metrics.EVENTS_PUBLISHED.labels(event["type"]).inc()
                logger.info("publish of %s to %s succeeded on retry %d", event.get("type"), group, attempt + 1)

    @staticmethod
    def _give_up(group: str, event: Event) -> None:
        metrics.PUBLISH_FAILURES.labels(event["type"]).inc()
        logger.error("gave up publishing %s to %s; clients recover it from the database", event.get("type"), group)


_retries = _RetryThread()
