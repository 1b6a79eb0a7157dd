from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.serializers import UserSerializer
from apps.notifications.models import Notification


class NotificationTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    project = serializers.IntegerField(source="project_id")


class NotificationSerializer(serializers.ModelSerializer):
    # `title` is the title when the notification was made (stored with it), never the task's current one.
    task = serializers.SerializerMethodField()
    actor = UserSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "seq", "kind", "task", "actor", "message", "created_at", "read_at"]
        read_only_fields = fields

    @extend_schema_field(NotificationTaskSerializer(allow_null=True))
    def get_task(self, notification: Notification) -> dict | None:
        if notification.task_id is None or notification.task is None:
            return None
        return {"id": notification.task_id, "title": notification.task_title, "project": notification.task.project_id}


class UnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class ReadAllSerializer(serializers.Serializer):
    updated = serializers.IntegerField()


@extend_schema_field(
    {
        "type": "object",
        "description": "Email on (true) or off (false) per notification kind; kinds left out keep their choice.",
        "properties": {kind: {"type": "boolean"} for kind in Notification.Kind.values},
        "additionalProperties": False,
    }
)
class KindFlagsField(serializers.DictField):
    """A flag per notification kind; the schema names the kinds (validate_email refuses others)."""


class PreferencesSerializer(serializers.Serializer):
    email = KindFlagsField(child=serializers.BooleanField())

    def validate_email(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(Notification.Kind.values))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown notification kind(s): {', '.join(unknown)}. Known: {', '.join(Notification.Kind.values)}."
            )
        return value
