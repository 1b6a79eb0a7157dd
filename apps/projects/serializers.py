from rest_framework import serializers

from apps.accounts.serializers import UserSerializer
from apps.projects.models import Membership, Project


class ProjectSerializer(serializers.ModelSerializer):
    owner = UserSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True, help_text="The caller's role.")

    class Meta:
        model = Project
        fields = ["id", "name", "description", "owner", "role", "created_at"]
        read_only_fields = ["id", "owner", "role", "created_at"]


class ProjectInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]
        read_only_fields = fields


class MembershipInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)
