from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from apps.projects.models import Project


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    # The fields a user may change; the services record each change in the activity history.
    EDITABLE_FIELDS = ("title", "description", "status", "priority", "due_at", "assignee")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10_000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TODO)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    # {"priority", "confidence", "cues"} from the assist model; never copied into `priority` by the system.
    suggested_priority = models.JSONField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="created_tasks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "status"], name="tasks_project_status_idx"),
            models.Index(fields=["project", "priority"], name="tasks_project_priority_idx"),
            models.Index(fields=["project", "-updated_at"], name="tasks_project_updated_idx"),
            models.Index(fields=["project", "-created_at"], name="tasks_project_created_idx"),
            models.Index(fields=["assignee", "status"], name="tasks_assignee_status_idx"),
            models.Index(fields=["project", "due_at"], name="tasks_project_due_idx"),
            # The deadline scan: "not done, due before T" reads only open tasks with a deadline.
            models.Index(
                fields=["due_at"], name="tasks_open_due_idx", condition=Q(due_at__isnull=False) & ~Q(status="done")
            ),
        ]

    def __str__(self) -> str:
        return self.title


# Priorities sort by meaning (low < medium < high), not alphabetically.
PRIORITY_RANK = Case(
    When(priority=Task.Priority.LOW, then=Value(0)),
    When(priority=Task.Priority.MEDIUM, then=Value(1)),
    When(priority=Task.Priority.HIGH, then=Value(2)),
    output_field=IntegerField(),
)


class TaskActivity(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        COMMENTED = "commented", "Commented"
        COMMENT_EDITED = "comment_edited", "Comment edited"
        COMMENT_DELETED = "comment_deleted", "Comment deleted"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # {field: [old, new]}, JSON-ready values (ids for users, ISO strings for timestamps).
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "task activity"
        indexes = [models.Index(fields=["task", "created_at"], name="tasks_activity_task_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.task_id} by {self.actor_id}"
