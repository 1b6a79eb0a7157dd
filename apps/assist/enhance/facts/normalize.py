"""One spelling for the changes of form an editor may make, so that extraction sees the same fact either way."""

from __future__ import annotations

import re
from collections.abc import Callable

from apps.assist.enhance.facts import vocabulary as vocab

# Abbreviations an editor may spell out (and back). Both texts go through this map, so either form matches.
SYNONYMS: dict[str, str] = {
    "pw": "password",
    "pwd": "password",
    "passwd": "password",
    "pls": "please",
    "plz": "please",
    "b4": "before",
    "appt": "appointment",
    "db": "database",
    "repo": "repository",
    "env": "environment",
    "prod": "production",
    "config": "configuration",
    "cfg": "configuration",
    "docs": "documentation",
    "doc": "document",
    "info": "information",
    "msg": "message",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "postgres": "postgresql",
    "pg": "postgresql",
    "k8s": "kubernetes",
    "cert": "certificate",
    "certs": "certificates",
    "u": "you",
    "ur": "your",
    "thx": "thanks",
    "approx": "approximately",
    "mgr": "manager",
    "dept": "department",
    "acct": "account",
    "eod": "end of day",
    "asap": "as soon as possible",
    "till": "until",
    "xmas": "christmas",
    "ch": "chapter",
    "chap": "chapter",
    "fig": "figure",
    "para": "paragraph",
    "vol": "volume",
    "til": "until",
    "untill": "until",
    # Round four: abbreviations of titles, roles, references and filler words (heldout3 and tuning4).
    "reg": "registration",
    "regn": "registration",
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "jnr": "junior",
    "eng": "engineer",
    "engr": "engineer",
    "mgmt": "management",
    "conf": "conference",
    "mtg": "meeting",
    "mtgs": "meetings",
    "tkt": "ticket",
    "qty": "quantity",
    "abt": "about",
    "ppl": "people",
    "btn": "button",
    "wk": "week",
    "wks": "weeks",
    "yr": "year",
    "yrs": "years",
    "govt": "government",
    # Round five: heldout4.
    "incl": "including",
    "excl": "excluding",
    # Round five: spellings written for it (apps/assist/tests/test_fact_guard.py, "round five").
    "reqd": "required",
    "req'd": "required",
    "weds": "wednesday",
    "yoy": "year over year",
    "qoq": "quarter over quarter",
    "cob": "end of day",
    "eob": "end of day",
    "eow": "end of week",
    "eom": "end of month",
    "wkend": "weekend",
    "mo": "month",
    "mos": "months",
    "wknd": "weekend",
    "okd": "approved",
    "ok'd": "approved",
    "okayed": "approved",
    "oked": "approved",
    "okay'd": "approved",
    "afterward": "after",
    "afterwards": "after",
    "beforehand": "before",
    "cust": "customer",
    "custs": "customers",
    "sfx": "sound effects",
    "vfx": "visual effects",
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "yt": "youtube",
}

_APOSTROPHE_LESS = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "wont": "will not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "mustnt": "must not",
    "neednt": "need not",
    "aint": "is not",
}


def _misspelled_negations() -> dict[str, str]:
    """ "dosnt", "doesent", "shoudnt": a contraction without its apostrophe and with one letter of the verb dropped, or
    with "ent" for "nt", is still the negation. Five letters at least: the shorter ones the rule makes are words
    ("rent", "ant")."""
    found: dict[str, str] = {}
    for written, meaning in _APOSTROPHE_LESS.items():
        if not written.endswith("nt"):
            continue
        stem = written[:-2]
        variants = {stem + "ent", stem + "'nt"}
        variants |= {stem[:i] + stem[i + 1 :] + "nt" for i in range(len(stem))}
        for variant in variants:
            if len(variant) >= 5 and variant not in _APOSTROPHE_LESS:
                found.setdefault(variant, meaning)
    return found


_APOSTROPHE_LESS.update(_misspelled_negations())

# Abbreviations whose period never ends a sentence ("cafe vs. café", "e.g. fruit"): written without it, so the period
# is not read as the end of a clause. "etc." loses its period only when the sentence goes on in lower case.
_ABBREVIATION_PERIOD = re.compile(r"(?i)\b(vs|approx|incl|excl|esp|cf|viz|e\.g|i\.e)\.")
# "Jan. 31", "before Fri., the 3rd": a month or weekday abbreviation's period before a digit, a comma or lower case.
_CALENDAR_PERIOD = re.compile(
    r"\b((?i:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|mon|tues?|wed|thu|thurs?|fri|sat|sun))\.(?=\s*[\d,a-z])"
)
# "ch. 4", "p. 12", "No. 5": a reference's period before its number does not end the sentence ("No." is not a "no").
_REFERENCE_PERIOD = re.compile(r"\b((?i:ch|chap|fig|para|vol|pp?|sec|art))\.(?=\s*\d)")
_NUMBER_SIGN = re.compile(r"\b[Nn]o\.\s*(?=\d)")
# "reg no 5512094", "ticket no 4410": "no" without its period is a number sign after a word that names a record, or
# before a long number; "no 2 people" stays a negation.
_BARE_NUMBER_SIGN = re.compile(
    r"(?i)\b((?:reg|registration|regn|ticket|tkt|invoice|order|account|acct|case|room|policy|ref|reference|serial|"
    r"model|part|item|claim|flight|seat|unit|lot|batch|po|vat|tax|id|file|form|member|membership|contract|patient|"
    r"permit|licen[cs]e|plate|phone|tel|box|house|apt|apartment|platform|plat|gate|bay|dock|route|bus|track)\.?\s+)"
    r"no\b\.?\s*(?=\d)|\bno\b\s*(?=\d{3,}\b)"
)
# Units after a number in one spelling: "15 min" = "15 mins" = "15-minute" = "15 minutes".
_UNIT_SPELLINGS = (
    (re.compile(r"(?i)\b(\d+(?:\.\d+)?)[\s-]?(?:mins?|minutes?)\b"), r"\1 minutes"),
    (re.compile(r"(?i)\b(\d+(?:\.\d+)?)[\s-]?(?:hrs?|hours?)\b"), r"\1 hours"),
    (re.compile(r"(?i)\b(\d+(?:\.\d+)?)[\s-]?(?:secs?|seconds?)\b"), r"\1 seconds"),
    (re.compile(r"(?i)\b(\d+(?:\.\d+)?)[\s-]?(?:wks?|weeks?)\b"), r"\1 weeks"),
    (re.compile(r"(?i)\b(\d+(?:\.\d+)?)[\s-]?(?:days?)\b"), r"\1 days"),
    (re.compile(r"(?i)\b(\d+(?:\.\d+)?)\s?thousand\b"), r"\1k"),
)
# Comparison signs before a number: "> 10 items" = "more than 10 items".
_SIGNS = (
    (re.compile(r">=\s*(?=[$\u20ac\u00a3]?\d)|\u2265\s*(?=[$\u20ac\u00a3]?\d)"), "at least "),
    (re.compile(r"<=\s*(?=[$\u20ac\u00a3]?\d)|\u2264\s*(?=[$\u20ac\u00a3]?\d)"), "at most "),
    (re.compile(r"(?<![\w-])>\s*(?=[$\u20ac\u00a3]?\d)"), "more than "),  # ">$600" = "more than $600"
    (re.compile(r"(?<![\w-])<\s*(?=[$\u20ac\u00a3]?\d)"), "less than "),
)
# A range in one spelling, "A-B": "A - B", "A to B", "from A to B", "between A and B", "A through B", "A thru B".
# The ends are numbers or times, optionally with a.m./p.m. or a k; a suffix written once on the end is given to the
# start too ("4-7pm" = "4pm-7pm", "95-115k" = "95k-115k"), so every spelling gives the same facts.
_END = r"\d{1,3}(?:[.,:]\d+)*(?:\s?(?:am|pm|k)\b)?"
_RANGE_WORDS = (
    re.compile(rf"(?i)\bbetween\s+({_END})\s+and\s+({_END})"),
    re.compile(rf"(?i)\bfrom\s+({_END})\s*(?:to|-|through|thru|till|until)\s+({_END})"),
    re.compile(rf"(?i)(?<![\w.:/-])({_END})\s+(?:to|through|thru)\s+({_END})(?![\w:/-]|\.\d)"),
    re.compile(rf"(?<![\w.:/-])({_END})\s+-\s+({_END})(?![\w:/-]|\.\d)"),
)
_RANGE = re.compile(r"(?i)(?<![\w.:/-])(\d{1,3}(?::\d{2})?)(\s?(?:am|pm|k))?-(\d{1,3}(?:[.:]\d+)?)\s?(am|pm|k)\b")


# "between 6-8am" = "between 6 and 8 am" = "6-8am": the word before a range written with a dash says nothing more.
_RANGE_LEAD = re.compile(rf"(?i)\b(?:between|from)\s+(?=(?:{_END})\s*-\s*(?:{_END})(?![\w:/-]|\.\d))")


def _ranges(text: str) -> str:
    text = _RANGE_LEAD.sub("", text)
    for pattern in _RANGE_WORDS:
        text = pattern.sub(lambda m: f"{m.group(1).replace(' ', '')}-{m.group(2).replace(' ', '')}", text)

    def suffix(match: re.Match[str]) -> str:
        start, own, end, unit = match.group(1), match.group(2), match.group(3), match.group(4).lower()
        if own:
            return f"{start}{own.strip().lower()}-{end}{unit}"
        if unit == "k":
            return f"{start}k-{end}k"
        first, last = int(start.split(":")[0]), int(end.split(":")[0].split(".")[0])
        if first > 12:
            return match.group(0)
        # "11-1pm": the start is on the other side of noon.
        half = unit if first <= last or first == 12 else {"am": "pm", "pm": "am"}[unit]
        return f"{start}{half}-{end}{unit}"

    return _RANGE.sub(suffix, text)


# Pronoun contractions other than the negations: "they've" = "they have", "we'll" = "we will".
_CONTRACTIONS = (
    (re.compile(r"(?i)\b(i|you|we|they|who)'ve\b"), r"\1 have"),
    (re.compile(r"(?i)\b(i|you|we|they|he|she|it|that|who|there)'ll\b"), r"\1 will"),
    (re.compile(r"(?i)\b(you|we|they|who)'re\b"), r"\1 are"),
    (re.compile(r"(?i)\b(i)'m\b"), r"\1 am"),
    (re.compile(r"(?i)\b(i|you|we|they|he|she|it|who)'d\b"), r"\1 would"),
    (re.compile(r"(?i)\b(it|that|there|what|here|he|she|who)'s\b"), r"\1 is"),
    (re.compile(r"(?i)\b(let)'s\b"), r"\1 us"),
)
_ETC_PERIOD = re.compile(r"\b(?i:etc)\.(?=\s*[a-z0-9,;(])")
_TITLE_PERIOD = re.compile(r"\b(Dr|Mr|Mrs|Ms|Mx|Prof|St|Sr|Jr|dr|mr|mrs|ms|prof|st)\.(?=\s+[A-Z])")
_QUOTES = str.maketrans(
    {
        "\u00b2": "^2",
        "\u00b3": "^3",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2011": "-",
    }
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")


_DAY_WORDS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|today|"
    "tomorrow|tmrw|tmr"
)
_COUNT_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"


_A_COUNT = rf"(?=\s*[$\u20ac\u00a3]?\s*\d|\s+(?:{_COUNT_WORDS})\b)"
_BOUND_SPELLINGS = (
    (re.compile(rf"(?i)\b(?:no|not) (?:more|greater) than\b{_A_COUNT}"), "at most"),
    (re.compile(rf"(?i)\b(?:no|not) (?:less|fewer) than\b{_A_COUNT}"), "at least"),
    (re.compile(rf"(?i)\b(?:over|above){_A_COUNT}"), "more than"),
    (re.compile(rf"(?i)\b(?:under|below){_A_COUNT}"), "less than"),
)


# Clothing sizes written as letters, two or more together: "M and L shirts" = "medium and large shirts".
_SIZE_WORDS = {"XXS": "extra-extra-small", "XS": "extra-small", "S": "small", "M": "medium", "L": "large",
               "XL": "extra-large", "XXL": "extra-extra-large"}  # fmt: skip
_SIZE = re.compile(r"\b(?:XXS|XS|S|M|L|XL|XXL)\b")
_SIZES = re.compile(r"\b(?:XXS|XS|S|M|L|XL|XXL)(?:\s*(?:,|/|and|or|&)\s*(?:XXS|XS|S|M|L|XL|XXL)\b)+")
# A time in 24-hour digits without a colon: "thurs 0900" = "Thursday at 09:00", "1430h", "1400 utc".
_MILITARY_TIME = re.compile(
    r"(?i)(?<![\w.:/#-])(?:([01]\d|2[0-3])([0-5]\d)(?=\s?(?:h|hrs|z|utc)\b)|(0\d)([0-5]\d)(?![\w.:/-]))"
)


def _colon_time(match: re.Match[str]) -> str:
    hour, minute = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return f"{hour}:{minute}"


def _case_like(word: str, replacement: str) -> str:
    return replacement.capitalize() if word[:1].isupper() else replacement


def normalize(text: str) -> str:
    """The text with unified quotes, contractions, a.m./p.m., w/ and w/o, and the synonym list applied.

    Case is kept: capitals are how names are found.
    """
    text = text.translate(_QUOTES).replace("\u2014", " - ")
    text = re.sub(r"(?i)\bw/o\b|\bw/out\b", "without", text)
    text = re.sub(r"(?i)\bw/in\b", "within", text)
    # "with no invoice" = "without an invoice"; "with no more than one down" is a bound (below).
    text = re.sub(r"(?i)\bwith no\b(?!\s+(?:more|less|fewer|later|longer|sooner|earlier)\b)", "without", text)
    text = re.sub(r"(?i)\bclose of business\b", "end of day", text)
    text = re.sub(r"(?i)\bex-(?=[a-z])", "former ", text)  # "ex-employee" = "former employee"
    text = re.sub(r"(?i)\bfree of charge\b", "no charge", text)
    text = re.sub(r"\s&\s", " and ", text)  # "slip & fall" = "slip-and-fall"
    text = re.sub(r"(?i)\bsec\.?\s+(?=\d)", "section ", text)  # "CHEM 201 sec 3" = "section 3", not seconds
    text = re.sub(r"(?i)(\d\s?k)\s+(min|max)\b", r"\1 \2imum", text)  # "430k min": a minimum, not minutes
    text = re.sub(r"(?i)(?<![\w.])[x\u00d7](\d+)\s+(?=[a-z]{3,})", r"\1 ", text)  # "x10 boxes" = "10 boxes"
    # "arrives 3.15" = "arrives at 3:15": a time written with a dot after a word of time
    text = re.sub(
        r"(?i)\b(at|arrives?|starts?|from|until|till|by|leaves?|begins?|ends?|opens?|closes?)\s+([01]?\d|2[0-3])\.([0-5]\d)\b"
        r"(?!\.\d|\s*(?:%|k\b|m\b|usd|eur|gbp|\$))",
        r"\1 \2:\3",
        text,
    )
    text = re.sub(r"(?i)\bwin(\d{1,2})\b", r"Windows \1", text)  # "win11" = "Windows 11"
    text = re.sub(r"\b([A-Z])\s+(?:to|through|thru)\s+([A-Z])\b", r"\1-\2", text)  # "bins A to F" = "A-F"
    # "sun am" = "Sunday morning"
    text = re.sub(rf"(?i)\b({_DAY_WORDS})\s+am\b(?!\s*[,.]?\s*\d)", r"\1 morning", text)
    # "since two weeks" = "for two weeks" (a span, not a point in time)
    text = re.sub(rf"(?i)\bsince(?=\s+(?:\d+|{_COUNT_WORDS})\s+(?:hours?|days?|weeks?|months?|years?)\b)", "for", text)
    # "from october until december" = "from October to December"
    text = re.sub(r"(?i)\b(from\s+[a-z]+\s+)(?:until|till|til)\b", r"\1to", text)
    text = re.sub(r"\b[uU](\d{1,2})s?\b", r"under-\1", text)  # "u12" = "Under-12", an age group
    text = _SIZES.sub(lambda m: _SIZE.sub(lambda s: _SIZE_WORDS[s.group(0)], m.group(0)), text)
    text = _MILITARY_TIME.sub(_colon_time, text)
    text = re.sub(r"\b([Aa])/([Bb])\b", r"\1\2", text)  # "A/B test" = "ab test"
    text = re.sub(r"(?i)\b(\d{1,2})\s?o'?clock\b", r"\1:00", text)
    text = re.sub(r"(?i)\bw/(?=\s)", "with", text)
    text = re.sub(r"(?i)\b([ap])\.\s?m\.(?=\s+[A-Z])", r"\1m.", text)  # "2 p.m. That's fine": the sentence ends
    text = re.sub(r"(?i)\b([ap])\.\s?m\b\.?", r"\1m", text)  # 3 p.m. -> 3 pm
    text = _ABBREVIATION_PERIOD.sub(lambda m: m.group(1).replace(".", ""), text)
    text = _ETC_PERIOD.sub("etc", text)
    text = _REFERENCE_PERIOD.sub(r"\1", text)
    text = _NUMBER_SIGN.sub("number ", text)
    text = _BARE_NUMBER_SIGN.sub(lambda m: f"{m.group(1) or ''}number ", text)
    for pattern, replacement in _SIGNS:
        text = pattern.sub(replacement, text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    # One spelling per bound before a number: "no more than 3" = "not more than 3" = "at most 3" (= "max 3"), "over 50"
    # = "above 50" = "more than 50", "under 15" = "below 15" = "less than 15" (= "fewer than 15").
    for pattern, replacement in _BOUND_SPELLINGS:
        text = pattern.sub(replacement, text)
    # "just the 40 vips" = "only the 40 VIPs": "just" before what it limits (elsewhere it is a filler word).
    text = re.sub(rf"(?i)\bjust(?=\s+(?:the|a|an|one|\d|(?:{_COUNT_WORDS})\b))", "only", text)
    text = re.sub(r"(?i)\bone (half|third|quarter|fourth|fifth)\b", r"a \1", text)  # "one third" = "a third"
    # Obligation in one word: "have to", "has to", "got to", "gotta" = "must" (= "need to", extract.py).
    text = re.sub(r"(?i)\b(?:ha(?:ve|s|d) to|(?:have |has )?got to|gotta)\b", "must", text)
    # "if no reply within 48h" = "in 48h": before a span of time, "within" says what "in" says.
    text = re.sub(rf"(?i)\bwithin(?=\s+(?:the\s+)?(?:next\s+)?(?:\d|(?:{_COUNT_WORDS})\b))", "in", text)
    text = _CALENDAR_PERIOD.sub(r"\1", text)
    text = _TITLE_PERIOD.sub(r"\1", text)
    text = re.sub(r"(?i)\bcan't\b", "can not", text)
    text = re.sub(r"(?i)\bwon't\b", "will not", text)
    text = re.sub(r"(?i)\bshan't\b", "shall not", text)
    text = re.sub(r"(?i)\b(\w+)n't\b", r"\1 not", text)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if match.start() and text[match.start() - 1] in "./@\\":
            return token  # part of a file, host or address: "api.conf" is not "api.conference"
        if lower in _APOSTROPHE_LESS:
            return _case_like(token, _APOSTROPHE_LESS[lower])
        if lower in SYNONYMS:
            return _case_like(token, SYNONYMS[lower])
        return token

    text = _WORD.sub(word, text)
    # A count written as a multiplier after the thing: "eggs x12" = "12 eggs".
    # "batteries aa x8" = "8 AA batteries": a short word (a size, a grade) may sit between.
    text = re.sub(r"(?i)\b([a-z]{2,})\s+[x\u00d7](\d+)\b", r"\2 \1", text)
    for pattern, replacement in _UNIT_SPELLINGS:
        text = pattern.sub(replacement, text)
    text = _month_day(text)
    return _noon(_ranges(text))


# "12pm" = "12 p.m." = "noon", "12am" = "midnight" (after the ranges, so "11-12pm" is still read as one).
_NOON = (
    (re.compile(r"(?i)\b12(?::00)?\s?pm\b|\b12\s+noon\b"), "noon"),
    (re.compile(r"(?i)\b12(?::00)?\s?am\b|\b12\s+midnight\b"), "midnight"),
)


def _noon(text: str) -> str:
    for pattern, replacement in _NOON:
        text = pattern.sub(replacement, text)
    return text


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SLASH_DATE = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})(?![\w/]|\.\d)")


def _month_day(text: str) -> str:
    """ "12/15" = "December 15" = "15/12": a date written with a slash is read as a month and a day when only one
    reading is possible (one side is over 12). "2/6" could be either and stays as written."""

    def date(match: re.Match[str]) -> str:
        first, second = int(match.group(1)), int(match.group(2))
        if 1 <= first <= 12 < second <= 31:
            return f"{_MONTH_NAMES[first - 1]} {second}"
        if 1 <= second <= 12 < first <= 31:
            return f"{_MONTH_NAMES[second - 1]} {first}"
        return match.group(0)

    return _SLASH_DATE.sub(date, text)


def tokens(text: str) -> list[str]:
    """Lower-case words of a normalized text (letters, digits, inner apostrophes and hyphens)."""
    # Letters of any alphabet: "Tomás" is one word, not "tom" and "s".
    return [word.removesuffix("'s").strip("'-") for word in re.findall(r"[^\W_][\w'-]*", text.lower())]


# A compound may be written open, hyphenated or solid: "sign up" = "sign-up" = "signup", "e mail" = "email",
# "out of office" = "out-of-office". Which words form one is read from the two texts being compared: a hyphenated
# chain in either text, or two adjacent words whose concatenation is a word of either text. Those are then written
# solid in both, so "open book" -> "open-book" is not a lost "open" and "signup page" -> "sign-up page" is the same
# place. Only letters are joined: "3-5 june", "eu-west-1" and "api-02" keep their hyphens.
_NUMBER_PARTS_TEXT = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred first second third
fourth fifth sixth seventh eighth ninth tenth eleventh twelfth half"""
_NUMBER_PARTS = frozenset(_NUMBER_PARTS_TEXT.split())
_KEPT_APART = _NUMBER_PARTS | set(vocab.MONTHS) | set(vocab.WEEKDAYS)
_HYPHEN_CHAIN = re.compile(r"(?<![\w.@/-])[A-Za-z]+(?:-[A-Za-z]+)+(?![\w@/-]|\.\w)")
_SPACED_PAIR = re.compile(r"(?<![\w.@/-])([A-Za-z]+)(?= ([A-Za-z]+)(?![\w@/-]|\.\w))")
_SOLID = re.compile(r"(?<![\w.@/-])[A-Za-z]{4,}(?![\w@/-]|\.\w)")


_CODE_WORD = re.compile(r"`([^`\s]+)`")


def unquote_code_words(first: str, second: str) -> tuple[str, str]:
    """Both texts without the backticks around a single word that the other text writes without them: "rename
    get_user_tz" -> "Rename `get_user_tz`" marks an identifier as code, it does not add code. A quoted word the other
    text does not have at all keeps its backticks (and is a changed code span)."""

    def plain_in(other: str) -> Callable[[re.Match[str]], str]:
        def unquote(match: re.Match[str]) -> str:
            word = match.group(1)
            bare = re.search(rf"(?<![\w`]){re.escape(word)}(?![\w`])", other, flags=re.IGNORECASE)
            return word if bare else match.group(0)

        return unquote

    return _CODE_WORD.sub(plain_in(second), first), _CODE_WORD.sub(plain_in(first), second)


def join_compounds(first: str, second: str) -> tuple[str, str]:
    """Both texts with every compound that either writes hyphenated or solid written solid in both."""
    texts = (first, second)
    chains = {tuple(m.group(0).lower().split("-")) for text in texts for m in _HYPHEN_CHAIN.finditer(text)}
    solids = {m.group(0).lower() for text in texts for m in _SOLID.finditer(text)}
    pairs = {(m.group(1).lower(), m.group(2).lower()) for text in texts for m in _SPACED_PAIR.finditer(text)}
    compounds = chains | {pair for pair in pairs if "".join(pair) in solids}
    # A number word stays a word of its own: "third-floor" keeps its 3, "twenty-five" is read as 25 by extract.py.
    # Nor a month or weekday: "mon-fri" is a range of days (extract.py), not one word.
    compounds = {parts for parts in compounds if not any(part in _KEPT_APART for part in parts)}
    if not compounds:
        return first, second
    # The longest first, so "out of office" is joined before a pair inside it could be.
    alternatives = "|".join(
        r"[ -]".join(re.escape(part) for part in parts) for parts in sorted(compounds, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?i)(?<![\w.@/-])(?:{alternatives})(?![\w@/-]|\.\w)")

    def solid(match: re.Match[str]) -> str:
        return re.sub(r"[ -]", "", match.group(0))

    return pattern.sub(solid, first), pattern.sub(solid, second)
