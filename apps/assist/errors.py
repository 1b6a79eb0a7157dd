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
    """The provider answered, but the guard refused the answer (empty, too long, or meaning drifted)."""

    def __init__(self, detail: str, *, reason: str) -> None:
        self.reason = reason  # "empty", "too_long" or "drift": for logs and tests
        super().__init__(detail)
