import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils.dateparse import parse_datetime
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from apps.common.fields import DB_ID_MAX
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
            if parsed is not None:
                try:
                    # SQLite stores UTC: 0001-01-01T00:00+05:00 is a valid ISO 8601 time that has no UTC year 1.
                    parsed.astimezone(datetime.UTC)
                except (OverflowError, ValueError) as exc:
                    raise forms.ValidationError("Timestamp out of range (years 1 to 9999 in UTC).") from exc
        return super().to_python(value)


class AwareDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 timestamp with a timezone; naive ones are refused like in request bodies."""

    field_class = AwareIsoDateTimeField


def is_db_id(value: str) -> bool:
    """ASCII digits naming a row id the database can hold. `str.isdigit()` also accepts "²" and "٣", which `int()`
    refuses, and SQLite refuses integers beyond 64 bits."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= DB_ID_MAX


class IdField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and not is_db_id(value):
            raise forms.ValidationError(f"Use a positive integer id (at most {DB_ID_MAX}).")
        return int(value) if value else None


class IdFilter(django_filters.Filter):
    """A row id: a positive integer within 64 bits, else a 400 naming the parameter."""

    field_class = IdField


class AssigneeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and value != "me" and not is_db_id(value):
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
    project = IdFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    priority = django_filters.ChoiceFilter(choices=Task.Priority.choices)
    assignee = AssigneeFilter()
    label = LabelFilter()
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
        fields = [
            "project",
            "status",
            "priority",
            "assignee",
            "label",
            "due_before",
            "due_after",
            "updated_after",
            "no_due",
        ]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A stable tiebreaker keeps pagination from repeating or skipping rows with equal sort keys.
        ordering = [_nulls_last(key) for key in queryset.query.order_by] or ["-created_at"]
        return queryset.order_by(*ordering, "-id")


class BoundedSearchFilter(filters.SearchFilter):
    """DRF's search, with a bound on the terms: each term adds OR-ed LIKE clauses for every search field, and 2,000
    of them overflow SQLite's expression tree (a 500) and make PostgreSQL scan for each."""

    def get_search_terms(self, request):
        raw = request.query_params.get(self.search_param, "")
        if len(raw) > settings.SEARCH_MAX_LENGTH:
            raise ValidationError({"search": [f"At most {settings.SEARCH_MAX_LENGTH} characters."]})
        terms = super().get_search_terms(request)
        if len(terms) > settings.SEARCH_MAX_TERMS:
            raise ValidationError({"search": [f"At most {settings.SEARCH_MAX_TERMS} words."]})
        return terms


def _nulls_last(key):
    """Tasks without a deadline sort after those with one in both directions, on SQLite as on PostgreSQL (whose
    defaults differ), so a client paging through `ordering=due_at` sees the order the board shows."""
    if not isinstance(key, str) or key.lstrip("-") != "due_at":
        return key
    return F("due_at").desc(nulls_last=True) if key.startswith("-") else F("due_at").asc(nulls_last=True)
