import datetime

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

# The largest id a BigAutoField (and SQLite's INTEGER) holds; larger numbers overflow the driver instead of not
# matching.
DB_ID_MAX = 2**63 - 1


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a timezone; a naive timestamp is a 400 rather than silently read as UTC."""

    default_error_messages = {
        "naive": "Timestamps need a timezone, e.g. 2026-12-01T09:00:00Z.",
        "range": "Timestamp out of range (years 1 to 9999 in UTC).",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # out-of-range parts: DRF's parser below names the problem
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
            if parsed is not None:
                try:
                    parsed.astimezone(datetime.UTC)  # stored in UTC: must exist there (SQLite converts)
                except (OverflowError, ValueError):
                    self.fail("range")
        return super().to_internal_value(value)
