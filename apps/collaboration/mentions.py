"""`@username` mentions: which members of a project a text names.

A word is a mention only when it names a current member of the project; any other `@word` is text, and nothing
about it (whether such a user exists) is revealed to the author.
"""

import re

from django.db.models.functions import Lower

from apps.accounts.models import User

# Django usernames are letters, digits and @ . + - _; a trailing "." or "-" is punctuation ("thanks @bob.").
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
# A text naming more people than this mentions the first ones only (bounds the lookup).
MAX_MENTIONS = 50


def mentioned_names(text: str) -> list[str]:
    """Lower-cased names after `@`, in order of first appearance, at most MAX_MENTIONS."""
    names: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".-").lower()
        if name:
            names.setdefault(name, None)
        if len(names) >= MAX_MENTIONS:
            break
    return list(names)


def mentioned_members(*, project_id: int, text: str) -> list[User]:
    """The project's members that `text` mentions, by username (case-insensitive), ordered by username."""
    names = mentioned_names(text)
    if not names:
        return []
    return list(
        User.objects.filter(memberships__project_id=project_id, is_active=True)
        .annotate(lower_username=Lower("username"))
        .filter(lower_username__in=names)
        .order_by("lower_username")
    )
