"""The one publishing module: domain events leave the process here, and only after the transaction commits.

Groups: `project.<id>` receives task events, `user.<id>` the user's notifications, unread counts and membership
changes. The WebSocket consumer (apps.notifications.consumers) forwards them to sockets.

Services call `publish_on_commit`; nothing is sent when the transaction rolls back. Delivery is best effort: the
database already holds the truth, so a failure to publish is logged and never propagates to the request.
"""

import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
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
    async_to_sync(layer.group_send)(group, {"type": event["type"], "event": event})


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
