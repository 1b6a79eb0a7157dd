"""Notifications services: create (inside the caller's transaction), mark read, and email preferences."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications import events, rules
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.selectors import email_choices_for
from apps.tasks.models import Task


def notifications_create(*, planned: list[rules.Planned], task: Task | None, actor: User | None) -> list[Notification]:
    """Store planned notifications; each goes to its recipient's sockets after commit, with the new unread count."""
    created = []
    for plan in planned:
        notification = Notification.objects.create(
            recipient_id=plan.recipient_id, kind=plan.kind, task=task, actor=actor, message=plan.message
        )
        events.notification_created(notification_id=notification.pk, recipient_id=plan.recipient_id)
        events.unread_count_changed(user_id=plan.recipient_id)
        created.append(notification)
    return created


def notify_task_change(*, actor: User | None, task: Task, changes: dict[str, list[Any]]) -> list[Notification]:
    """Run the notification rules for a task change; called inside the task service's transaction."""
    return notifications_create(
        planned=rules.for_task_change(actor=actor, task=task, changes=changes), task=task, actor=actor
    )


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Idempotent: a notification already read keeps its first read time."""
    if notification.read_at is None:
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
        if updated:
            events.unread_count_changed(user_id=user.pk)
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if updated:
        events.unread_count_changed(user_id=user.pk)
    return updated


@transaction.atomic
def preferences_update(*, user: User, email: dict[str, bool]) -> dict[str, bool]:
    """Merge the given per-kind email choices into the user's stored ones and return the full set."""
    choices = email_choices_for(user=user)
    choices.update(email)
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": choices})
    return choices
