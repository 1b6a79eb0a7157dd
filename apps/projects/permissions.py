"""Who may act: checked by the edges (API views) before they call a service. Services keep the invariants."""

from django.core.exceptions import PermissionDenied

from apps.accounts.models import User
from apps.projects.models import Membership, Project
from apps.projects.selectors import role_of


def require_owner(*, user: User, project: Project) -> None:
    if role_of(user=user, project=project) != Membership.Role.OWNER:
        raise PermissionDenied("Only a project owner may do this.")


def require_owner_or_self(*, user: User, project: Project, member_id: int) -> None:
    """Owners manage members; any member may leave on their own."""
    if member_id != user.pk:
        require_owner(user=user, project=project)
