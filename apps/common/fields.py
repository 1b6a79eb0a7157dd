from django.utils.dateparse import parse_datetime
from rest_framework import serializers


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a timezone; a naive timestamp is a 400 rather than silently read as UTC."""

    default_error_messages = {"naive": "Timestamps need a timezone, e.g. 2026-12-01T09:00:00Z."}

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # out-of-range parts: DRF's parser below names the problem
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)
