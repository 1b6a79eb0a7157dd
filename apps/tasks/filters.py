import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.dateparse import parse_datetime
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from apps.tasks.models import Task


class AwareIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                raise forms.ValidationError("Timestamps need a timezone, e.g. 2026-12-01T09:00:00Z.")
        return super().to_python(value)


class AwareDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 timestamp with a timezone; naive ones are refused like in request bodies."""

    field_class = AwareIsoDateTimeField


class AssigneeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and value != "me" and not value.isdigit():
            raise forms.ValidationError('Use a user id or "me".')
        return value


class AssigneeFilter(django_filters.CharFilter):
    """A user id, or `me` for the caller."""

    field_class = AssigneeField

    def filter(self, qs, value):
        if not value:
            return qs
        if value == "me":
            return qs.filter(assignee=self.parent.request.user)
        return qs.filter(assignee_id=int(value))


class LabelIdsField(forms.Field):
    """`?label=3&label=5`: label ids (any of them)."""

    widget = forms.MultipleHiddenInput

    def clean(self, value):
        values = [item for item in (value or []) if item not in ("", None)]
        if len(values) > 50:
            raise forms.ValidationError("At most 50 labels.")
        ids = []
        for item in values:
            if not (isinstance(item, str) and item.isascii() and item.isdigit() and len(item) <= 18):
                raise forms.ValidationError("Use label ids.")
            ids.append(int(item))
        return ids


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class LabelFilter(django_filters.Filter):
    field_class = LabelIdsField

    def filter(self, qs, value):
        if not value:
            return qs
        from apps.collaboration.models import TaskLabel

        return qs.filter(Exists(TaskLabel.objects.filter(task=OuterRef("pk"), label_id__in=value)))


class TaskFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    priority = django_filters.ChoiceFilter(choices=Task.Priority.choices)
    assignee = AssigneeFilter()
    label = LabelFilter()
    due_before = AwareDateTimeFilter(field_name="due_at", lookup_expr="lt")
    due_after = AwareDateTimeFilter(field_name="due_at", lookup_expr="gt")
    updated_after = AwareDateTimeFilter(field_name="updated_at", lookup_expr="gt")
    ordering = django_filters.OrderingFilter(
        # `priority` sorts by meaning through the rank the selector annotates.
        fields=(
            ("due_at", "due_at"),
            ("priority_rank", "priority"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        ),
    )

    class Meta:
        model = Task
        fields = ["project", "status", "priority", "assignee", "label", "due_before", "due_after", "updated_after"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A stable tiebreaker keeps pagination from repeating or skipping rows with equal sort keys.
        ordering = list(queryset.query.order_by) or ["-created_at"]
        return queryset.order_by(*ordering, "-id")
