from django.urls.converters import IntConverter

from apps.common.fields import DB_ID_MAX


class DbIdConverter(IntConverter):
    """`<id:...>`: a row id. A number beyond 64 bits matches no URL (a 404) instead of overflowing SQLite's driver."""

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > DB_ID_MAX:
            raise ValueError("id out of range")  # Django's resolver reads ValueError as "no match"
        return number
