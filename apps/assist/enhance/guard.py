"""The guard: a provider's answer is shown only if it is an edit of the user's text that keeps every fact.

Five checks, cheapest first:
- empty: nothing to suggest;
- too long: more than MAX_GROWTH_FACTOR x the original + MAX_GROWTH_CHARS characters. An edit for grammar and clarity
  barely changes the length; the constant allows short texts to become full sentences ("fix login" ->
  "Fix the login page.") and long ones to double, and stops essays, lists of invented steps and obeyed
  "write a long story" instructions;
- off task (facts/off_task.py): the answer brings code, steps, a list, a table, new lines or chatter the original
  does not have, answers the question the text asks (with or without its question mark), drops the request it was
  given and does the work (a summary, a decision, feedback), explains or advises, translates, or adds more new
  content than the text has;
- facts changed (facts/compare.py): a number, date, time, amount, negation, modal, bound, outcome word, name,
  host, e-mail, URL, identifier, file, code span or list item of the original is missing, or one is added, or
  numbers or names swapped places; likewise comparatives, periods (per week, daily), parts of the day, units of a
  count, titles, quantifiers, the closed word groups of facts/vocabulary.py (kids/adults, staging/production,
  read/write), the object of a directional word (from X to Y, A before B) and a condition with the clause it
  governs. Changes of form (3pm = 3 p.m., 2000 usd = $2,000; since round three also whether = if in an indirect
  question, jan = January inside "before jan 31", "vs." = "vs", sign up = sign-up = signup, three = 3 in text order,
  whole clauses moved) are normalized first. Measured on the hand-written pairs in apps/assist/data/enhance/ by
  `manage.py eval_enhance_guard` (BENCHMARKS.md);
- meaning drift: the cosine similarity of the MiniLM embeddings of original and answer is below MIN_SIMILARITY.

MIN_SIMILARITY was tuned with enhance/tuning.py on apps/assist/tests/fixtures/enhance_pairs.jsonl: 47 hand-written
good edits and 35 drifted answers (obeyed injected instructions, refusals, chatter, unrelated or translated text).
Drifted answers scored at most 0.64 (an answer about milk to "buy milk"); good edits 0.69 and above, except two short
texts full of abbreviations and typos ("update deps", "pls chek the invioce numbrs b4 friday": 0.33 and 0.30, words
MiniLM does not know). The best balanced accuracy sits in the gap 0.64..0.69, whose midpoint 0.66 is the value: 45/47
good edits accepted, 35/35 drifted answers refused. Refusing a cryptic two-word edit costs the user little (they keep
their text); showing a cat poem as "your description, clarified" costs trust. The figures are rerun by
`python -m bench.assist_bench` (BENCHMARKS.md).
The embedding cannot see an on-topic answer instead of an edit, or a single flipped fact ("do not deploy" ->
"deploy"): the off-task and fact checks exist for those, and run before it. What none of them sees: a fact changed in
an ordinary word outside the closed lists where no noun phrase or sentence start frames it ("apples" -> "pears" in a
list without "and" or a colon). Measured on blind sets after ten rounds (BENCHMARKS.md): fact changes and off-task
answers are refused at the targets on most sets; about one faithful edit in seven is refused for a change of form no
rule knows.
The user still reviews every suggestion, shown as a word diff, before applying it with a normal PATCH.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from apps.assist import encoder
from apps.assist.enhance.facts import compare_facts, off_task_reason
from apps.assist.enhance.facts.normalize import normalize
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
    if off_task_reason(original, suggestion) is not None:
        raise SuggestionRejected(
            "The suggestion was rejected: it is not an edit of the text (it adds code, steps, a list or other "
            "content).",
            reason="off_task",
        )
    changes = compare_facts(original, suggestion)
    if changes:
        raise SuggestionRejected(
            "The suggestion was rejected: it changes facts of the original text.",
            reason="facts_changed",
            changes=[change.as_dict() for change in changes],
        )
    try:
        similarity = encoder.cosine(original, suggestion)
        if similarity < min_similarity():
            # Abbreviations MiniLM does not know ("conf call w/ vendor", "read ch 4-6 by thu") are compared spelled
            # out (facts/normalize.py, the table the fact check uses): the better of the two readings counts.
            similarity = max(similarity, encoder.cosine(normalize(original), normalize(suggestion)))
    except encoder.EncoderUnavailable as exc:
        # Without the encoder the answer cannot be checked, and an unchecked answer is not shown.
        detail = "Description enhancement is unavailable: the answer could not be checked."
        raise EnhancementUnavailable(detail) from exc
    if similarity < min_similarity():
        raise SuggestionRejected(
            "The suggestion was rejected: its meaning drifted from the original text.", reason="drift"
        )
    return Verdict(similarity=similarity)
