"""The guard: a provider's answer is shown only if it is plausibly an edit of the user's text.

Three checks, cheapest first:
- empty: nothing to suggest;
- too long: more than MAX_GROWTH_FACTOR x the original + MAX_GROWTH_CHARS characters. An edit for grammar and clarity
  barely changes the length; the constant allows short texts to become full sentences ("fix login" ->
  "Fix the login page.") and long ones to double, and stops essays, lists of invented steps and obeyed
  "write a long story" instructions;
- meaning drift: the cosine similarity of the MiniLM embeddings of original and answer is below MIN_SIMILARITY.

MIN_SIMILARITY was tuned with enhance/tuning.py on apps/assist/tests/fixtures/enhance_pairs.jsonl: 47 hand-written
good edits and 35 drifted answers (obeyed injected instructions, refusals, chatter, unrelated or translated text).
Drifted answers scored at most 0.64 (an answer about milk to "buy milk"); good edits 0.69 and above, except two short
texts full of abbreviations and typos ("update deps", "pls chek the invioce numbrs b4 friday": 0.33 and 0.30, words
MiniLM does not know). The best balanced accuracy sits in the gap 0.64..0.69, whose midpoint 0.66 is the value: 45/47
good edits accepted, 35/35 drifted answers refused. Refusing a cryptic two-word edit costs the user little (they keep
their text); showing a cat poem as "your description, clarified" costs trust. The figures are rerun by
`python -m bench.assist_bench` (BENCHMARKS.md).
What it cannot see: an on-topic answer instead of an edit ("how do I reset the VPN?" answered with steps) and a single
flipped fact ("do not deploy" -> "deploy", "Tuesday" -> "Thursday") keep the embedding close; the fixture measures
both and the report gives the figures. The system prompt forbids them, and the user reviews every suggestion before
applying it with a normal PATCH.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from apps.assist import encoder
from apps.assist.errors import EnhancementUnavailable, SuggestionRejected

MAX_GROWTH_FACTOR = 2.0
MAX_GROWTH_CHARS = 200
MIN_SIMILARITY = 0.66


@dataclass(frozen=True)
class Verdict:
    similarity: float


def min_similarity() -> float:
    return float(getattr(settings, "ASSIST_ENHANCE_MIN_SIMILARITY", MIN_SIMILARITY))


def max_length(original: str) -> int:
    return int(MAX_GROWTH_FACTOR * len(original)) + MAX_GROWTH_CHARS


def check(*, original: str, suggestion: str, truncated: bool = False) -> Verdict:
    """Accept the suggestion (returning its similarity) or raise SuggestionRejected with the reason."""
    if not suggestion.strip():
        raise SuggestionRejected("The suggestion was rejected: the provider returned an empty answer.", reason="empty")
    if truncated or len(suggestion) > max_length(original):
        raise SuggestionRejected(
            "The suggestion was rejected: it is much longer than the original text.", reason="too_long"
        )
    if suggestion.strip() == original.strip():
        return Verdict(similarity=1.0)
    try:
        similarity = encoder.cosine(original, suggestion)
    except encoder.EncoderUnavailable as exc:
        # Without the encoder the answer cannot be checked, and an unchecked answer is not shown.
        detail = "Description enhancement is unavailable: the answer could not be checked."
        raise EnhancementUnavailable(detail) from exc
    if similarity < min_similarity():
        raise SuggestionRejected(
            "The suggestion was rejected: its meaning drifted from the original text.", reason="drift"
        )
    return Verdict(similarity=similarity)
