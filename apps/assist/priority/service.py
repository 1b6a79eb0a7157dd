"""suggest_priority(): the answer of POST /api/assist/priority/, and what the task suggestion actor will store.

The model reads the text; one explicit rule (cues.due_rule) then looks at the due date. The answer is a suggestion:
nothing here writes anywhere.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypedDict

import numpy as np
from django.conf import settings
from django.utils import timezone

from apps.assist import encoder
from apps.assist.errors import PriorityModelUnavailable
from apps.assist.priority import head as head_module
from apps.assist.priority.cues import Cue, due_rule, find_cues
from apps.assist.priority.head import Head, build_features

logger = logging.getLogger(__name__)

# Shown when no listed signal argued for the answer: the model still had a reason, its reading of the whole text.
_NO_CUE = {
    "high": "wording resembles urgent tasks (no single word decided it)",
    "medium": "wording resembles routine tasks",
    "low": "wording resembles optional, nice-to-have tasks",
}


class Probabilities(TypedDict):
    low: float
    medium: float
    high: float


class PrioritySuggestion(TypedDict):
    priority: str
    confidence: float
    probabilities: Probabilities
    cues: list[str]
    model: str


@dataclass(frozen=True)
class PriorityInput:
    title: str
    description: str = ""
    due_at: datetime | None = None


_head_lock = threading.Lock()
_head: Head | None = None


def head_path() -> Path:
    return Path(getattr(settings, "ASSIST_PRIORITY_HEAD", "") or head_module.HEAD_PATH)


def get_head() -> Head:
    """The committed head, read once per process."""
    global _head
    if _head is not None:
        return _head
    with _head_lock:
        if _head is None:
            path = head_path()
            try:
                _head = head_module.load(path)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise PriorityModelUnavailable(
                    "Priority suggestion is unavailable: the model file is missing or damaged."
                ) from exc
        return _head


def reset_cache() -> None:
    """Forget the loaded head (tests that point ASSIST_PRIORITY_HEAD elsewhere)."""
    global _head
    with _head_lock:
        _head = None


def model_name(head: Head) -> str:
    return f"{encoder.MODEL_NAME.split('/')[-1]}+head-{head.version}"


def task_text(*, title: str, description: str = "") -> str:
    """What the model reads: the title, then the description, as the data set's rows are written."""
    return f"{title.strip()}\n{description.strip()}".strip()


def _explain(head: Head, features: np.ndarray, label_index: int, found: list[Cue], due_cue: Cue | None) -> list[str]:
    # Only the signals that pushed the model towards the level it chose: an "urgent" in "add an 'urgent' filter
    # chip" that the model outweighed is not why the answer is medium, so it is not shown.
    pull = head.cue_pull(features, label_index)
    texts = [cue.text for cue in found if pull.get(cue.kind, 0.0) > 0]
    if not texts:
        texts = [_NO_CUE[head.labels[label_index]]]
    if due_cue is not None:
        texts.append(due_cue.text)
    return texts


def suggest_priorities(*, items: Sequence[PriorityInput], now: datetime | None = None) -> list[PrioritySuggestion]:
    """One suggestion per item, in order; the texts are embedded in one batch. Timestamps must be timezone-aware."""
    if not items:
        return []
    now = now or timezone.now()
    if timezone.is_naive(now) or any(item.due_at is not None and timezone.is_naive(item.due_at) for item in items):
        raise ValueError("suggest_priorities needs timezone-aware datetimes")
    head = get_head()
    texts = [task_text(title=item.title, description=item.description) for item in items]
    try:
        embeddings = encoder.encode_layers(texts, layers=head.layers)
    except encoder.EncoderUnavailable as exc:
        raise PriorityModelUnavailable() from exc
    except RuntimeError as exc:  # torch reports its failures (out of memory, a broken install) as RuntimeError
        logger.exception("priority: encoding failed")
        raise PriorityModelUnavailable("Priority suggestion is unavailable: the model failed.") from exc
    features = build_features(texts, embeddings)
    probabilities = head.probabilities(features)

    out: list[PrioritySuggestion] = []
    for item, text, row, x in zip(items, texts, probabilities, features, strict=True):
        best = int(row.argmax())
        text_priority = head.labels[best]
        priority, due_cue = due_rule(priority=text_priority, due_at=item.due_at, now=now)
        by_label = dict(zip(head.labels, (round(float(p), 3) for p in row), strict=True))
        out.append(
            {
                "priority": priority,
                # The model's certainty about the text. The due date rule is deterministic, so a raised answer
                # keeps the confidence of the level it was raised from (and the cue says it was raised).
                "confidence": round(float(row[best]), 3),
                "probabilities": {"low": by_label["low"], "medium": by_label["medium"], "high": by_label["high"]},
                "cues": _explain(head, x, best, find_cues(text), due_cue),
                "model": model_name(head),
            }
        )
    return out


def suggest_priority(
    *, title: str, description: str = "", due_at: datetime | None = None, now: datetime | None = None
) -> PrioritySuggestion:
    """{priority, confidence, probabilities: {low, medium, high}, cues, model} for one task's text and due date."""
    return suggest_priorities(items=[PriorityInput(title=title, description=description, due_at=due_at)], now=now)[0]


def suggest_text_priority(*, title: str, description: str = "") -> PrioritySuggestion:
    """The model's reading of the text alone, without the due date rule: what a task stores (see stored.py)."""
    return suggest_priority(title=title, description=description)


def warm_up() -> None:
    """Load the head and the encoder now (e.g. when a worker starts) instead of on the first request."""
    get_head()
    try:
        encoder.load()
    except encoder.EncoderUnavailable as exc:
        raise PriorityModelUnavailable() from exc
