"""What a task stores as its suggestion, and what a reader sees: the due date rule is applied when the task is read.

The background job stores the model's reading of the text only: {text_priority, confidence, cues}. The due date rule
(cues.due_rule) depends on the clock, so storing its result would freeze "due in 5 h" forever and miss the moment a
far deadline comes within 24 hours; applying it on every read keeps both the level and the cue current. Reading is
cheap (no model): one comparison and one string.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypedDict

from apps.assist.priority.cues import LEVELS, due_rule


class StoredSuggestion(TypedDict):
    text_priority: str
    confidence: float
    cues: list[str]


class ShownSuggestion(TypedDict):
    priority: str
    confidence: float
    cues: list[str]


# The due cue of suggestions stored before the rule moved to read time: "due in 5 h: raised from medium to high",
# "overdue by 2 d (already high)". The level the text alone had is recoverable from it.
_LEGACY_DUE_CUE = re.compile(
    r"^(?:due in|overdue by) [^:(]+(?:: raised from (?P<was>low|medium) to \w+| \(already high\))$"
)


def to_stored(*, text_priority: str, confidence: float, cues: list[str]) -> StoredSuggestion:
    if text_priority not in LEVELS:
        raise ValueError(f"unknown priority {text_priority!r}")
    return {"text_priority": text_priority, "confidence": confidence, "cues": list(cues)}


def _text_reading(stored: dict[str, Any]) -> tuple[str, float, list[str]]:
    if "text_priority" in stored:
        return stored["text_priority"], stored["confidence"], list(stored["cues"])
    # A suggestion stored in the old shape: drop its frozen due cue, undo the raise it explains.
    priority, cues = stored["priority"], []
    for cue in stored["cues"]:
        match = _LEGACY_DUE_CUE.match(cue)
        if match is None:
            cues.append(cue)
        else:
            priority = match.group("was") or "high"
    return priority, stored["confidence"], cues


def shown(stored: dict[str, Any] | None, *, due_at: datetime | None, now: datetime) -> ShownSuggestion | None:
    """The suggestion as the API shows it now: {priority, confidence, cues}, the due date rule applied at `now`."""
    if not stored:
        return None
    text_priority, confidence, cues = _text_reading(stored)
    priority, due_cue = due_rule(priority=text_priority, due_at=due_at, now=now)
    if due_cue is not None:
        cues.append(due_cue.text)
    return {"priority": priority, "confidence": confidence, "cues": cues}
