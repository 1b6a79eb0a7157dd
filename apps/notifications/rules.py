"""Who hears of what. The one place that decides notification recipients (API.md, "Notifications").

- `task_assigned`: to the new assignee.
- `mentioned`: to each member newly mentioned (`@username`) in a comment or a task description.
- `task_status_changed`, `comment_added`, `deadline_approaching`: to the task's watchers.
Only current members of the task's project are notified, and nobody of their own action: a member who leaves stops
hearing about the project by construction, whatever watcher rows they left behind. A person mentioned in a new
comment hears `mentioned` rather than also `comment_added`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from apps.collaboration.models import Watcher
from apps.notifications.models import Notification
from apps.projects.models import Membership
from apps.tasks.models import Task

STATUS_LABELS = dict(Task.Status.choices)


@dataclass(frozen=True)
class Planned:
    recipient_id: int
    kind: str
    message: str


def _who(actor) -> str:
    return actor.username if actor is not None else "TaskFlow"


def _members(task: Task, user_ids: Iterable[int]) -> list[int]:
    """Those of `user_ids` who are members of the task's project now, in the given order."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return []
    members = set(
        Membership.objects.filter(project_id=task.project_id, user_id__in=wanted).values_list("user_id", flat=True)
    )
    return [user_id for user_id in wanted if user_id in members]


def watching_members(task: Task) -> list[int]:
    """The task's watchers who are current members of its project, by user id."""
    return list(
        Watcher.objects.filter(task=task, user__memberships__project_id=task.project_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _mentions(*, actor, task: Task, mention_ids: Iterable[int], where: str) -> list[Planned]:
    actor_id = actor.pk if actor is not None else None
    message = f'{_who(actor)} mentioned you in {where} "{task.title}"'
    return [
        Planned(uid, Notification.Kind.MENTIONED, message) for uid in _members(task, mention_ids) if uid != actor_id
    ]


def for_task_change(
    *, actor, task: Task, changes: dict[str, list[Any]], mention_ids: Iterable[int] = ()
) -> list[Planned]:
    """Notifications for a created (changes from None) or updated task; `mention_ids` are the members its
    description newly mentions."""
    actor_id = actor.pk if actor is not None else None
    planned: list[Planned] = []
    assigned = "assignee" in changes and task.assignee_id is not None and task.assignee_id != actor_id
    if assigned and _members(task, [task.assignee_id]):
        planned.append(
            Planned(task.assignee_id, Notification.Kind.TASK_ASSIGNED, f'{_who(actor)} assigned you "{task.title}"')
        )
    planned.extend(_mentions(actor=actor, task=task, mention_ids=mention_ids, where="the description of"))
    old_status = changes.get("status", [None])[0]
    if "status" in changes and old_status is not None:
        message = (
            f'{_who(actor)} moved "{task.title}" from {STATUS_LABELS.get(old_status, old_status)} '
            f"to {STATUS_LABELS[task.status]}"
        )
        planned.extend(
            Planned(uid, Notification.Kind.TASK_STATUS_CHANGED, message)
            for uid in watching_members(task)
            if uid != actor_id
        )
    return planned


def for_comment(*, actor, task: Task, new_mention_ids: Iterable[int], created: bool) -> list[Planned]:
    """A new comment tells the watchers; a new or edited one tells the members it newly mentions."""
    planned = _mentions(actor=actor, task=task, mention_ids=new_mention_ids, where="a comment on")
    if created:
        mentioned = {plan.recipient_id for plan in planned}
        message = f'{_who(actor)} commented on "{task.title}"'
        planned.extend(
            Planned(uid, Notification.Kind.COMMENT_ADDED, message)
            for uid in watching_members(task)
            if uid != actor.pk and uid not in mentioned
        )
    return planned


def for_deadline(*, task: Task) -> list[Planned]:
    message = f'"{task.title}" is due soon'
    return [Planned(uid, Notification.Kind.DEADLINE_APPROACHING, message) for uid in watching_members(task)]
