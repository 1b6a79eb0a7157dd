from django.core.exceptions import PermissionDenied

from apps.accounts.models import User
from apps.projects.models import Membership
from apps.projects.selectors import role_of
from apps.tasks.models import Task


def require_can_delete(*, user: User, task: Task) -> None:
    """A task may be deleted by its creator or by an owner of its project."""
    if task.created_by_id != user.pk and role_of(user=user, project=task.project) != Membership.Role.OWNER:
        raise PermissionDenied("Only the task's creator or a project owner may delete it.")
