"""Comment events for the project's group, built inside the service's transaction."""

from apps.collaboration.models import Comment
from apps.common.events import project_group, publish_on_commit


def comment_changed(*, kind: str, comment: Comment, project_id: int, data: dict | None = None) -> None:
    """`kind` is comment.created, comment.updated or comment.deleted; `data` is the comment as serialized (for a
    deleted one, as it was just before)."""
    from apps.collaboration.serializers import CommentSerializer

    frame = {
        "type": kind,
        "project": project_id,
        "task": comment.task_id,
        "comment": data if data is not None else CommentSerializer(comment).data,
    }
    publish_on_commit(project_group(project_id), frame)
