from rest_framework import serializers

from apps.assist.priority.dataset import LABELS
from apps.common.fields import AwareDateTimeField


class PriorityRequestSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    due_at = AwareDateTimeField(required=False, allow_null=True, default=None)


class ProbabilitiesSerializer(serializers.Serializer):
    low = serializers.FloatField()
    medium = serializers.FloatField()
    high = serializers.FloatField()


class PrioritySuggestionSerializer(serializers.Serializer):
    # The same choice set as Task.priority, so the schema shows one Priority enum (and the two cannot drift apart).
    priority = serializers.ChoiceField(choices=[(label, label.capitalize()) for label in LABELS])
    confidence = serializers.FloatField(help_text="The model's probability for the level the text alone suggests.")
    probabilities = ProbabilitiesSerializer()
    cues = serializers.ListField(child=serializers.CharField(), help_text="The signals that drove the answer.")
    model = serializers.CharField()


class EnhanceRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)


class EnhancementSerializer(serializers.Serializer):
    original = serializers.CharField()
    suggestion = serializers.CharField()
    changed = serializers.BooleanField()
    provider = serializers.CharField()
    model = serializers.CharField()


class UnavailableSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FactChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="number, percent, currency, version, time, date, month, weekday, negation, "
        "modality, bound, outcome, name, place, host, email, url, identifier, issue, file, "
        "code or list_item"
    )
    removed = serializers.ListField(child=serializers.CharField(), help_text="Facts of the original the answer lacks.")
    added = serializers.ListField(child=serializers.CharField(), help_text="Facts the answer adds.")
    reordered = serializers.BooleanField(help_text="The same facts in another order (two amounts swapped).")


class RejectedSuggestionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reason = serializers.ChoiceField(
        choices=["facts_changed", "off_task", "too_long", "empty", "drift"],
        required=False,
        help_text="Present when the provider answered and the guard refused the answer.",
    )
    changes = FactChangeSerializer(many=True, required=False, help_text="Present with reason facts_changed.")
