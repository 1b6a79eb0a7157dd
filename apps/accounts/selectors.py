"""Reads about one account, for its owner."""

from typing import Any

from apps.accounts.models import User


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _task(task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "project": task.project_id,
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "priority": task.priority,
        "due_at": _iso(task.due_at),
        "assignee": task.assignee_id,
        "created_by": task.created_by_id,
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
        "completed_at": _iso(task.completed_at),
    }


def _comments(user: User) -> list[dict[str, Any]]:
    from apps.accounts.services import comment_author_fields

    rows = []
    for model, field in comment_author_fields():
        for comment in model._default_manager.filter(**{field.name: user}).order_by("pk"):
            rows.append(
                {
                    "id": comment.pk,
                    "task": getattr(comment, "task_id", None),
                    "body": getattr(comment, "body", ""),
                    "created_at": _iso(getattr(comment, "created_at", None)),
                }
            )
    return rows


def user_export(*, user: User) -> dict[str, Any]:
    """Everything TaskFlow holds about the user: profile, memberships, tasks created or assigned, comments,
    notifications and email preferences."""
    from apps.notifications.models import Notification
    from apps.notifications.selectors import email_choices_for
    from apps.projects.models import Membership
    from apps.tasks.models import Task

    memberships = Membership.objects.filter(user=user).select_related("project").order_by("joined_at", "id")
    return {
        "profile": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "email_verified": user.email_verified,
            "pending_email": user.pending_email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "memberships": [
            {
                "project": {"id": m.project_id, "name": m.project.name},
                "role": m.role,
                "joined_at": _iso(m.joined_at),
            }
            for m in memberships
        ],
        "tasks_created": [_task(t) for t in Task.objects.filter(created_by=user).order_by("pk")],
        "tasks_assigned": [_task(t) for t in Task.objects.filter(assignee=user).order_by("pk")],
        "comments": _comments(user),
        "notifications": [
            {
                "id": n.pk,
                "seq": n.seq,
                "kind": n.kind,
                "task": n.task_id,
                "message": n.message,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("seq")
        ],
        "email_preferences": email_choices_for(user_id=user.pk),
    }
