"""The one publishing module: domain events leave the process here, and only after the transaction commits.

Services call `publish_on_commit`; nothing is sent when the transaction rolls back. Delivery is best effort: the
database already holds the truth, so a failure to publish is logged and never propagates to the request.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger("taskflow.events")

Event = dict[str, Any]


def project_group(project_id: int) -> str:
    return f"project.{project_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def dispatch(group: str, event: Event) -> None:
    """Deliver one event to a group (the transport; it may raise)."""
    logger.info("event %s -> %s", event.get("type"), group)


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
