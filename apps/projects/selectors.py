"""Reads of projects and memberships, always starting from the caller's memberships."""

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404

from apps.accounts.models import User
from apps.projects.models import Membership, Project


def project_list_for(*, user: User) -> QuerySet[Project]:
    """The projects `user` is a member of, each annotated with the caller's `role`."""
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Project.objects.filter(memberships__user=user).annotate(role=Subquery(role)).select_related("owner").distinct()
    )


def project_get_for(*, user: User, project_id: int) -> Project:
    """One project the caller belongs to; 404 otherwise, so a non-member never learns that it exists."""
    try:
        return project_list_for(user=user).get(pk=project_id)
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such project.") from exc


def membership_list(*, project: Project) -> QuerySet[Membership]:
    return Membership.objects.filter(project=project).select_related("user")


def membership_get(*, project: Project, user_id: int) -> Membership:
    try:
        return membership_list(project=project).get(user_id=user_id)
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such member.") from exc


def role_of(*, user: User, project: Project) -> str | None:
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def is_member(*, user_id: int | None, project_id: int) -> bool:
    return user_id is not None and Membership.objects.filter(project_id=project_id, user_id=user_id).exists()


def member_project_ids(*, user: User) -> QuerySet:
    return Membership.objects.filter(user=user).values("project_id")


def user_with_project_ids(*, user_id: int, **annotations) -> tuple[User | None, list[int]]:
    """The user and the ids of their projects in one query (a LEFT JOIN: one row per membership, or one row with
    no project); (None, []) when no such user. A socket's handshake needs both at once; `annotations` (expressions
    on the user) come along in the same query."""
    rows = list(User.objects.filter(pk=user_id).annotate(member_of=F("memberships__project_id"), **annotations))
    if not rows:
        return None, []
    return rows[0], [row.member_of for row in rows if row.member_of is not None]
