"""The one publishing module: domain events leave the process here, and only after the transaction commits.

Groups: `project.<id>` receives task events, `user.<id>` the user's notifications, unread counts and membership
changes. The fan-out of each web process (apps.realtime.fanout) hands them to the sockets in those groups.

Services build each event inside their transaction from what they hold and call `publish_on_commit`: nothing is sent
when the transaction rolls back, and publishing never reads the database (a database that fails right after the
commit cannot drop an event). Delivery is best effort: the rows are the truth, so a publish that fails is retried
briefly on a background thread, then logged and counted, and never propagates to the request. Clients recover what
was not delivered from the rows (notification `seq` and resume; `updated_after` for tasks).
"""

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction

from apps.common import metrics

logger = logging.getLogger("taskflow.events")

Event = dict[str, Any]

# Pauses between the attempts of a publish that failed (the last one repeats), and how long after its first failure
# an event is given up (and counted).
RETRY_DELAYS = (0.25, 0.5, 1.0)
RETRY_WINDOW = 4.0
# Events waiting for a retry; past this (a long outage) new failures are given up at once rather than held.
RETRY_BACKLOG = 10_000


def project_group(project_id: int) -> str:
    return f"project.{project_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def dispatch(group: str, event: Event) -> None:
    """Deliver one event to a group's sockets in every web process (the transport; it may raise)."""
    from apps.realtime.fanout import publish  # the live transport lives with the sockets it serves

    publish(group, event)


def publish(group: str, event: Event) -> None:
    """Publish now; never raises and never waits on a failing layer.

    A failure hands the event to the backlog thread, which retries it briefly. While the backlog holds anything, later
    events queue behind it instead of trying first: they keep their order, and a request does not wait on a layer
    that is known to be failing.
    """
    if _backlog.pending():
        _backlog.submit(group, event)
        return
    try:
        dispatch(group, event)
    except Exception as exc:
        logger.warning("publish of %s to %s failed (%s); retrying in the background", event.get("type"), group, exc)
        _backlog.submit(group, event)
        return
    metrics.EVENTS_PUBLISHED.labels(event["type"]).inc()


def publish_on_commit(group: str, event: Event) -> None:
    """Publish `event` (built by the caller inside its transaction) once the transaction commits."""
    transaction.on_commit(partial(publish, group, event))


@dataclass
class _Pending:
    group: str
    event: Event
    deadline: float  # given up if not published by then
    attempts: int = 0


class _Backlog:
    """Events whose publish failed, retried in order on a thread of their own, then given up and counted.

    The head is retried with growing pauses until its deadline (RETRY_WINDOW after it arrived); when it is given up,
    everything behind it whose deadline has passed too goes at once, untried: the layer has just failed again.
    """

    def __init__(self) -> None:
        self._queue: deque[_Pending] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, group: str, event: Event) -> None:
        with self._cond:
            if len(self._queue) >= RETRY_BACKLOG:
                _give_up(group, event)
                return
            self._queue.append(_Pending(group, event, deadline=time.monotonic() + RETRY_WINDOW))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="event-publish-retry", daemon=True)
                self._thread.start()
            self._cond.notify()

    def pending(self) -> int:
        return len(self._queue)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                head = self._queue[0]
            try:
                dispatch(head.group, head.event)
            except Exception:
                head.attempts += 1
                now = time.monotonic()
                if now < head.deadline:
                    pause = RETRY_DELAYS[min(head.attempts, len(RETRY_DELAYS)) - 1]
                    time.sleep(min(pause, head.deadline - now))
                    continue
                with self._cond:
                    while self._queue and self._queue[0].deadline <= now:
                        expired = self._queue.popleft()
                        _give_up(expired.group, expired.event)
                continue
            with self._cond:
                self._queue.popleft()
            metrics.EVENTS_PUBLISHED.labels(head.event["type"]).inc()
            if head.attempts:
                logger.info("publish of %s to %s succeeded on retry", head.event.get("type"), head.group)


def _give_up(group: str, event: Event) -> None:
    # Logged before it is counted: whoever sees the count (a test, an alert) can find the log line.
    logger.error("gave up publishing %s to %s; clients recover it from the database", event.get("type"), group)
    metrics.PUBLISH_FAILURES.labels(event["type"]).inc()


_backlog = _Backlog()
