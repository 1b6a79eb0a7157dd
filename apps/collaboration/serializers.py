from rest_framework import serializers

from apps.accounts.serializers import UserSerializer
from apps.collaboration.models import Comment, Label


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "project", "name", "color"]
        read_only_fields = fields


class LabelInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, trim_whitespace=True)
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$", error_messages={"invalid": "A colour is #rrggbb, e.g. #3b82f6."}
    )


class CommentSerializer(serializers.ModelSerializer):
    author = UserSerializer(read_only=True, allow_null=True)
    mentions = UserSerializer(many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "task", "author", "body", "mentions", "created_at", "edited_at"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer):
    # Kept as written (line breaks and indentation are part of a comment); only an all-blank body is refused.
    body = serializers.CharField(max_length=10_000, trim_whitespace=False)

    def validate_body(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("A comment cannot be blank.")
        return value
