"""Reads of tasks and their activity, scoped to the projects the caller is a member of."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.models import User
from apps.projects.selectors import member_project_ids
from apps.tasks.models import PRIORITY_RANK, Task, TaskActivity


def task_list_for(*, user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(project_id__in=member_project_ids(user=user))
        .select_related("assignee", "created_by")
        .prefetch_related("labels")
        .annotate(priority_rank=PRIORITY_RANK, comment_count=comment_count())
    )


def comment_count():
    # A correlated count rather than Count("comments"): it stays right whatever else the query joins (search, labels).
    from apps.collaboration.models import Comment

    counts = Comment.objects.filter(task=OuterRef("pk")).order_by().values("task").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def task_get_for(*, user: User, task_id: int) -> Task:
    """One task of the caller's projects; 404 otherwise, so a non-member never learns that it exists."""
    try:
        return task_list_for(user=user).get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such task.") from exc


def task_scope_for(*, user: User, task_id) -> QuerySet[Task]:
    """The task `task_id` if it is in one of the caller's projects (an empty queryset otherwise, or for an id that is
    no id), plain: for a service to lock and read in one query (apps.tasks.services.task_update_for)."""
    try:
        return Task.objects.filter(pk=task_id, project_id__in=member_project_ids(user=user))
    except (ValueError, TypeError):
        return Task.objects.none()


def task_activity_list(*, task: Task) -> QuerySet[TaskActivity]:
    return TaskActivity.objects.filter(task=task).select_related("actor").order_by("created_at", "id")
