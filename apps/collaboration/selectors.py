"""Reads of comments, labels and watchers, scoped to the caller's projects (a non-member gets 404)."""

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.collaboration.models import Comment, Label, Watcher
from apps.projects.selectors import member_project_ids
from apps.tasks.models import Task


def comment_list(*, task: Task) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(task=task)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "id")
    )


def comment_get_for(*, user: User, comment_id: int) -> Comment:
    try:
        return (
            Comment.objects.filter(task__project_id__in=member_project_ids(user=user))
            .select_related("author", "task__project")
            .get(pk=comment_id)
        )
    except (Comment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such comment.") from exc


def label_list(*, project_id: int) -> QuerySet[Label]:
    return Label.objects.filter(project_id=project_id).order_by("name", "id")


def label_get_for(*, user: User, label_id: int) -> Label:
    try:
        return (
            Label.objects.filter(project_id__in=member_project_ids(user=user))
            .select_related("project")
            .get(pk=label_id)
        )
    except (Label.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such label.") from exc


def watcher_list(*, task: Task) -> QuerySet[User]:
    """Users watching the task who are members of its project now (the ones who would be notified)."""
    return User.objects.filter(
        pk__in=Watcher.objects.filter(task=task).values("user_id"), memberships__project_id=task.project_id
    ).order_by("username", "id")
