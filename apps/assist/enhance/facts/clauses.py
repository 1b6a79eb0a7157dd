"""Facts that live in how words relate, not in the words alone.

- relation: what a directional word points at. "from X to Y", "A before B", "than X", "instead of X": the fact is the
  marker and the first content words of its object ("before> deploy"), so "run the migration before the deploy" and
  "before deploying, run the migration" agree, and "run the deploy before the migration" does not;
- condition: a condition and the clause it governs. "if C, X" = "X if C"; "if C, X; then Y" is not "X; then, if C, Y",
  and a dropped condition is a missing marker.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from apps.assist.enhance.facts import vocabulary as vocab

# Words that carry no fact of their own in these checks: articles, pronouns, auxiliaries, connectives.
_STOPWORDS = """a an the this that these those my your his her its our their some any it they them we us you i he she
me is are was were be been being am do does did has have had will would shall should can could may might must to of
in on at by for with as and or but so then also just please there here what which who whom whose all each every both
not no"""
STOPWORDS = frozenset(_STOPWORDS.split())
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'_@/.-]*[a-z0-9]|[a-z0-9]|[,;:!?\n]|\.(?=\s|$)")
_HARD_STOP = {";", ".", "!", "?", "\n", ":"}
_RELATION_MARKERS = {
    "before": "before", "after": "after", "until": "until", "than": "than", "instead": "instead", "versus": "versus",
    "vs": "versus", "against": "versus", "from": "from", "prior": "before", "once": "after",
}  # fmt: skip
_NUMBER_WORDS_TEXT = """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred dozen half first second third fourth fifth once twice"""
_NUMBER_WORDS = frozenset(_NUMBER_WORDS_TEXT.split())
_COMMA = ","
# An object word written as a month or weekday is compared in one spelling: "before jan 31" = "before January 31".
_CALENDAR = {**vocab.MONTHS, **vocab.WEEKDAYS, **vocab.SHORT_WEEKDAYS}
# A demonstrative right after the marker and before a new subject, a comma or the end is the whole object: "after
# that we give the spots away" = "after that, we give the spots away" (object "that", not "give spot away").
_DEMONSTRATIVES = {"that": "that", "this": "that", "these": "that", "those": "that", "it": "it", "them": "it"}
_SUBJECTS = {"we", "you", "they", "i", "he", "she", "it", "everyone", "someone", "people", "please"}
# "if" after one of these introduces an indirect question and means "whether": "check if it applies" = "check
# whether it applies"; "deploy if the tests pass" stays a condition.
_QUESTION_VERBS_TEXT = """ask asks asked asking check checks checked checking see sees know knows knew wonder
    wonders wondering
    confirm confirms confirmed verify verifies verified decide decides determine determines test tests find out
    sure unsure unclear clear doubt doubtful question investigate clarify whether"""
_QUESTION_VERBS = frozenset(_QUESTION_VERBS_TEXT.split())
_LINKING_PREPOSITIONS = frozenset({"by", "with", "on", "at", "before", "after", "until", "from", "again"})
_ASK_VERBS = frozenset({"ask", "asks", "asked", "asking", "wonder", "wonders", "wondering"})
_CONNECTIVES = {"then", "and", "but", "so", "also", ",", "otherwise"}
# Condition markers, the longer first; "provided" and "as long as" are spellings of "if".
_CONDITIONS = (
    ("even if", "even if"), ("only if", "if"), ("as long as", "if"), ("provided that", "if"), ("provided", "if"),
    ("in case", "in case"), ("if", "if"), ("unless", "unless"), ("otherwise", "otherwise"), ("else", "otherwise"),
    ("except", "except"), ("whether", "whether"),
)  # fmt: skip


def stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def similar(a: str, b: str) -> bool:
    """The same word, inflected, with a typo fixed, or cut short ("tech" = "technician", "eng" = "engineer")."""
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and len(long) >= len(short) + 3 and long.startswith(short):
        return True
    if len(short) >= 3 and long == short + "e":
        return True  # "after close" = "after closing" (stemmed "clos")
    a, b = stem(a), stem(b)
    return a == b or (min(len(a), len(b)) >= 4 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8)


def tokenize(lower: str) -> list[str]:
    return _TOKEN.findall(lower)


_BOUND_WORDS = {
    "over": "more", "above": "more", "exceeds": "more", "exceed": "more", "exceeding": "more", "greater": "more",
    "under": "less", "below": "less", "fewer": "less",
}  # fmt: skip


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS and t not in _HARD_STOP and t != "," and t[0].isalpha()]


def _object(tokens: list[str], start: int, until: str = "") -> list[str]:
    """Up to three content words from `start`, within the clause and before the next directional word; none when
    the object is a number or a time (the number kinds read those)."""
    words: list[str] = []
    first = tokens[start] if start < len(tokens) else ""
    following = tokens[start + 1] if start + 1 < len(tokens) else ""
    if first in _DEMONSTRATIVES and (following in _SUBJECTS or following in _HARD_STOP or following in {"", _COMMA}):
        return [_DEMONSTRATIVES[first]]
    for token in tokens[start:]:
        # "and"/"or" start the next item: "after customs clears it and freight is paid" points at customs.
        if (
            token in _HARD_STOP
            or token in {_COMMA, until, "and", "or"}
            or token in _RELATION_MARKERS
            or len(words) == 3
        ):
            break
        if token in STOPWORDS or token in {"to", "of", "than", "on"}:
            continue
        if not token[0].isalpha() or token in _NUMBER_WORDS:
            if not words:
                return []
            break
        token = token.removesuffix("'s").rstrip("'")
        words.append(_CALENDAR.get(token) or stem(token))
    return words


def relations(lower: str) -> list[str]:
    """'marker>object words' for every directional word of a lower-case normalized text. "from" counts only with
    its "to" ("from X to Y"): alone it is too often rephrased ("the template from Jane" = "Jane's template")."""
    tokens = tokenize(lower)
    found: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        marker = _RELATION_MARKERS.get(token)
        if (token, following) == ("rather", "than"):
            marker = None  # "rather than X" is read at "than"
        if (token, following) in {("compared", "to"), ("compared", "with")}:
            obj = _object(tokens, i + 2)  # "compared to last year" = "vs last year"
            if obj:
                found.append(" ".join(["versus>", *obj]))
        if marker == "from":
            to = _matching_to(tokens, i + 1)
            if to is None:
                continue
            found.append(" ".join(["to>", *_object(tokens, to + 1)]))
        if marker:
            obj = _object(tokens, i + 1, until="to" if marker == "from" else "")
            if obj:
                found.append(" ".join([f"{marker}>", *obj]))
    return [value for value in found if not value.endswith(">")]


def _matching_to(tokens: list[str], start: int) -> int | None:
    for j in range(start, len(tokens)):
        if tokens[j] in _HARD_STOP or tokens[j] == _COMMA:
            return None
        if tokens[j] == "to":
            return j
    return None


def same_relation(a: str, b: str) -> bool:
    """The same directional word pointing at the same thing: the head word of one is among the other's words."""
    marker_a, _, words_a = a.partition(" ")
    marker_b, _, words_b = b.partition(" ")
    if marker_a != marker_b:
        return False
    first_a, *_ = words_a.split() or [""]
    first_b, *_ = words_b.split() or [""]
    return any(similar(first_a, word) for word in words_b.split()) or any(
        similar(first_b, word) for word in words_a.split()
    )


@dataclass(frozen=True)
class Condition:
    marker: str
    condition: tuple[str, ...]  # content words of the condition
    governed: tuple[str, ...]  # content words of the clause it governs
    # "if C X" with no comma: where the condition ends is not written, so only all its words together are compared
    unbounded: bool = False

    def label(self) -> str:
        return " ".join((self.marker, *self.condition))


def _pieces(tokens: list[str]) -> list[list[str]]:
    pieces, current = [], []
    for token in tokens:
        if token in _HARD_STOP:
            if current:
                pieces.append(current)
            current = []
        else:
            current.append(token)
    if current:
        pieces.append(current)
    return pieces


def _find_marker(piece: list[str]) -> tuple[int, int, str] | None:
    for i in range(len(piece)):
        for phrase, canonical in _CONDITIONS:
            words = phrase.split()
            if piece[i : i + len(words)] == words:
                if canonical == "if" and phrase == "if" and _asks(piece[:i]):
                    canonical = "whether"
                return i, i + len(words), canonical
    return None


def _asks(before: list[str]) -> bool:
    """Whether the words before an "if" make it an indirect question: right after a verb of asking or checking
    ("check if", "find out if", "not sure if"), or a few words after "ask" ("ask the landlord if") or after "check
    with" ("check with hr if")."""
    if before and before[-1] in _QUESTION_VERBS:
        return before[-2:-1] not in (["me"], ["us"])  # "let me know if it breaks" is a condition
    # "know by thursday if", "check on monday if", "check with hr if": the verb, then a short phrase of time or person
    for k in (3, 4):
        if len(before) >= k and before[-k] in _QUESTION_VERBS and before[-k + 1] in _LINKING_PREPOSITIONS:
            return True
    window = before[-4:]
    if _COMMA in window:
        window = window[len(window) - window[::-1].index(_COMMA) :]
    if any(token in _ASK_VERBS for token in window):
        return True
    # "ask outside counsel (ferreira & lee) if": up to six words after "ask", when no other verb is introduced by
    # "to" ("ask the team to deploy it if the tests pass" stays a condition).
    wide = before[-6:]
    if _COMMA in wide:
        wide = wide[len(wide) - wide[::-1].index(_COMMA) :]
    asks = [j for j, token in enumerate(wide) if token in _ASK_VERBS]
    if asks and "to" not in wide[asks[-1] :] and len(wide) - asks[-1] <= 6:
        return True
    return any(word == "with" and j and window[j - 1] in _QUESTION_VERBS for j, word in enumerate(window))


def conditions(lower: str) -> list[Condition]:
    """Each condition of a lower-case normalized text with the clause it governs.

    Within a sentence piece (up to ; . ! ? or a new line): a condition at its start ("if C, X", after connectives
    like "then,") runs to the first comma and governs the rest; one in the middle ("X if C") governs what is before
    it and runs to the next comma.
    """
    found: list[Condition] = []
    for piece in _pieces(tokenize(lower)):
        while piece:
            hit = _find_marker(piece)
            if hit is None:
                break
            start, end, marker = hit
            # At the start of its clause: of the sentence, or right after a comma ("need 2 chairs, if one is missing
            # borrow from room b" = "...; if one is missing, borrow it from room b").
            comma_before = max((k for k in range(start) if piece[k] == _COMMA), default=-1)
            initial = all(token in _CONNECTIVES for token in piece[comma_before + 1 : start])
            rest = piece[end:]
            if marker in {"otherwise", "except"} and rest[:1] == [_COMMA]:
                rest = rest[1:]  # "otherwise, book a single one" = "otherwise book a single one"
            comma = rest.index(",") if "," in rest else len(rest)
            # Bound words in one spelling: "if mem > 90%" = "if memory usage exceeds 90%".
            condition = [_BOUND_WORDS.get(word, word) for word in _content(rest[:comma])]
            # "if C X, otherwise Y": the comma closes the governed clause, not the condition, so where the condition
            # ends is not written (as with no comma at all).
            after_comma = rest[comma + 1 :]
            closes_clause = bool(after_comma) and _find_marker(after_comma[:2]) is not None
            if marker in {"otherwise", "except"}:
                governed: list[str] = []  # what these govern is their own clause, already the condition
            elif initial and not closes_clause:
                governed = _content(after_comma)
            elif initial:
                governed = []
            else:
                governed = _content(piece[:start])
            unbounded = initial and (comma == len(rest) or closes_clause) and marker not in {"otherwise", "except"}
            found.append(Condition(marker, tuple(condition), tuple(governed), unbounded))
            piece = rest
    return found


def same_condition(a: Condition, b: Condition) -> bool:
    """The same marker, a condition of similar words, governing a clause of similar words."""
    if a.marker != b.marker:
        return False
    if a.unbounded or b.unbounded:
        return overlaps(a.condition + a.governed, b.condition + b.governed)
    # A governed clause of one word ("That's fine if...", "ok if...") is a judgement an editor rewords freely.
    short_governed = min(len(a.governed), len(b.governed)) <= 1
    return overlaps(a.condition, b.condition) and (short_governed or overlaps(a.governed, b.governed))


def overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """At least half of the shorter side's words have a similar word on the other side (both empty: equal)."""
    if not a or not b:
        return not a and not b
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(any(similar(word, other) for other in large) for word in small)
    return shared * 2 >= len(small)
