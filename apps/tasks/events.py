"""Task events for the project's group, built inside the service's transaction from the task it holds."""

from apps.common.events import project_group, publish_on_commit
from apps.tasks.models import Task


def task_changed(*, kind: str, task: Task) -> None:
    """`task` must carry its assignee and creator (loaded or set by the service): serializing it reads nothing.

    The representation is kept on the task as `representation`: the API answers with the very dict the event carries
    (serialized once; the service changes nothing on the task after its event)."""
    from apps.tasks.serializers import TaskSerializer

    task.representation = TaskSerializer(task).data
    frame = {"type": kind, "project": task.project_id, "task": task.representation}
    publish_on_commit(project_group(task.project_id), frame)


def task_deleted(*, task_id: int, project_id: int) -> None:
    publish_on_commit(
        project_group(project_id), {"type": "task.deleted", "project": project_id, "task": {"id": task_id}}
    )
