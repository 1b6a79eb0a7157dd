"""Tasks services: the only code that creates, changes or deletes tasks.

Each function runs in one transaction, writes its activity row there, and publishes its event after commit.
Who may call them is checked by the edges (selectors scope what a user sees; apps.tasks.permissions); the
services keep the invariants (an assignee is a member of the task's project, versions grow by one per change).
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.collaboration import services as collaboration
from apps.collaboration.mentions import mentioned_members
from apps.common.jobs import enqueue_on_commit
from apps.notifications.services import notify_task_change
from apps.projects.models import Membership, Project
from apps.tasks import events, selectors
from apps.tasks.models import Task, TaskActivity

# What the priority suggestion reads: a change to any of them asks for a fresh suggestion.
SUGGESTION_INPUTS = {"title", "description", "due_at"}


def _ask_for_suggestion(task_id: int) -> None:
    if not settings.ASSIST_PRIORITY_SUGGESTIONS:
        return
    from apps.assist.actors import suggest_task_priority  # the assistant depends on tasks, not the other way round

    enqueue_on_commit(suggest_task_priority, task_id)


class TaskVersionConflict(Exception):
    """The caller edited an older version of the task; `current` is the task as stored now."""

    def __init__(self, current: Task):
        super().__init__(f"Task {current.pk} is at version {current.version}.")
        self.current = current


def _jsonable(value: Any) -> Any:
    if isinstance(value, User):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _field_value(task: Task, field: str) -> Any:
    # Compare users by id so that an unchanged assignee given as a fresh instance is no change.
    return task.assignee_id if field == "assignee" else getattr(task, field)


def _new_value(field: str, value: Any) -> Any:
    if field == "assignee":
        return value.pk if isinstance(value, User) else value
    if field == "title" and isinstance(value, str):
        return value.strip()
    return value


def _member_assignee(*, project_id: int, assignee_id: int) -> User:
    """The assignee's user, who must be a member of the project. Their membership row stays locked until the
    transaction ends, so a concurrent removal waits for this assignment and then unassigns it."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(project_id=project_id, user_id=assignee_id)
        .first()
    )
    if membership is None:
        raise ValidationError({"assignee": ["The assignee must be a member of the task's project."]})
    return membership.user


def _load_collaboration(task: Task) -> Task:
    """Read the task's labels and comment count inside the transaction, so that the answer built from the returned
    task after commit reads nothing more (a database lost right after the commit cannot fail a committed write)."""
    getattr(task, "_prefetched_objects_cache", {}).pop("labels", None)
    prefetch_related_objects([task], "labels")
    task.comment_count = task.comments.count()
    return task


def _validate(task: Task) -> None:
    task.full_clean(exclude=["project", "assignee", "created_by", "suggested_priority"], validate_unique=False)


@transaction.atomic
def task_create(
    *,
    actor: User,
    project: Project,
    title: str,
    description: str = "",
    status: str = Task.Status.TODO,
    priority: str = Task.Priority.MEDIUM,
    due_at: datetime.datetime | None = None,
    assignee: User | None = None,
    labels: list[int] | None = None,
) -> Task:
    assignee_id = _new_value("assignee", assignee)
    task = Task(
        project=project,
        title=_new_value("title", title),
        description=description,
        status=status,
        priority=priority,
        due_at=due_at,
        assignee=None if assignee_id is None else _member_assignee(project_id=project.pk, assignee_id=assignee_id),
        created_by=actor,
        completed_at=timezone.now() if status == Task.Status.DONE else None,
    )
    _validate(task)
    task.save()
    initial = {field: [None, _jsonable(_field_value(task, field))] for field in Task.EDITABLE_FIELDS}
    changes = {field: pair for field, pair in initial.items() if pair[1] not in (None, "")}
    label_ids = collaboration.task_labels_resolve(project_id=project.pk, label_ids=labels or [])
    if label_ids:
        collaboration.task_labels_write(task=task, old_ids=[], new_ids=label_ids)
        changes["labels"] = [None, label_ids]
    mention_ids = [user.pk for user in mentioned_members(project_id=project.pk, text=task.description)]
    # The creator, the assignee and the members the description mentions watch the task (notification rules).
    collaboration.watchers_ensure(task=task, user_ids=[actor.pk, task.assignee_id, *mention_ids])
    TaskActivity.objects.create(task=task, actor=actor, kind=TaskActivity.Kind.CREATED, changes=changes)
    notify_task_change(actor=actor, task=task, changes=changes, mention_ids=mention_ids)
    events.task_changed(kind="task.created", task=_load_collaboration(task))
    _ask_for_suggestion(task.pk)
    return task


@transaction.atomic
def task_update(*, actor: User | None, task: Task, data: dict[str, Any], expected_version: int | None = None) -> Task:
    """Apply `data` (a subset of Task.EDITABLE_FIELDS, and `labels`: label ids of the task's project) to the task.

    With `expected_version`, the change applies only to that version, else TaskVersionConflict. Without it the last
    write wins. A change that changes nothing writes nothing and keeps the version. `actor` is None for system changes.
    """
    data, label_ids = _update_fields(data)
    # Assignee and creator come along: the event and the answer are built from this object, nothing is read again.
    current = (
        Task.objects.select_for_update(of=("self",)).select_related("assignee", "created_by").filter(pk=task.pk).first()
    )
    return _apply_update(
        actor=actor, current=current, data=data, label_ids=label_ids, expected_version=expected_version
    )


@transaction.atomic
def task_update_for(*, user: User, task_id: Any, data: dict[str, Any], expected_version: int | None = None) -> Task:
    """task_update by `user` of a task of one of their projects (the API's PATCH): the membership scope and the row
    lock are one query. Http404 when the task is not among the user's projects, so a non-member learns nothing."""
    data, label_ids = _update_fields(data)
    scope = selectors.task_scope_for(user=user, task_id=task_id)
    current = scope.select_for_update(of=("self",)).select_related("assignee", "created_by").first()
    return _apply_update(actor=user, current=current, data=data, label_ids=label_ids, expected_version=expected_version)


def _update_fields(data: dict[str, Any]) -> tuple[dict[str, Any], list[int] | None]:
    data = dict(data)
    label_ids = data.pop("labels", None)
    unknown = set(data) - set(Task.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in sorted(unknown)})
    return data, label_ids


def _apply_update(
    *,
    actor: User | None,
    current: Task | None,
    data: dict[str, Any],
    label_ids: list[int] | None,
    expected_version: int | None,
) -> Task:
    if current is None:  # not visible, or deleted by a concurrent request since the caller read it
        raise Http404("No such task.")
    if expected_version is not None and expected_version != current.version:
        raise TaskVersionConflict(current)

    changes: dict[str, list[Any]] = {}
    for field, raw in data.items():
        old, new = _field_value(current, field), _new_value(field, raw)
        if old != new:
            changes[field] = [_jsonable(old), _jsonable(new)]
            setattr(current, "assignee_id" if field == "assignee" else field, new)
    if label_ids is not None:
        old_labels = collaboration.task_label_ids(task=current)
        new_labels = collaboration.task_labels_resolve(project_id=current.project_id, label_ids=label_ids)
        if old_labels != new_labels:
            changes["labels"] = [old_labels, new_labels]
    if not changes:
        return _load_collaboration(current)
    if "assignee" in changes and current.assignee_id is not None:
        current.assignee = _member_assignee(project_id=current.project_id, assignee_id=current.assignee_id)
    if "status" in changes:
        entering_done = current.status == Task.Status.DONE
        current.completed_at = timezone.now() if entering_done else None
    _validate(current)

    # The version in the WHERE clause makes the write conditional even where SELECT ... FOR UPDATE is a no-op
    # (SQLite): of two writers of one version, exactly one updates a row.
    now = timezone.now()
    written = Task.objects.filter(pk=current.pk, version=current.version).update(
        **{
            ("assignee_id" if field == "assignee" else field): _field_value(current, field)
            for field in changes
            if field != "labels"
        },
        completed_at=current.completed_at,
        version=current.version + 1,
        updated_at=now,
    )
    if not written:
        stored = Task.objects.filter(pk=current.pk).first()
        if stored is None:
            raise Http404("No such task.")
        raise TaskVersionConflict(stored)
    current.version += 1
    current.updated_at = now
    if "labels" in changes:
        collaboration.task_labels_write(task=current, old_ids=changes["labels"][0], new_ids=changes["labels"][1])
    mention_ids = []
    if "description" in changes:
        # Only members the new description adds are mentioned (once per mention per edit).
        before = {user.pk for user in mentioned_members(project_id=current.project_id, text=changes["description"][0])}
        mention_ids = [
            user.pk
            for user in mentioned_members(project_id=current.project_id, text=current.description)
            if user.pk not in before
        ]
    collaboration.watchers_ensure(
        task=current, user_ids=[current.assignee_id if "assignee" in changes else None, *mention_ids]
    )
    TaskActivity.objects.create(task=current, actor=actor, kind=TaskActivity.Kind.UPDATED, changes=changes)
    notify_task_change(actor=actor, task=current, changes=changes, mention_ids=mention_ids)
    events.task_changed(kind="task.updated", task=_load_collaboration(current))
    if changes.keys() & SUGGESTION_INPUTS:
        _ask_for_suggestion(current.pk)
    return current


@transaction.atomic
def task_delete(*, actor: User, task: Task) -> None:
    task_id, project_id = task.pk, task.project_id
    task.delete()
    events.task_deleted(task_id=task_id, project_id=project_id)


def task_set_suggested_priority(
    *,
    task_id: int,
    suggestion: dict[str, Any],
    for_title: str,
    for_description: str,
    for_due_at: datetime.datetime | None,
) -> bool:
    """Store the assistant's suggestion if the task still reads as it did when the suggestion was computed.

    A suggestion is not a user's change: `priority` and `version` stay as they are (so no edit in flight gets a 409
    because of it) and no activity is written; `updated_at` moves so clients catching up with `updated_after` see it,
    and members' sockets get `task.updated`.
    """
    with transaction.atomic():
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("assignee", "created_by")
            .filter(pk=task_id, title=for_title, description=for_description, due_at=for_due_at)
            .first()
        )
        if task is None:
            return False  # changed meanwhile: the job enqueued by that change computes the fresh suggestion
        task.suggested_priority = suggestion
        task.updated_at = timezone.now()
        _load_collaboration(task)
        Task.objects.filter(pk=task_id).update(suggested_priority=suggestion, updated_at=task.updated_at)
        events.task_changed(kind="task.updated", task=task)
    return True


def tasks_label_changed(*, label_id: int) -> int:
    """A label was renamed or recoloured: every task carrying it shows the label anew on every open board.

    Called inside label_update's transaction, which holds the label. Like the priority suggestion this is no user's
    change of the task: `version` stays (no edit in flight gets a 409 because of it) and no activity is written;
    `updated_at` moves so clients catching up with `updated_after` see it, and members' sockets get `task.updated`,
    built here from the tasks as they read now. The tasks are locked in id order, so a task update in flight finishes
    first and its (older) frame is followed by this one. Returns how many tasks were touched.
    """
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .select_related("assignee", "created_by")
        .filter(labels__id=label_id)
        .annotate(comment_count=selectors.comment_count())
        .order_by("pk")
    )
    if not tasks:
        return 0
    now = timezone.now()
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(updated_at=now)
    prefetch_related_objects(tasks, "labels")
    for task in tasks:
        task.updated_at = now
        events.task_changed(kind="task.updated", task=task)
    return len(tasks)


def task_unassign_member(*, actor: User, project: Project, user_id: int) -> None:
    """Unassign a leaving member's tasks of one project (called inside membership_remove's transaction, which holds
    the membership row: no assignment of this member can commit meanwhile)."""
    for task in Task.objects.select_for_update(of=("self",)).filter(project=project, assignee_id=user_id):
        task_update(actor=actor, task=task, data={"assignee": None})
