import django_filters
from django import forms
from django.db.models import F
from django.utils.dateparse import parse_datetime
from django_filters.fields import IsoDateTimeField

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


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (also 1/0); any other value is a 400 rather than being silently ignored."""

    widget = forms.TextInput  # NullBooleanSelect would read an unknown value as "not given"

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError('Use "true" or "false".')

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class TaskFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    priority = django_filters.ChoiceFilter(choices=Task.Priority.choices)
    assignee = AssigneeFilter()
    due_before = AwareDateTimeFilter(field_name="due_at", lookup_expr="lt")
    due_after = AwareDateTimeFilter(field_name="due_at", lookup_expr="gt")
    updated_after = AwareDateTimeFilter(field_name="updated_at", lookup_expr="gt")
    # `no_due=true`: only tasks without a deadline (the board's "no date" chip); `false`: only those with one.
    no_due = StrictBooleanFilter(field_name="due_at", lookup_expr="isnull")
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
        fields = ["project", "status", "priority", "assignee", "due_before", "due_after", "updated_after", "no_due"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A stable tiebreaker keeps pagination from repeating or skipping rows with equal sort keys.
        ordering = [_nulls_last(key) for key in queryset.query.order_by] or ["-created_at"]
        return queryset.order_by(*ordering, "-id")


def _nulls_last(key):
    """Tasks without a deadline sort after those with one in both directions, on SQLite as on PostgreSQL (whose
    defaults differ), so a client paging through `ordering=due_at` sees the order the board shows."""
    if not isinstance(key, str) or key.lstrip("-") != "due_at":
        return key
    return F("due_at").desc(nulls_last=True) if key.startswith("-") else F("due_at").asc(nulls_last=True)
