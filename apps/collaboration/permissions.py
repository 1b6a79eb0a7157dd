"""Who may act on comments and labels: checked by the edges before they call a service."""

from django.core.exceptions import PermissionDenied

from apps.accounts.models import User
from apps.collaboration.models import Comment, Label
from apps.projects.models import Membership
from apps.projects.selectors import role_of


def require_comment_author(*, user: User, comment: Comment) -> None:
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the comment's author may edit it.")


def require_can_delete_comment(*, user: User, comment: Comment) -> None:
    """The author, or an owner of the task's project (moderation)."""
    if comment.author_id != user.pk and role_of(user=user, project=comment.task.project) != Membership.Role.OWNER:
        raise PermissionDenied("Only the comment's author or a project owner may delete it.")


def require_can_delete_label(*, user: User, label: Label) -> None:
    if role_of(user=user, project=label.project) != Membership.Role.OWNER:
        raise PermissionDenied("Only a project owner may delete a label.")
