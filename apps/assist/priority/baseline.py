"""A plain keyword classifier, kept only as the yardstick the learned head is compared with in the report.

It is what one would write without a model: an urgency word means high, an optional word means low, otherwise
medium. It knows nothing about negation ("not urgent" counts as urgent), shouting, deadlines or context.
"""

from __future__ import annotations

import re

URGENT_WORDS = [
    "urgent",
    "asap",
    "immediately",
    "emergency",
    "critical",
    "now",
    "today",
    "tonight",
    "down",
    "broken",
    "blocker",
    "deadline",
]
OPTIONAL_WORDS = [
    "someday",
    "maybe",
    "eventually",
    "whenever",
    "sometime",
    "later",
    "rush",
    "optional",
    "idea",
    "nice",
    "backlog",
]

_URGENT = re.compile(r"\b(?:" + "|".join(URGENT_WORDS) + r")\b", re.IGNORECASE)
_OPTIONAL = re.compile(r"\b(?:" + "|".join(OPTIONAL_WORDS) + r")\b", re.IGNORECASE)


def keyword_priority(text: str) -> str:
    urgent = len(_URGENT.findall(text))
    optional = len(_OPTIONAL.findall(text))
    if urgent > optional:
        return "high"
    if optional > urgent:
        return "low"
    return "medium"
