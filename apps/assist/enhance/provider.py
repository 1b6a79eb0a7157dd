"""The Groq provider: one chat completion per request, a short timeout, one retry, typed failures.

Tests route the SDK's HTTP traffic to an `httpx.MockTransport` by replacing `http_client_factory` (monkeypatch);
everything else, the SDK's retry logic included, runs as in production.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import groq
import httpx
from django.conf import settings

from apps.assist.enhance.prompt import TEMPERATURE, build_messages, clean_answer
from apps.assist.errors import EnhancementNotConfigured, ProviderError

logger = logging.getLogger(__name__)

PROVIDER = "groq"
MAX_RETRIES = 1
# Longest wait before the one retry. Groq's 429 answers may ask for a minute; a person is waiting on this request,
# so past this cap the retry happens anyway and, if still refused, the caller gets a 503 at once.
DEFAULT_MAX_RETRY_WAIT = 2.0
# Tokens the answer may use: enough for a rewrite up to the guard's length limit (about 4 characters a token), so
# a runaway answer is cut, and billed, short. A cut answer fails the guard's length check.
MIN_COMPLETION_TOKENS = 256
MAX_COMPLETION_TOKENS = 8192


@dataclass(frozen=True)
class ProviderAnswer:
    text: str
    model: str
    truncated: bool  # the answer hit the token limit


def http_client_factory() -> httpx.Client | None:
    """The HTTP client given to the SDK; None lets the SDK build its own. Tests replace this function."""
    return None


class _GroqClient(groq.Groq):
    def _calculate_retry_timeout(self, *args: Any, **kwargs: Any) -> float:
        cap = float(getattr(settings, "ASSIST_GROQ_MAX_RETRY_WAIT", DEFAULT_MAX_RETRY_WAIT))
        return min(super()._calculate_retry_timeout(*args, **kwargs), cap)


_client_lock = threading.Lock()
_cached: tuple[tuple[str, float], groq.Groq] | None = None


def _client(*, api_key: str, timeout: float) -> groq.Groq:
    global _cached
    http_client = http_client_factory()
    if http_client is not None:
        return _GroqClient(api_key=api_key, timeout=timeout, max_retries=MAX_RETRIES, http_client=http_client)
    # One client per process (per key and timeout) so its connection pool is reused across requests.
    key = (api_key, timeout)
    with _client_lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, _GroqClient(api_key=api_key, timeout=timeout, max_retries=MAX_RETRIES))
        return _cached[1]


def is_configured() -> bool:
    return bool(getattr(settings, "GROQ_API_KEY", ""))


def model() -> str:
    return str(getattr(settings, "GROQ_MODEL", "") or "llama-3.3-70b-versatile")


def completion_budget(text: str) -> int:
    return max(MIN_COMPLETION_TOKENS, min(MAX_COMPLETION_TOKENS, (2 * len(text) + 200) // 3))


def rewrite(*, text: str) -> ProviderAnswer:
    """The provider's edit of `text`, not yet checked (the guard does that).

    Raises EnhancementNotConfigured without an API key, ProviderError when the provider fails.
    """
    api_key = str(getattr(settings, "GROQ_API_KEY", ""))
    if not api_key:
        raise EnhancementNotConfigured()
    timeout = float(getattr(settings, "GROQ_TIMEOUT", 8.0))
    name = model()
    try:
        completion = _client(api_key=api_key, timeout=timeout).chat.completions.create(
            model=name,
            messages=build_messages(text),
            temperature=TEMPERATURE,
            max_completion_tokens=completion_budget(text),
        )
    except groq.APITimeoutError as exc:
        logger.warning("groq: timed out after %.1fs (and one retry)", timeout)
        raise ProviderError("The enhancement provider did not answer in time.") from exc
    except groq.APIConnectionError as exc:
        logger.warning("groq: connection failed: %s", exc)
        raise ProviderError("The enhancement provider could not be reached.") from exc
    except groq.RateLimitError as exc:
        logger.warning("groq: rate limited (429) twice")
        raise ProviderError("The enhancement provider is busy (rate limited); try again in a minute.") from exc
    except groq.InternalServerError as exc:
        logger.warning("groq: server error %s (and one retry)", exc.status_code)
        raise ProviderError("The enhancement provider failed; try again later.") from exc
    except (groq.AuthenticationError, groq.PermissionDeniedError) as exc:
        # The operator's problem, not the user's: say little to the user, log it loudly.
        logger.error("groq: the configured GROQ_API_KEY was refused (%s)", exc.status_code)
        raise ProviderError("The enhancement provider refused this installation's credentials.") from exc
    except groq.APIStatusError as exc:
        logger.warning("groq: request refused with %s", exc.status_code)
        raise ProviderError("The enhancement provider could not process this text.") from exc
    except groq.APIError as exc:  # malformed answers and anything else the SDK reports
        logger.warning("groq: unusable response: %s", exc)
        raise ProviderError("The enhancement provider sent an unusable answer.") from exc

    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise ProviderError("The enhancement provider sent an unusable answer.")
    content = choices[0].message.content or ""
    return ProviderAnswer(
        text=clean_answer(content),
        model=getattr(completion, "model", None) or name,
        truncated=choices[0].finish_reason == "length",
    )
