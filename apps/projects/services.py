"""Projects services: the only code that creates or changes projects and memberships.

They keep the invariants (one membership per user and project, at least one owner, `Project.owner` among the owners);
who may call them is checked by the edges (apps.projects.permissions), since the admin acts with staff authority.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from apps.accounts.models import User
from apps.common.events import publish_on_commit, user_group
from apps.projects.models import Membership, Project

PROJECT_EDITABLE_FIELDS = ("name", "description")


def _lock_project(project: Project) -> Project:
    """The project's row, locked until the transaction ends; 404 when a concurrent request deleted it."""
    locked = Project.objects.select_for_update().filter(pk=project.pk).first()
    if locked is None:
        raise Http404("No such project.")
    return locked


def _lock_membership(membership: Membership) -> Membership:
    """The membership's row, locked until the transaction ends; 404 when a concurrent request removed it.

    Task assignment locks the same row (apps.tasks.services._member_assignee), so an assignment and a removal of the
    same member are serialised: whichever comes second sees what the first committed.
    """
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise Http404("No such member.")
    return locked


def _membership_event(*, kind: str, project: Project, user_id: int, role: str | None = None) -> None:
    """`project.added` / `project.removed` to the member's own sockets, which join or leave the project's group on
    it (see the WebSocket consumer). The project is serialized here, inside the transaction, as that member sees it."""
    from apps.projects.serializers import ProjectSerializer

    callers_role = getattr(project, "role", None)
    project.role = role
    data = ProjectSerializer(project).data
    project.role = callers_role  # the caller's object keeps the caller's role
    publish_on_commit(user_group(user_id), {"type": kind, "project": data})


@transaction.atomic
def project_create(*, actor: User, name: str, description: str = "") -> Project:
    project = Project.objects.create(name=name, description=description, owner=actor)
    Membership.objects.create(project=project, user=actor, role=Membership.Role.OWNER)
    _membership_event(kind="project.added", project=project, user_id=actor.pk, role=Membership.Role.OWNER)
    return project


@transaction.atomic
def project_update(*, actor: User, project: Project, data: dict) -> Project:
    unknown = set(data) - set(PROJECT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in sorted(unknown)})
    # Locked and saved field by field: writing back every field of the object the view read could undo a concurrent
    # owner hand-over (membership_remove) or bring back a project deleted meanwhile.
    locked = _lock_project(project)
    changed = [field for field, value in data.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, data[field])
    locked.full_clean(exclude=["owner"])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


@transaction.atomic
def project_delete(*, actor: User, project: Project) -> None:
    members = list(project.memberships.values_list("user_id", "role"))
    project_id = project.pk
    for user_id, role in members:
        _membership_event(kind="project.removed", project=project, user_id=user_id, role=role)
    project.delete()
    project.pk = project_id


@transaction.atomic
def membership_add(*, actor: User, project: Project, user: User, role: str = Membership.Role.MEMBER) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": [f'"{role}" is not a valid role.']})
    already = ValidationError({"username": ["This user is already a member of the project."]})
    if Membership.objects.filter(project=project, user=user).exists():
        raise already
    try:
        with transaction.atomic():  # a savepoint: a concurrent add of the same user wins the unique constraint
            membership = Membership.objects.create(project=project, user=user, role=role)
    except IntegrityError as exc:
        raise already from exc
    _membership_event(kind="project.added", project=project, user_id=user.pk, role=role)
    return membership


def _lock_owner_ids(project: Project) -> list[int]:
    # Locking the owner rows serialises concurrent removals and demotions, so they cannot leave the project ownerless.
    return list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Membership.Role.OWNER)
        .values_list("user_id", flat=True)
    )


def _hand_over_ownership(*, project: Project, leaving_user_id: int, owner_ids: list[int]) -> None:
    if project.owner_id == leaving_user_id:
        project.owner_id = next(user_id for user_id in owner_ids if user_id != leaving_user_id)
        project.save(update_fields=["owner", "updated_at"])


@transaction.atomic
def membership_change_role(*, actor: User, project: Project, membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": [f'"{role}" is not a valid role.']})
    owner_ids = _lock_owner_ids(project)
    membership = _lock_membership(membership)
    if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER:
        if owner_ids == [membership.user_id]:
            raise ValidationError("The last owner cannot stop being an owner.")
        _hand_over_ownership(project=project, leaving_user_id=membership.user_id, owner_ids=owner_ids)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor: User, project: Project, membership: Membership) -> None:
    """Remove a member. The last owner cannot leave.

    The member's tasks in this project are unassigned in the same transaction: an assignee must be a member.
    """
    from apps.tasks.services import task_unassign_member  # tasks depend on projects, not the other way round

    owner_ids = _lock_owner_ids(project)
    # Waits for an assignment of this member in flight (it holds the row), so the unassigning below sees it.
    membership = _lock_membership(membership)
    if membership.role == Membership.Role.OWNER and owner_ids == [membership.user_id]:
        raise ValidationError("The last owner cannot leave the project.")
    task_unassign_member(actor=actor, project=project, user_id=membership.user_id)
    membership.delete()
    _hand_over_ownership(project=project, leaving_user_id=membership.user_id, owner_ids=owner_ids)
    _membership_event(kind="project.removed", project=project, user_id=membership.user_id, role=membership.role)
