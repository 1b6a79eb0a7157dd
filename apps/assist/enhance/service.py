"""enhance_description(): the answer of POST /api/assist/enhance/. It returns a suggestion and touches nothing."""

from __future__ import annotations

import logging
from typing import TypedDict

from apps.assist.enhance import guard, provider
from apps.assist.errors import SuggestionRejected

logger = logging.getLogger(__name__)


class Enhancement(TypedDict):
    original: str
    suggestion: str
    changed: bool
    provider: str
    model: str


def enhance_description(*, text: str) -> Enhancement:
    """The provider's edit of `text`, checked by the guard. Raises an AssistUnavailable subclass on any failure."""
    answer = provider.rewrite(text=text)
    try:
        guard.check(original=text, suggestion=answer.text, truncated=answer.truncated)
    except SuggestionRejected as exc:
        # Neither text is logged: descriptions may hold anything.
        logger.info("enhance: suggestion rejected (%s), %d -> %d chars", exc.reason, len(text), len(answer.text))
        raise
    return {
        "original": text,
        "suggestion": answer.text,
        "changed": answer.text.strip() != text.strip(),
        "provider": provider.PROVIDER,
        "model": answer.model,
    }
