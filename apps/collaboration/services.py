"""Collaboration services: the only code that writes comments, labels and watchers.

Each runs in one transaction, writes the task's activity where the task changes, runs the notification rules there,
and publishes its event after commit. Who may call them is checked by the edges (apps.collaboration.permissions).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from apps.accounts.models import User
from apps.collaboration import events
from apps.collaboration.mentions import mentioned_members
from apps.collaboration.models import Comment, Label, TaskLabel, Watcher
from apps.notifications.services import notify_comment
from apps.projects.models import Project
from apps.tasks.models import Task, TaskActivity

# A task carries at most this many labels (bounds the request and the card).
MAX_LABELS_PER_TASK = 20


# --- watchers -----------------------------------------------------------------------------------------------------


def watchers_ensure(*, task: Task, user_ids: Iterable[int | None]) -> None:
    """Make these users watch the task (idempotent; called inside the caller's transaction)."""
    rows = [Watcher(task=task, user_id=user_id) for user_id in dict.fromkeys(user_ids) if user_id is not None]
    if rows:
        Watcher.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def watcher_add(*, user: User, task: Task) -> None:
    watchers_ensure(task=task, user_ids=[user.pk])


@transaction.atomic
def watcher_remove(*, user: User, task: Task) -> None:
    Watcher.objects.filter(task=task, user=user).delete()


# --- comments -----------------------------------------------------------------------------------------------------


def _activity(*, task: Task, actor: User, kind: str, changes: dict) -> None:
    TaskActivity.objects.create(task=task, actor=actor, kind=kind, changes=changes)


@transaction.atomic
def comment_create(*, actor: User, task: Task, body: str) -> Comment:
    comment = Comment.objects.create(task=task, author=actor, body=body)
    mentioned = mentioned_members(project_id=task.project_id, text=body)
    comment.mentions.set(mentioned)
    # Commenters and the people they mention follow the task from now on.
    watchers_ensure(task=task, user_ids=[actor.pk, *(user.pk for user in mentioned)])
    _activity(task=task, actor=actor, kind=TaskActivity.Kind.COMMENTED, changes={"comment": [None, comment.pk]})
    notify_comment(actor=actor, task=task, new_mention_ids=[user.pk for user in mentioned], created=True)
    comment = _with_relations(comment)
    events.comment_changed(kind="comment.created", comment=comment, project_id=task.project_id)
    return comment


@transaction.atomic
def comment_update(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change the body. Only mentions that the new body adds are notified (once per mention per edit)."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("task").get(pk=comment.pk)
    if body == comment.body:
        return _with_relations(comment)
    task = comment.task
    before = set(comment.mentions.values_list("pk", flat=True))
    mentioned = mentioned_members(project_id=task.project_id, text=body)
    added = [user.pk for user in mentioned if user.pk not in before]
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    comment.mentions.set(mentioned)
    watchers_ensure(task=task, user_ids=added)
    _activity(
        task=task, actor=actor, kind=TaskActivity.Kind.COMMENT_EDITED, changes={"comment": [comment.pk, comment.pk]}
    )
    notify_comment(actor=actor, task=task, new_mention_ids=added, created=False)
    comment = _with_relations(comment)
    events.comment_changed(kind="comment.updated", comment=comment, project_id=task.project_id)
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> None:
    from apps.collaboration.serializers import CommentSerializer

    comment = _with_relations(comment)
    task = comment.task
    data = CommentSerializer(comment).data  # the frame shows the comment as it was
    comment_id = comment.pk
    comment.delete()
    comment.pk = comment_id
    _activity(task=task, actor=actor, kind=TaskActivity.Kind.COMMENT_DELETED, changes={"comment": [comment_id, None]})
    events.comment_changed(kind="comment.deleted", comment=comment, project_id=task.project_id, data=data)


def _with_relations(comment: Comment) -> Comment:
    """The comment with its author, task and mentions loaded, so serializing it reads nothing more."""
    return Comment.objects.select_related("author", "task").prefetch_related("mentions").get(pk=comment.pk)


# --- labels -------------------------------------------------------------------------------------------------------


def _check_name_free(*, project_id: int, name: str, exclude_id: int | None = None) -> None:
    taken = Label.objects.annotate(lower_name=Lower("name")).filter(project_id=project_id, lower_name=name.lower())
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ValidationError({"name": ["The project already has a label with this name."]})


def _save_label(label: Label) -> Label:
    label.full_clean(exclude=["project"], validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a lost race on the unique name answers 400, not 500
            label.save()
    except IntegrityError as exc:
        raise ValidationError({"name": ["The project already has a label with this name."]}) from exc
    return label


@transaction.atomic
def label_create(*, actor: User, project: Project, name: str, color: str) -> Label:
    name = name.strip()
    _check_name_free(project_id=project.pk, name=name)
    return _save_label(Label(project=project, name=name, color=color.lower()))


@transaction.atomic
def label_update(*, actor: User, label: Label, name: str | None = None, color: str | None = None) -> Label:
    """Rename or recolour the label. Labels have no frame of their own (API.md): the tasks carrying it are sent again
    as `task.updated`, so every open board shows the new chip at once rather than on its next read."""
    from apps.tasks.services import tasks_label_changed  # tasks call collaboration for labels; this is the way back

    # NO KEY UPDATE: a task update adding this label to a task (its row takes a key share on the label) is not held
    # up by a rename, which goes on to lock the label's tasks.
    label = Label.objects.select_for_update(no_key=True).get(pk=label.pk)
    before = (label.name, label.color)
    if name is not None:
        label.name = name.strip()
        _check_name_free(project_id=label.project_id, name=label.name, exclude_id=label.pk)
    if color is not None:
        label.color = color.lower()
    label = _save_label(label)
    if (label.name, label.color) != before:
        tasks_label_changed(label_id=label.pk)
    return label


@transaction.atomic
def label_delete(*, actor: User, label: Label) -> None:
    """Take the label off its tasks (each change in the task's activity and a task.updated), then delete it."""
    from apps.tasks.services import task_update  # tasks call collaboration for labels; this is the way back

    for task in Task.objects.filter(labels=label).order_by("pk"):
        remaining = list(TaskLabel.objects.filter(task=task).exclude(label=label).values_list("label_id", flat=True))
        task_update(actor=actor, task=task, data={"labels": remaining})
    label.delete()


def task_labels_resolve(*, project_id: int, label_ids: Iterable[int]) -> list[int]:
    """The sorted, distinct ids, all labels of the project; else a 400 naming `labels`."""
    wanted = sorted(set(label_ids))
    if len(wanted) > MAX_LABELS_PER_TASK:
        raise ValidationError({"labels": [f"A task carries at most {MAX_LABELS_PER_TASK} labels."]})
    found = set(Label.objects.filter(project_id=project_id, pk__in=wanted).values_list("pk", flat=True))
    missing = [label_id for label_id in wanted if label_id not in found]
    if missing:
        raise ValidationError({"labels": [f"No label {missing[0]} in the task's project."]})
    return wanted


def task_label_ids(*, task: Task) -> list[int]:
    return sorted(TaskLabel.objects.filter(task=task).values_list("label_id", flat=True))


def task_labels_write(*, task: Task, old_ids: list[int], new_ids: list[int]) -> None:
    """Replace the task's labels (inside the task service's transaction)."""
    removed, added = set(old_ids) - set(new_ids), set(new_ids) - set(old_ids)
    if removed:
        TaskLabel.objects.filter(task=task, label_id__in=removed).delete()
    if added:
        TaskLabel.objects.bulk_create([TaskLabel(task=task, label_id=label_id) for label_id in sorted(added)])
