"""Typed failures of the assist features. Every one becomes a 503 `{"detail": ...}`: the assistant is an optional
helper, so its being unavailable is a service condition, never a server error and never the caller's fault."""


class AssistUnavailable(Exception):
    """Base class: `detail` is safe to show to the user (no secrets, no provider internals)."""

    default_detail = "The assistant is unavailable."

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.default_detail
        super().__init__(self.detail)


class PriorityModelUnavailable(AssistUnavailable):
    default_detail = "Priority suggestion is unavailable: the model could not be loaded."


class EnhancementUnavailable(AssistUnavailable):
    default_detail = "Description enhancement is unavailable."


class EnhancementNotConfigured(EnhancementUnavailable):
    default_detail = "Description enhancement is not configured (GROQ_API_KEY is not set)."


class ProviderError(EnhancementUnavailable):
    """The provider timed out, refused, or failed."""


class SuggestionRejected(EnhancementUnavailable):
    """The provider answered, but the guard refused the answer.

    `reason` is one of "empty", "too_long", "off_task", "facts_changed" or "drift"; `changes` lists, for
    "facts_changed", what the answer removed, added or reordered (see enhance/facts/compare.py). Both reach the client.
    """

    def __init__(self, detail: str, *, reason: str, changes: list[dict[str, object]] | None = None) -> None:
        self.reason = reason
        self.changes = changes
        super().__init__(detail)
