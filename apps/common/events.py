"""The one publishing module: domain events leave the process here, and only after the transaction commits.

Groups: `project.<id>` receives task events, `user.<id>` the user's notifications, unread counts and membership
changes. The WebSocket consumer (apps.realtime.consumers) forwards them to sockets.

Services call `publish_on_commit`; nothing is sent when the transaction rolls back. Delivery is best effort: the
database already holds the truth, so a failure to publish is logged and never propagates to the request.
"""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger("taskflow.events")

Event = dict[str, Any]


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


def publish_on_commit(group: str, build: Callable[[], Event | None]) -> None:
    """After commit, build the event (from committed rows) and dispatch it to `group`.

    `build` runs after commit so the payload reflects what was stored; returning None drops the event (the object
    vanished in the meantime).
    """

    def send() -> None:
        # Publishing must never break the caller: the rows are committed, and resume/refetch recover from them.
        try:
            event = build()
            if event is not None:
                dispatch(group, event)
        except Exception:
            logger.exception("could not publish an event to %s", group)

    transaction.on_commit(send)
