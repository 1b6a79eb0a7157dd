from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.accounts.serializers import UserSerializer
from apps.collaboration.serializers import LabelSerializer
from apps.common.fields import AwareDateTimeField
from apps.projects.models import Project
from apps.tasks.models import Task, TaskActivity


class SuggestedPrioritySerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Task.Priority.choices)
    confidence = serializers.FloatField()
    cues = serializers.ListField(child=serializers.CharField())


class TaskSerializer(serializers.ModelSerializer):
    """A task as every answer and event shows it."""

    assignee = UserSerializer(read_only=True, allow_null=True)
    created_by = UserSerializer(read_only=True)
    suggested_priority = serializers.SerializerMethodField()
    labels = serializers.SerializerMethodField()
    comment_count = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "title",
            "description",
            "status",
            "priority",
            "suggested_priority",
            "due_at",
            "assignee",
            "created_by",
            "created_at",
            "updated_at",
            "completed_at",
            "version",
            "labels",
            "comment_count",
        ]
        read_only_fields = fields

    # Lists prefetch the labels and annotate the count (apps.tasks.selectors); a task a service holds reads them here,
    # inside the service's transaction.
    @extend_schema_field(LabelSerializer(many=True))
    def get_labels(self, task: Task) -> list[dict]:
        return LabelSerializer(task.labels.all(), many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_comment_count(self, task: Task) -> int:
        count = getattr(task, "comment_count", None)
        return task.comments.count() if count is None else count

    @extend_schema_field(SuggestedPrioritySerializer(allow_null=True))
    def get_suggested_priority(self, task: Task) -> dict | None:
        # The stored suggestion is the model's reading of the text; the due date rule is applied now, on every read,
        # so "due in 5 h" never goes stale and a deadline that comes near raises the level without a new job.
        from apps.assist.priority.stored import shown  # the assistant depends on tasks, not the other way round

        return shown(task.suggested_priority, due_at=task.due_at, now=timezone.now())


class TaskWriteSerializer(serializers.Serializer):
    """Shared field rules of create and update: lengths, choices, timezone-aware deadline, assignee as a user id."""

    title = serializers.CharField(max_length=200, trim_whitespace=True)
    description = serializers.CharField(max_length=10_000, allow_blank=True, trim_whitespace=False, required=False)
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Task.Priority.choices, required=False)
    due_at = AwareDateTimeField(allow_null=True, required=False)
    # Membership of the task's project is checked by the service, which knows the project.
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        pk_field=serializers.IntegerField(),
    )
    # Label ids of the task's project (checked by the service, which knows the project).
    labels = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=50, required=False
    )


class TaskCreateSerializer(TaskWriteSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), pk_field=serializers.IntegerField())

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the caller's projects are acceptable; others read as "does not exist", revealing nothing.
        self.fields["project"].queryset = projects


class TaskUpdateSerializer(TaskWriteSerializer):
    title = serializers.CharField(max_length=200, trim_whitespace=True, required=False)
    version = serializers.IntegerField(min_value=1, required=False)


class TaskConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = TaskSerializer()


class TaskActivitySerializer(serializers.ModelSerializer):
    actor = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TaskActivity
        fields = ["id", "actor", "kind", "changes", "created_at"]
        read_only_fields = fields
