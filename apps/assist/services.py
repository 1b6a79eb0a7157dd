"""Assist services: compute a task's priority suggestion and hand it to the tasks service that stores it."""

import logging

from apps.assist.errors import PriorityModelUnavailable
from apps.assist.priority.service import suggest_text_priority
from apps.assist.priority.stored import to_stored
from apps.tasks.models import Task
from apps.tasks.services import task_set_suggested_priority

logger = logging.getLogger(__name__)


def task_priority_suggestion_refresh(*, task_id: int) -> bool:
    """Suggest a priority for the task's current text and deadline; True when a suggestion was stored.

    Only the model's reading of the text is stored; the due date rule is applied when the task is read
    (apps.assist.priority.stored), so its cue never goes stale.
    The model may be unavailable (missing head, broken install): the task keeps no suggestion and nothing else fails.
    """
    task = Task.objects.filter(pk=task_id).only("title", "description", "due_at").first()
    if task is None:
        return False
    try:
        reading = suggest_text_priority(title=task.title, description=task.description)
    except PriorityModelUnavailable as exc:
        logger.warning("no priority suggestion for task %s: %s", task_id, exc.detail)
        return False
    return task_set_suggested_priority(
        task_id=task_id,
        suggestion=dict(
            to_stored(text_priority=reading["priority"], confidence=reading["confidence"], cues=reading["cues"])
        ),
        for_title=task.title,
        for_description=task.description,
        for_due_at=task.due_at,
    )
