"""Background work of the assistant: thin actors taking ids and calling services."""

import dramatiq
from django.conf import settings

from apps.assist import services


# A model failure does not heal by retrying; the suggestion is optional, so one run is enough. Its own queue keeps
# model work from delaying emails, and lets operators give it dedicated workers (`rundramatiq --queues assist`).
@dramatiq.actor(queue_name="assist", max_retries=0, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def suggest_task_priority(task_id: int) -> None:
    services.task_priority_suggestion_refresh(task_id=task_id)
