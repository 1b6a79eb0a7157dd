"""Task events for the project's group, built from the committed row after commit."""

from apps.common.events import Event, project_group, publish_on_commit
from apps.tasks.models import Task


def task_changed(*, kind: str, task: Task) -> None:
    project_id, task_id = task.project_id, task.pk

    def build() -> Event | None:
        from apps.tasks.serializers import TaskSerializer

        stored = Task.objects.select_related("assignee", "created_by").filter(pk=task_id).first()
        if stored is None:
            return None
        return {"type": kind, "project": project_id, "task": TaskSerializer(stored).data}

    publish_on_commit(project_group(project_id), build)


def task_deleted(*, task_id: int, project_id: int) -> None:
    publish_on_commit(
        project_group(project_id), lambda: {"type": "task.deleted", "project": project_id, "task": {"id": task_id}}
    )
