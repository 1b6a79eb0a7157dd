"""Enqueue Dramatiq jobs only after the transaction commits, as events are published (apps.common.events).

A failure to enqueue (Redis down) is logged, never raised: the rows already say what is owed, and sweepers re-enqueue
from them.
"""

import logging

import dramatiq
from django.db import transaction

logger = logging.getLogger("taskflow.jobs")


def enqueue_on_commit(actor: dramatiq.Actor, *args, delay_ms: int | None = None) -> None:
    def send() -> None:
        try:
            if delay_ms:
                actor.send_with_options(args=args, delay=delay_ms)
            else:
                actor.send(*args)
        except Exception as exc:  # the rows say what is owed: the sweepers enqueue it again
            logger.warning("could not enqueue %s%r: %s", actor.actor_name, args, exc)

    transaction.on_commit(send)
