"""Facts per kind from a normalized text.

Extraction runs from the most specific pattern to the least (a URL before a host name before a number) and blanks
what it took, so "v2.4.1" is one version and not three numbers, and "api-02.internal" is a host and not a 2.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from apps.assist.enhance.facts import vocabulary as vocab
from apps.assist.enhance.facts.clauses import Condition, conditions, relations
from apps.assist.enhance.facts.normalize import tokens

MONTHS = vocab.MONTHS
WEEKDAYS = vocab.WEEKDAYS
RELATIVE_DAYS = {"today", "tomorrow", "tonight", "yesterday", "now", "immediately", "noon", "midnight", "asap"}
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30,
    "twice": 2, "double": 2, "triple": 3,
}  # fmt: skip
NEGATIONS = {"not", "no", "never", "without", "none", "nothing", "nobody", "nor", "neither", "nowhere"}
MODALS = {
    "must": "must", "should": "should", "shall": "shall", "can": "can", "could": "could", "may": "may",
    "might": "might", "need": "must", "needs": "must", "needed": "must", "required": "must",
    "require": "must", "requires": "must", "mandatory": "must", "optional": "optional",
    "optionally": "optional", "ideally": "ideally", "maybe": "maybe", "perhaps": "maybe", "possibly": "maybe",
    "allowed": "allowed", "forbidden": "forbidden", "prohibited": "forbidden",
}  # fmt: skip
BOUNDS = {
    "more": "more", "greater": "more", "higher": "more", "exceed": "more", "exceeds": "more", "exceeding": "more",
    "less": "less", "fewer": "less", "lower": "less", "over": "over", "above": "over", "under": "under",
    "below": "under", "least": "min", "min": "min", "minimum": "min", "most": "max", "max": "max",
    "maximum": "max", "before": "before", "after": "after", "until": "until", "within": "within",
    "since": "since", "only": "only", "unless": "unless", "earliest": "earliest", "latest": "latest",
    "between": "between", "prior": "before", "later": "after", "earlier": "before", "once": "after",
}  # fmt: skip
OUTCOMES = {
    "fail": "fail", "fails": "fail", "failed": "fail", "failing": "fail", "failure": "fail", "failures": "fail",
    "succeed": "succeed", "succeeds": "succeed", "succeeded": "succeed", "success": "succeed",
    "successful": "succeed", "successfully": "succeed", "pass": "pass", "passes": "pass", "passed": "pass",
    "passing": "pass", "broken": "broken", "broke": "broken", "breaks": "broken", "working": "working",
    "works": "working", "worked": "working", "functional": "working", "leaked": "leaked", "leaks": "leaked",
    "leaking": "leaked", "exposed": "leaked", "safe": "safe", "secure": "safe", "crashed": "crash", "crash": "crash",
    "crashes": "crash", "crashing": "crash", "fixed": "fixed", "resolved": "fixed", "down": "down",
    "approved": "approved", "rejected": "rejected", "declined": "rejected", "accepted": "approved",
    "paid": "paid", "unpaid": "unpaid", "overdue": "overdue", "cancelled": "cancelled", "canceled": "cancelled",
    "confirmed": "confirmed", "lost": "lost", "won": "won", "valid": "valid", "invalid": "invalid",
    "expired": "expired", "missing": "missing", "found": "found", "blocked": "blocked", "unblocked": "unblocked",
    "flagged": "flagged", "bounced": "bounced", "delayed": "delayed", "damaged": "damaged", "defective": "damaged",
    "corrupted": "corrupted", "corrupt": "corrupted", "outdated": "outdated", "obsolete": "outdated",
    "leak": "leaked", "positive": "positive", "negative": "negative", "faulty": "broken",
}  # fmt: skip
# Places on a page or screen: "the pricing page", "the header".
UI_PLACES = {"header", "footer", "sidebar", "navbar", "toolbar", "top", "bottom", "left", "right", "homepage"}
_UI_NOUNS = r"page|tab|menu|screen|section|panel|dialog|modal|form|bar|button|widget|banner"

_FILE_EXTENSIONS = (
    "py|js|ts|tsx|jsx|json|ya?ml|toml|ini|cfg|conf|txt|md|rst|csv|tsv|xlsx?|docx?|pptx?|pdf|sql|sh|html?|css|scss"
    "|png|jpe?g|gif|svg|zip|gz|tar|log|env|lock|xml|java|go|rs|rb|php|c|h|cpp|swift|kt|dockerfile|mp4|mov|key"
)
_UNITS = {
    "kb", "mb", "gb", "tb", "ms", "s", "sec", "secs", "h", "hr", "hrs", "min", "mins", "d", "k", "x", "px",
    "mg", "g", "kg", "ml", "l", "cm", "mm", "km", "ft", "oz", "lb", "lbs", "in", "ul", "\u00b5l", "mph", "kph", "kmh",
    "rpm", "fps",
    "kbps", "mbps", "gbps", "w", "kw", "kwh", "v", "hz", "khz", "mhz", "ghz", "c", "f", "pcs", "pc",
    "m", "bn",  # scales: "1.2M" = "1.2 million"
}  # fmt: skip
# A unit glued to its number that is a word of its own once apart: "4in" is "4 inch", not "4 in".
_GLUED_UNIT_WORDS = {"in": "inch"}
_BLANK = " \u00b7 "  # what an extracted span leaves behind: not a word, not a digit


@dataclass
class Facts:
    """Facts of one text: a multiset per kind, and the order in which sequenced kinds occurred."""

    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    order: dict[str, list[str]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)  # every lower-case word, to look names up
    word_order: list[str] = field(default_factory=list)  # the same words in text order
    conditions: list[Condition] = field(default_factory=list)  # each with the clause it governs (clauses.py)
    acronyms: set[str] = field(default_factory=set)  # names written in capitals ("ID", "QMS"), lower-cased

    def add(self, kind: str, value: str) -> None:
        self.by_kind.setdefault(kind, Counter())[value] += 1
        self.order.setdefault(kind, []).append(value)


def _amount(raw: str, scale: str | None = None) -> str:
    value = float(raw.replace(",", ""))
    value *= {"k": 1e3, "hundred": 1e2, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}.get(
        (scale or "").lower(), 1
    )
    return f"{value:g}" if value < 1e15 else str(value)


_CURRENCY_SIGNS = {"$": "usd", "\u20ac": "eur", "\u00a3": "gbp", "\u00a5": "jpy"}
CURRENCY_WORDS = {
    "usd": "usd", "dollar": "usd", "dollars": "usd", "bucks": "usd", "eur": "eur", "euro": "eur", "euros": "eur",
    "gbp": "gbp", "pound": "gbp", "pounds": "gbp", "chf": "chf", "jpy": "jpy", "yen": "jpy", "sek": "sek",
    "cad": "cad", "aud": "aud", "inr": "inr", "rupees": "inr",
}  # fmt: skip
_CURRENCY_WORD = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_SCALE = r"((?i:k|hundred|thousand|m|million|bn|billion))?"  # "1.2M" = "1.2m" = "1.2 million"
_NUM = r"(\d[\d,]*(?:\.\d+)?)"


def _url(raw: str) -> str:
    """ "https://www.x.org/a/" = "x.org/a": an editor may write the scheme, "www." or the last slash, or leave them."""
    return re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", raw).lower().rstrip("/")


def _time(hour: str, minute: str | None, half: str | None) -> str:
    h, m = int(hour), int(minute or 0)
    if half:
        h = h % 12 + (12 if half.lower() == "p" else 0)
    return f"{h:02d}:{m:02d}"


# (kind, pattern, value from match). Order matters: see the module docstring.
Extractor = tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]]
_EXTRACTORS: list[Extractor] = [
    ("code", re.compile(r"`([^`\n]+)`"), lambda m: m.group(1).strip()),
    ("url", re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]"), lambda m: _url(m.group(0))),
    # A URL without a scheme: a host name with a path ("give.riverkeepers.org/winter"); the path is part of the fact.
    (
        "url",
        re.compile(
            r"(?i)(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}/[^\s<>\"']*[^\s<>\"'.,;:!?)]|"
            r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}/(?=[\s.,;:!?)]|$)"
        ),
        lambda m: _url(m.group(0)),
    ),
    ("email", re.compile(r"(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), lambda m: m.group(0).lower()),
    ("issue", re.compile(r"(?<![\w&])#\d+\b"), lambda m: m.group(0)),
    # A channel or tag: "#eng-backend" is not "#eng-frontend".
    ("identifier", re.compile(r"(?<![\w&])#[A-Za-z][\w-]*[A-Za-z0-9]"), lambda m: m.group(0).lower()),
    (
        "file",
        re.compile(rf"(?i)(?<![\w@/.-])(?:~?/)?(?:[\w.-]+/)*[\w-]+(?:\.[\w-]+)*\.(?:{_FILE_EXTENSIONS})\b"),
        lambda m: m.group(0).lower(),
    ),
    (
        "version",
        re.compile(r"(?i)\bv(\d+(?:\.\d+)*)\b|\b(\d+\.\d+\.\d+(?:\.\d+)*)\b"),
        lambda m: m.group(1) or m.group(2),
    ),
    (
        "host",
        re.compile(r"(?i)\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z][a-z0-9-]*[a-z0-9])\b(?!\.\w)"),
        lambda m: m.group(0).lower(),
    ),
    (
        "date",
        re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
        lambda m: f"{int(m.group(1))}-{int(m.group(2)):02d}-{int(m.group(3)):02d}",
    ),
    (
        "time",
        re.compile(r"(?i)\b(\d{1,2})(?::(\d{2}))?\s*([ap])m\b"),
        lambda m: _time(m.group(1), m.group(2), m.group(3)),
    ),
    ("time", re.compile(r"\b([01]?\d|2[0-3])[:h]([0-5]\d)\b"), lambda m: _time(m.group(1), m.group(2), None)),
    (
        "currency",
        re.compile(rf"(?i)([$\u20ac\u00a3\u00a5])\s?{_NUM}\s?{_SCALE}\b"),
        lambda m: f"{_CURRENCY_SIGNS[m.group(1)]} {_amount(m.group(2), m.group(3))}",
    ),
    (
        "currency",
        re.compile(rf"(?i)\b{_NUM}\s?{_SCALE}\s?({_CURRENCY_WORD})\b"),
        lambda m: f"{CURRENCY_WORDS[m.group(3).lower()]} {_amount(m.group(1), m.group(2))}",
    ),
    (
        "currency",
        re.compile(rf"(?i)\b({_CURRENCY_WORD})\s?{_NUM}\s?{_SCALE}\b"),
        lambda m: f"{CURRENCY_WORDS[m.group(1).lower()]} {_amount(m.group(2), m.group(3))}",
    ),
    ("percent", re.compile(rf"(?i){_NUM}\s?(?:%|percent\b|per cent\b|pct\b)"), lambda m: _amount(m.group(1))),
    (
        "identifier",
        re.compile(r"\b(?!\d+(?i:st|nd|rd|th)\b)(?:[A-Za-z_][\w-]*\d[\w-]*|\d+[A-Za-z_][\w-]*|[A-Za-z]\w*_\w+)\b"),
        lambda m: m.group(0).lower(),
    ),
    # Ordinals and plain numbers in one pass, so they are read in text order ("the 2 interns start on the 1st").
    (
        "number",
        re.compile(rf"\b(\d+)(?i:st|nd|rd|th)\b|(?<![\w.]){_NUM}\s?{_SCALE}(?![\w])"),
        lambda m: str(int(m.group(1))) if m.group(1) else _amount(m.group(2), m.group(3)),
    ),
]


def _split_units(text: str) -> str:
    """'10mb' -> '10 mb', so a unit glued to a number is not read as an identifier."""

    def split(match: re.Match[str]) -> str:
        unit = match.group(2).lower()
        return f"{match.group(1)} {_GLUED_UNIT_WORDS.get(unit, match.group(2))}" if unit in _UNITS else match.group(0)

    return re.sub(r"\b(\d+(?:\.\d+)?)([A-Za-z]{1,4})\b", split, text)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(*-\u2022")
    if before.endswith(".") and _after_abbreviation(before):
        return False  # "Dr. Okoro": a title's period does not end a sentence
    return not before or before[-1] in ".!?\n:" or re.search(r"(?m)^\s*\d+[.)]$", before[-4:]) is not None


def _after_abbreviation(before: str) -> bool:
    last = re.search(r"([A-Za-z.]+)\.$", before)
    return last is not None and last.group(1).replace(".", "").lower() in vocab.ABBREVIATIONS


def _take(pattern: re.Pattern[str], value: Callable[[re.Match[str]], str], work: str) -> tuple[str, list[str]]:
    """The text with every match blanked, and the value of each match in text order."""
    found: list[str] = []

    def blank(match: re.Match[str]) -> str:
        found.append(value(match))
        return _BLANK

    return pattern.sub(blank, work), found


_CARDINALS_TEXT = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"""
_CARDINALS = {word: int(NUMBER_WORDS[word]) for word in _CARDINALS_TEXT.split()}
_ORDINALS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
             "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th", "eleventh": "11th",
             "twelfth": "12th"}  # fmt: skip
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def _a_second(words: list[str], i: int) -> bool:
    """ "wait a second", "per second": the unit of time, not the ordinal."""
    return words[i] == "second" and i > 0 and words[i - 1] in {"a", "per", "each", "every", "one", "split"}


def digits_for_number_words(text: str) -> str:
    """Number words written as digits ("three" -> 3, "twenty-five" -> 25, "first" -> 1st) where they count
    (_is_number_word), so that digits and words are read in text order: "the 3 new hires starting march 2" and "the
    three new hires starting March 2" give the numbers 3, 2 in that order. "hundred", "dozen", "half", "twice" and
    "a second" keep their words (they are read as before)."""
    matches = list(re.finditer(r"[A-Za-z][A-Za-z']*", text))
    words = [m.group(0).lower() for m in matches]
    out, last, skip = [], 0, False
    for i, match in enumerate(matches):
        if skip:
            skip = False
            continue
        word = words[i]
        value: str | None = None
        end = match.end()
        if (
            word in _TENS
            and i + 1 < len(matches)
            and _CARDINALS.get(words[i + 1], 10) < 10
            and text[end : matches[i + 1].start()] in {" ", "-"}
        ):
            value, end, skip = str(_CARDINALS[word] + _CARDINALS[words[i + 1]]), matches[i + 1].end(), True
        elif (word in _CARDINALS or word in _ORDINALS) and _is_number_word(words, i) and not _a_second(words, i):
            value = str(_CARDINALS[word]) if word in _CARDINALS else _ORDINALS[word]
        if value is not None:
            out.append(text[last : match.start()] + value)
            last = end
    out.append(text[last:])
    return "".join(out)


def extract(text: str) -> Facts:
    """The facts of a normalized text (see normalize.normalize)."""
    facts = Facts()
    work = _split_units(digits_for_number_words(text))
    facts.word_order = tokens(work)
    facts.words = set(facts.word_order)
    _extract_vocabulary(work.lower(), facts)
    for kind, pattern, value in _EXTRACTORS:
        work, found = _take(pattern, value, work)
        for fact in found:
            facts.add(kind, fact)
    _extract_words(work, facts)
    _extract_names(work, facts)
    _extract_list_items(work, facts)
    return facts


def _extract_words(work: str, facts: Facts) -> None:
    lower = work.lower()
    lower = re.sub(r"\bno (?:later|more) than\b", " before ", lower) if "no later than" in lower else lower
    lower = re.sub(r"\bat (least|most)\b", r"\1", lower)
    lower = re.sub(r"\bup to\b", " max ", lower)
    found = list(re.finditer(r"[a-z][a-z'-]*", lower))
    words = [match.group(0) for match in found]
    for i, word in enumerate(words):
        word = word.removesuffix("'s").removesuffix("'")  # "tuesday's outage", "the kids' dentist"
        if word.endswith("s") and word[:-1] in RELATIVE_DAYS:
            word = word[:-1]  # "yesterdays release": the possessive without its apostrophe
        near_number = _near_number(lower, word)
        after_number = re.search(r"[\d\u00b7]\s*$", lower[: found[i].start()]) is not None  # "15 min", "3 · min"
        if word in MONTHS and (word != "may" or near_number):
            facts.add("month", MONTHS[word])
        elif word in WEEKDAYS:
            facts.add("weekday", WEEKDAYS[word])
        elif word in vocab.SHORT_WEEKDAYS and _short_weekday(lower, found[i], words[max(i - 2, 0) : i]):
            facts.add("weekday", vocab.SHORT_WEEKDAYS[word])  # "before sat", not "she sat down"
        elif "-" in word and all(part in _CALENDAR_PARTS for part in word.split("-")):
            for part in word.split("-"):  # "mon-fri" = "Monday to Friday", "fri-sun"
                facts.add("month" if part in MONTHS else "weekday", _CALENDAR_PARTS[part])
        elif "-" in word and _part_of_month(word):
            facts.add("month", MONTHS[word.partition("-")[2]])  # "mid-october" = "mid oct"
        elif word in RELATIVE_DAYS:
            facts.add("date", word)
        if word in NEGATIONS:
            facts.add("negation", "never" if word == "never" else "not")  # "without X" = "with no X" = "no X"
        need_as_verb = word in {"need", "needs", "needed"} and (
            i + 1 >= len(words) or words[i + 1] not in {"to", "not"}
        )
        if word in MODALS and not (word == "may" and near_number) and not need_as_verb:
            facts.add("modality", MODALS[word])
        if word in BOUNDS and not (
            (word == "min" and (after_number or (i and words[i - 1] in {"mins"})))
            or (word == "since" and not _since_a_time(lower, found[i], words, i))
        ):
            facts.add("bound", BOUNDS[word])
        if word in OUTCOMES:
            facts.add("outcome", OUTCOMES[word])
        if word in NUMBER_WORDS and _is_number_word(words, i):
            facts.add("number", f"{NUMBER_WORDS[word]:g}")
        if word in UI_PLACES:
            facts.add("place", word)
    for match in re.finditer(rf"\b([a-z][a-z-]+) (?:{_UI_NOUNS})\b", lower):
        if match.group(1) not in _NOT_PLACE_NAMES:
            facts.add("place", match.group(0))


_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_PERIODS = "|".join(sorted(vocab.PERIOD_NOUNS, key=len, reverse=True))
_PER_NOUNS = "|".join(sorted({**vocab.PERIOD_NOUNS, **vocab.PER_NOUNS}, key=len, reverse=True))
_UNIT_WORDS = "|".join(sorted(vocab.UNITS, key=len, reverse=True))
_PER = re.compile(rf"\b(?:per|/)\s?({_PER_NOUNS})s?\b")
# "every second day" is every other day, not a period of one second.
_EVERY = re.compile(rf"\b(?:every|each)\s+({_PERIODS})\b(?!\s+(?:{_PERIODS})\b)")
_A_PERIOD = re.compile(rf"(?:\d|\b(?:{_NUMBER_WORD}|once|twice|thrice|times))\s*(?:[a-z]+\s+)?\ban?\s+({_PERIODS})\b")
# Commas only between digits: "safari 17, users get 403" has no count of users.
# A number word and its unit are two words: "ones" is not "one s(econd)".
_CARDINAL_WORD = "|".join(sorted([*_CARDINALS_TEXT.split(), "hundred", "thousand", "dozen"], key=len, reverse=True))
# A number word and its unit are two words: "ones" is not "one s(econd)"; an ordinal is no count ("every second day").
_UNIT = re.compile(
    rf"(?<![\w.])(?:\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?k\b)?\s?-?|\b(?:{_CARDINAL_WORD})[\s-]+)({_UNIT_WORDS})\b"
)
_TWO_WORD_COMPARISON = re.compile(r"\b(?:more|most|less|least) (expensive|difficult)\b")
# "sign up" / "sign-up" / "signup" is not "sign in" = "log in" = "login", nor "log out".
_ACCOUNT_ACTION = re.compile(r"\b(sign|log)[ -]?(up|in|on|out|off)\b")
# A time limit set by a span of the calendar: "by the end of the month", "before the end of the week", "by next
# week", "within the day". An answer that adds one adds a deadline the user never set (weekdays, dates and "within 2
# days" are facts of their own kinds).
_DEADLINE = re.compile(
    r"\b(?:by|before|until|till|within|end of|eo)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:this\s+|next\s+|"
    r"the\s+)?(day|week|weekend|month|quarter|year|sprint|semester|term|shift)\b"
)
_TITLE_AT = re.compile(rf"\b({'|'.join(vocab.TITLES)})\b\.?")


def _extract_vocabulary(lower: str, facts: Facts) -> None:
    """The second round of kinds (vocabulary.py, clauses.py), read from the text before any span is blanked."""
    for match in _TWO_WORD_COMPARISON.finditer(lower):
        facts.add("comparison", vocab.COMPARISONS[match.group(0)])
    lower_rest = _TWO_WORD_COMPARISON.sub(" ", lower)
    for pattern, nouns in ((_PER, {**vocab.PERIOD_NOUNS, **vocab.PER_NOUNS}), (_EVERY, vocab.PERIOD_NOUNS)):
        for match in pattern.finditer(lower_rest):
            facts.add("period", nouns[match.group(1)])
    for match in _A_PERIOD.finditer(lower_rest):
        facts.add("period", vocab.PERIOD_NOUNS[match.group(1)])
    for match in _UNIT.finditer(lower_rest):
        facts.add("unit", vocab.UNITS[match.group(1)])
    for match in _DEADLINE.finditer(lower_rest):
        facts.add("deadline", match.group(1))
    for match in _TITLE_AT.finditer(lower_rest):
        facts.add("title", vocab.TITLES[match.group(1)])
    for match in _ACCOUNT_ACTION.finditer(lower_rest):
        facts.add("term", vocab.ACCOUNT_ACTIONS[match.group(1) + match.group(2)])
    # "the kids' room", "the cat's limp"
    words = [word.removesuffix("'s").removesuffix("'") for word in re.findall(r"[a-z0-9][a-z0-9'-]*", lower_rest)]
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in vocab.COMPARISONS and not (word == "longer" and before == "no"):
            facts.add("comparison", vocab.COMPARISONS[word])
        if word in vocab.PERIOD_ADVERBS:
            facts.add("period", vocab.PERIOD_ADVERBS[word])
        if word in vocab.DAYPARTS:
            facts.add("daypart", vocab.DAYPARTS[word])
        term = _term(word)
        if term:
            facts.add("term", term)
        if word in vocab.QUANTITIES and _is_quantity(word, before, after):
            facts.add("quantity", vocab.QUANTITIES[word])
    for relation in relations(lower):
        facts.add("relation", relation)
    facts.conditions = conditions(lower)
    for condition in facts.conditions:
        facts.add("condition", condition.marker)


_TIME_AFTER_SINCE = RELATIVE_DAYS | {"last", "then", "yesterday", "early", "late", "mid", "noon", "midnight", "this"}


def _since_a_time(lower: str, match: re.Match[str], words: list[str], i: int) -> bool:
    """ "since 14:20", "since monday", "since last week", "since the 3rd" is a bound in time. Otherwise "since" gives a
    reason ("since their draft is one-way", "since autopay failed") or points at an event ("since the outage"),
    and an answer that changes the event changes other words: only the bound in time is a fact of its own here."""
    if re.match(r"\s*(?:the\s+)?[\d\u00b7]", lower[match.end() :]):
        return True
    following = words[i + 1] if i + 1 < len(words) else ""
    return following in _TIME_AFTER_SINCE or following in WEEKDAYS or following in MONTHS


_CALENDAR_PARTS = {**MONTHS, **WEEKDAYS, **vocab.SHORT_WEEKDAYS}
_MONTH_PARTS = frozenset({"mid", "early", "late", "end", "start", "pre", "post"})


def _part_of_month(word: str) -> bool:
    part, _, month = word.partition("-")
    return part in _MONTH_PARTS and month in MONTHS and month != "may"


def _term(word: str) -> str | None:
    """The closed word group of a word, as listed or as a verb form: "starting" = "start", "closing" = "close". Not
    plurals, which the lists spell out ("devs" is not "dev")."""
    if word in vocab.TERMS:
        return vocab.TERMS[word]
    for suffix in ("ing", "ed"):
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            for candidate in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem):
                if candidate in vocab.TERMS:
                    return vocab.TERMS[candidate]
    return None


def _short_weekday(lower: str, match: re.Match[str], before: list[str]) -> bool:
    """ "sat"/"sun" name a day after a word like "on", "before", "for", after another day ("sat and sun"), or before a
    date ("sat the 14th")."""
    if before and before[-1] in vocab.WEEKDAY_LEADS:
        return True
    days = WEEKDAYS.keys() | vocab.SHORT_WEEKDAYS.keys()
    if len(before) == 2 and before[0] in days and before[1] in {"and", "or", "to", "through", "thru"}:
        return True
    if re.match(r"\s+(?:morning|afternoon|evening|night|am|pm)\b", lower[match.end() :]):
        return True  # "come sat morning"
    if re.search(r"\u00b7\s*$", lower[: match.start()]):
        return True  # right after a time or a date: "at 8pm sat"
    days = "|".join(sorted(WEEKDAYS.keys() | vocab.SHORT_WEEKDAYS.keys(), key=len, reverse=True))
    if re.match(rf"\s*(?:[+&/,-]|and|or|to|through|thru)\s*(?:{days})\b", lower[match.end() :]):
        return True  # "skipped sat + sun", "sat/sun"
    if re.search(rf"\b(?:{days})\s*(?:[+&/,-]|and|or|to|through|thru)\s*$", lower[: match.start()]):
        return True
    return re.match(r"\s*,?\s*(?:the\s+)?[\d\u00b7]", lower[match.end() :]) is not None


def _is_quantity(word: str, before: str, after: str) -> bool:
    """'all users', 'some files'; not 'every day' (a period), 'every 2 days', 'every monday', 'at all' or 'all set'."""
    if after[:1].isdigit():
        return word not in {"every", "each"}
    if word in {"every", "each"}:
        following = after.removesuffix("s")
        return not (following in vocab.PERIOD_NOUNS or after in WEEKDAYS or after in NUMBER_WORDS or after == "other")
    if word == "all":
        return before not in {"at", "after"} and after not in {"set", "right", "good"}
    return True


def _near_number(lower: str, word: str) -> bool:
    return re.search(rf"\b{word}\s+\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?{word}\b", lower) is not None


def _is_number_word(words: list[str], i: int) -> bool:
    word = words[i]
    before = words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if word == "one":  # "the one", "no one", "one of", "if one is available"
        return before not in {
            "the",
            "this",
            "that",
            "no",
            "any",
            "every",
            "each",
            "which",
            "some",
            "if",
        } and after not in {
            "of",
            "another",
            "is",
            "was",
            "has",
        }
    if word == "second" and after in {"opinion", "look", "thought"}:
        return False
    if word == "first" and before not in {"the", "a"}:
        return after not in {"", "time"} or before == ""  # "compare quotes first" is an order, kept as one
    return not (word == "half" and before == "at")


_NOT_NAMES = {"I", "OK", "A", "AM", "PM"}
# Words before "page", "tab", "menu"... that do not name which one: "the page", "on tab 2", "each screen".
_NOT_PLACE_NAMES_TEXT = """the a an this that each every new same whole on in at to of from for by with into onto per
next previous last other another which any some our your my their his her its"""
_NOT_PLACE_NAMES = frozenset(_NOT_PLACE_NAMES_TEXT.split())


def _extract_names(work: str, facts: Facts) -> None:
    """Named things: capitalised words inside a sentence, and acronyms anywhere (lower-cased)."""
    # Letters of any alphabet after the capital: "Tomás" is one name, not "Tom".
    for match in re.finditer(r"\b[A-Z][^\W\d_]*(?:['-][^\W\d_]+)*|\b[A-Z]\b", work):
        word = match.group(0)
        bare = word.lower().removesuffix("'s")
        if word in _NOT_NAMES or bare in MONTHS or bare in WEEKDAYS or bare in vocab.TITLES:
            continue
        acronym = len(word) >= 2 and word.isupper()
        camel = re.search(r"[a-z][A-Z]", word) is not None
        if acronym or camel or not _sentence_initial(work, match.start()):
            facts.add("name", word.lower().removesuffix("'s"))
        if acronym:
            facts.acronyms.add(bare)


_LIST = re.compile(r"(?i)([^,;:.!?\n]+(?:,\s*[^,;:.!?\n]+)+,?\s+(?:and|or)\s+[^,;:.!?\n]+)")
_PAIR = re.compile(r"(?i)\b([a-z][\w-]*)\s+(?:and|or|&)\s+(?:\d+\s+)?([a-z][\w-]*)\b")
_VERB_PHRASE = re.compile(r"(?i)\s+(?:the|a|an|his|her|their|our|my|your|its|it|them|him|us|me|this|that|these)\b")
# "conference swag: tote bags, stickers, water bottles, lanyards": a list after a colon needs no "and".
_PRONOUNS = frozenset({"i", "me", "you", "he", "him", "she", "her", "we", "us", "they", "them", "it", "myself"})
_CLAUSE_WORDS = frozenset(NEGATIONS | BOUNDS.keys() | MODALS.keys() | {"is", "are", "was", "be", "if"})
_COLON_LIST = re.compile(r":\s*([^,;:.!?\n]+(?:,\s*[^,;:.!?\n]+){2,})")
_BULLET = re.compile(r"(?m)^\s*(?:[-*\u2022]|\d+[.)])\s+(.+)$")


def inline_lists(text: str) -> list[list[str]]:
    """The items of each inline list of a text ("milk, eggs and bread"), as written, empty parts left out."""
    return [
        [part for part in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", match.group(1)) if part.strip()]
        for match in _LIST.finditer(text)
    ]


def _extract_list_items(work: str, facts: Facts) -> None:
    """The items of a list: the last word of each comma item, both words around 'and'/'or', each bullet line's words."""
    items: list[str] = []
    for parts in inline_lists(work):
        for part in parts:
            words = re.findall(r"[A-Za-z][\w'-]*", part)
            if words:
                items.append(words[-1])
    for match in _PAIR.finditer(work):
        if _VERB_PHRASE.match(work, match.end()):
            continue  # "tell the homeowner and move the crew": two actions, each may be reworded
        items.extend([match.group(1), match.group(2)])
    for match in _COLON_LIST.finditer(work):
        parts = [re.findall(r"[A-Za-z][\w'-]*", part) for part in match.group(1).split(",")]
        # Items are short names of things; "store credit only, no cash, max $100" are clauses of rules.
        if all(words and len(words) <= 3 and not _CLAUSE_WORDS & {w.lower() for w in words} for words in parts):
            items.extend(words[-1] for words in parts)
    for match in _BULLET.finditer(work):
        items.extend(re.findall(r"[A-Za-z][\w'-]{3,}", match.group(1)))
    for line in work.splitlines():
        # An inline list of dashes: "agenda - budget review - hiring plan - q3 goals" (two dashes at least).
        parts = re.split(r"(?<!^)\s-\s?(?=[A-Za-z])", line.strip())
        if len(parts) >= 3:
            for part in parts[1:]:
                words = re.findall(r"[A-Za-z][\w'-]*", part)
                if words:
                    items.append(words[-1])
    for item in items:
        if item.lower() not in _PRONOUNS:  # "me and john" = "John and I"
            facts.add("list_item", item.lower())
