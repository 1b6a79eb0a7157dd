"""Reads of tasks and their activity, scoped to the projects the caller is a member of."""

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.projects.selectors import member_project_ids
from apps.tasks.models import PRIORITY_RANK, Task, TaskActivity


def task_list_for(*, user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(project_id__in=member_project_ids(user=user))
        .select_related("assignee", "created_by")
        .annotate(priority_rank=PRIORITY_RANK)
    )


def task_get_for(*, user: User, task_id: int) -> Task:
    """One task of the caller's projects; 404 otherwise, so a non-member never learns that it exists."""
    try:
        return task_list_for(user=user).get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such task.") from exc


def task_activity_list(*, task: Task) -> QuerySet[TaskActivity]:
    return TaskActivity.objects.filter(task=task).select_related("actor").order_by("created_at", "id")
