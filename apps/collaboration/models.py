"""Comments, labels and watchers of tasks (API.md, "Comments, labels, watchers")."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from apps.projects.models import Project
from apps.tasks.models import Task


class Comment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10_000)
    # Members mentioned by the current body (the text's @username of a project member at the time of writing).
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["task", "created_at"], name="collab_comment_task_idx")]

    def __str__(self) -> str:
        return f"comment {self.pk} on task {self.task_id}"


class Label(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=50)
    color = models.CharField(
        max_length=7, validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour is #rrggbb, e.g. #3b82f6.")]
    )
    # The tasks carrying the label: `task.labels` from the other side.
    tasks = models.ManyToManyField(Task, through="TaskLabel", related_name="labels", blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("project", Lower("name"), name="collab_label_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TaskLabel(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "label"], name="collab_task_label_unique")]
        indexes = [models.Index(fields=["label", "task"], name="collab_label_task_idx")]

    def __str__(self) -> str:
        return f"label {self.label_id} on task {self.task_id}"


class Watcher(models.Model):
    """A user who hears about a task. Only current members of the task's project are ever notified (rules.py), so a
    row left behind by someone who left the project is inert."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="collab_watcher_unique")]

    def __str__(self) -> str:
        return f"user {self.user_id} watches task {self.task_id}"
