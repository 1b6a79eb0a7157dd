"""Who hears of what. The one place that decides notification recipients (API.md, "Notifications").

- `task_assigned`: to the new assignee.
- `task_status_changed`: to the assignee and the creator (once, even when they are the same person).
- `deadline_approaching`: to the assignee, else the creator.
Nobody is notified of their own action.
"""

from dataclasses import dataclass
from typing import Any

from apps.notifications.models import Notification
from apps.tasks.models import Task

STATUS_LABELS = dict(Task.Status.choices)


@dataclass(frozen=True)
class Planned:
    recipient_id: int
    kind: str
    message: str


def _who(actor) -> str:
    return actor.username if actor is not None else "TaskFlow"


def for_task_change(*, actor, task: Task, changes: dict[str, list[Any]]) -> list[Planned]:
    """Notifications for a created (changes from None) or updated task."""
    actor_id = actor.pk if actor is not None else None
    planned: list[Planned] = []
    if "assignee" in changes and task.assignee_id is not None and task.assignee_id != actor_id:
        planned.append(
            Planned(task.assignee_id, Notification.Kind.TASK_ASSIGNED, f'{_who(actor)} assigned you "{task.title}"')
        )
    old_status = changes.get("status", [None])[0]
    if "status" in changes and old_status is not None:
        message = (
            f'{_who(actor)} moved "{task.title}" from {STATUS_LABELS.get(old_status, old_status)} '
            f"to {STATUS_LABELS[task.status]}"
        )
        recipients = dict.fromkeys(uid for uid in (task.assignee_id, task.created_by_id) if uid is not None)
        planned.extend(
            Planned(uid, Notification.Kind.TASK_STATUS_CHANGED, message) for uid in recipients if uid != actor_id
        )
    return planned


def for_deadline(*, task: Task) -> Planned | None:
    recipient_id = task.assignee_id or task.created_by_id
    if recipient_id is None:
        return None
    return Planned(recipient_id, Notification.Kind.DEADLINE_APPROACHING, f'"{task.title}" is due soon')
