"""The comparison: which facts of the original the answer lost, which it added, and which it swapped around."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from apps.assist.enhance.facts.clauses import STOPWORDS, same_condition, same_relation, similar
from apps.assist.enhance.facts.extract import CURRENCY_WORDS, Facts, digits_for_number_words, extract
from apps.assist.enhance.facts.normalize import join_compounds, normalize, tokens, unquote_code_words
from apps.assist.enhance.facts.vocabulary import MONTHS, SHORT_WEEKDAYS, TERMS, UNITS, WEEKDAYS

# Kinds compared as multisets: each occurrence counts ("not ... not" is not "not").
COUNTED = (
    "code", "url", "email", "issue", "file", "version", "host", "date", "time", "currency", "percent", "number",
    "identifier", "month", "weekday", "negation", "condition",
)  # fmt: skip
# Kinds compared as sets: an editor may say a word of them once where the original said it twice.
PRESENT = (
    "modality", "bound", "outcome", "place", "comparison", "period", "daypart", "unit", "title", "quantity", "term",
    "deadline",
)  # fmt: skip
# Kinds whose order carries meaning: "revenue up 12%, costs down 3%" is not "up 3%, down 12%"; "from eu-west-1 to
# us-east-1" is not the way back; "keep the older laptop, sell the newer one" is not the other way round.
ORDERED = (
    "number", "percent", "currency", "time", "name", "identifier", "host", "email", "url", "issue", "file", "weekday",
    "month", "daypart", "comparison", "term",
)  # fmt: skip


_CALENDAR = {**MONTHS, **WEEKDAYS, **SHORT_WEEKDAYS}


@dataclass(frozen=True)
class Change:
    kind: str
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    reordered: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "removed": self.removed, "added": self.added, "reordered": self.reordered}


def compare_facts(original: str, answer: str) -> list[Change]:
    """Every fact kind in which `answer` differs from `original`; empty when the answer keeps all facts."""
    first, second = join_compounds(*unquote_code_words(normalize(original), normalize(answer)))
    before, after = extract(first), extract(second)
    _same_issue_number(before, after)
    _same_hour_and_amount(before, after)
    changes: list[Change] = []
    for kind in COUNTED + PRESENT:
        old, new = before.by_kind.get(kind, Counter()), after.by_kind.get(kind, Counter())
        if kind in PRESENT:
            old, new = Counter(set(old)), Counter(set(new))
        removed, added = sorted((old - new).elements()), sorted((new - old).elements())
        if kind == "term" and not removed:
            added = [term for term in added if not _only_as_first_verb(term, second)]
        if kind == "place":
            # "the 600s nonfiction" -> "the 600s nonfiction section": a screen or section noun after a word the
            # original has names the same place; "rotates screen" -> "rotates the screen" keeps every word.
            added = [place for place in added if place.split()[0] not in before.words]
            removed = [
                place for place in removed if not all(any(similar(w, o) for o in after.words) for w in place.split())
            ]
        if kind == "modality" and not removed and not before.by_kind.get("modality"):
            # "pt to pick up after 4pm" -> "the patient can pick it up", "hem needs 5cm shorter" -> "needs to be":
            # a text without any modal gains the one its wording implies. A modal changed or dropped still counts.
            added = []
        if removed or added:
            changes.append(Change(kind, removed, added))
    names = _name_change(before, after)
    if names:
        changes.append(names)
    relations = _relation_change(before, after)
    if relations:
        changes.append(relations)
    moved = _condition_change(before, after)
    if moved and "condition" not in {change.kind for change in changes}:
        changes.append(moved)
    lost_items = [item for item in before.order.get("list_item", []) if not _kept(item, after.words)]
    if lost_items:
        changes.append(Change("list_item", removed=sorted(set(lost_items))))
    swapped = _swapped_nouns(before, after)
    if swapped:
        changes.append(swapped)
    changes = _same_digits(first, second, changes)
    changed_kinds = {change.kind for change in changes}
    for kind in ORDERED:
        if kind in changed_kinds:
            continue
        by_clause = _clause_order(first, second, before, after, kind)
        # Text order changed and the clauses do not explain it, or the clauses disagree although text order agrees
        # ("book 3 rooms if more than 10 sign up" -> "if more than 3 sign up, book 10 rooms").
        if (by_clause is not True and _reordered(before, after, kind)) or by_clause is False:
            changes.append(Change(kind, reordered=True))
    return changes


_DIGIT_KINDS = frozenset({"number", "identifier", "time"})


def _same_digits(first: str, second: str, changes: list[Change]) -> list[Change]:
    """Numbers written another way: "expected 1430" -> "at 14:30", "3x12 squats" -> "3 x 12", "net 45" -> "net-45".
    When every change is in numbers, identifiers or times, each kind only lost or only gained values (a number
    became a time; not a time another time, nor an identifier another identifier: "x2lq" -> "x2lp"), and both texts
    have the same digits in the same order, nothing changed."""
    numeric = [change for change in changes if change.kind in _DIGIT_KINDS]
    if not numeric or len(numeric) != len(changes):
        return changes
    if any(change.removed and change.added for change in numeric):
        return changes
    if _digits(first) != _digits(second):
        return changes
    return []


def _digits(text: str) -> str:
    return "".join(re.findall(r"\d", digits_for_number_words(text)))


def _only_as_first_verb(term: str, text: str) -> bool:
    """ "thank you letters to the donors" -> "Write thank-you letters to the donors": a verb of the closed word groups
    (write, open, start...) that the answer only puts first in a sentence names the task the original implies; with
    nothing of its group removed it changes no fact. "read the logs" -> "Write the logs" removes "read" and is kept."""
    spellings = [spelling for spelling, canonical in TERMS.items() if canonical == term]
    pattern = re.compile(rf"(?i)\b(?:{'|'.join(map(re.escape, spellings))})\b")
    starts = [match.start() for match in pattern.finditer(text)]
    return bool(starts) and all(re.search(r"(?:^|[.!?:;\n])[\s\"'(*-]*$", text[:start]) for start in starts)


# Words that open a noun phrase: a concrete noun right after one of these, or after a number, fills a noun's slot.
_DETERMINERS_TEXT = """the a an my your our their his her its this that these those some any each every another extra
spare more additional"""
_DETERMINERS = frozenset(_DETERMINERS_TEXT.split())


# A preposition before the last word of a text: "allergic to penicillin" -> "allergic to amoxicillin".
_PREPOSITIONS = frozenset({"to", "on", "about", "for", "with", "from", "in", "at", "of", "into", "onto", "against"})
# Words another kind compares ("180 eur/night" = "€180 per night"), and "per", which a unit's slash is read as.
_READ_BY_KIND = frozenset({*UNITS, *CURRENCY_WORDS, "per"})


def _swapped_nouns(before: Facts, after: Facts) -> Change | None:
    """An ordinary noun swapped for another in the same slot: "away from the elevator" -> "away from the bar",
    "the stairwell door doesnt lock" -> "the stairwell window". Conservative: one word replaced by one word, with the
    same word before it (a determiner, a number or the same modifier) and the same word after it (or the end), where
    neither word occurs anywhere in the other text and neither is an inflection, spelling or shortening of the other.
    A synonym in the same slot ("the bug" -> "the issue") is refused too; the user keeps their text."""
    old, new = before.word_order, after.word_order
    removed, added = [], []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
            continue
        if i1 == 0 or j1 == 0:
            # The first word of the text, the action of a task: "cover the hydrangeas" -> "Water the hydrangeas".
            a, b = old[i1], new[j1]
            if (
                i1 == j1 == 0
                and i2 < len(old)
                and j2 < len(new)
                and old[i2] == new[j2]
                and old[i2] in _DETERMINERS
                and a.isalpha()
                and b.isalpha()
                and len(a) >= 3
                and len(b) >= 3
                and a not in after.words
                and b not in before.words
                and not _spelling(a, b)
                and a not in TERMS
                and b not in TERMS
            ):
                removed.append(a)
                added.append(b)
            continue
        a, b = old[i1], new[j1]
        if not (a.isalpha() and b.isalpha() and len(a) >= 3 and len(b) >= 3):
            continue
        if a in STOPWORDS or b in STOPWORDS or a in after.words or b in before.words or _spelling(a, b):
            continue
        if a in TERMS or b in TERMS or a in _READ_BY_KIND or b in _READ_BY_KIND:
            continue  # closed word groups (kids = children), units and currencies are compared by their kinds
        prev_a, prev_b = old[i1 - 1], new[j1 - 1]
        next_a = old[i2] if i2 < len(old) else ""
        next_b = new[j2] if j2 < len(new) else ""
        if prev_a != prev_b or next_a != next_b:
            continue  # the same slot
        opened = prev_a in _DETERMINERS or prev_a.isdigit()
        after_preposition = prev_a in _PREPOSITIONS and not next_a
        if next_a and next_a not in STOPWORDS:
            # Not the end of the noun phrase: the word modifies the same head noun after it, "the apple tree" ->
            # "the plum tree", "500 tote bags" -> "500 gift bags". Only right after a determiner or a number.
            if opened and next_a.isalpha():
                removed.append(a)
                added.append(b)
            continue
        # after one or two modifiers: "the stairwell door", "a new shower chair"
        opens = [i1 - 2] if i1 >= 2 else []
        opens += [i1 - 3] if i1 >= 3 and old[i1 - 2] not in STOPWORDS and not old[i1 - 2].isdigit() else []
        modified = prev_a not in STOPWORDS and (
            (i1 >= 2 and old[i1 - 2].isdigit()) or any(old[k] in _DETERMINERS for k in opens)
        )
        if opened or modified or after_preposition:
            removed.append(a)
            added.append(b)
    return Change("word", sorted(removed), sorted(added)) if removed else None


def _spelling(a: str, b: str) -> bool:
    """Inflected, misspelled, possessive, shortened or abbreviated by dropping letters ("biz" = "business")."""
    if similar(a, b) or a.rstrip("s") == b.rstrip("s"):
        return True
    short, long = sorted((a, b), key=len)
    letters = iter(long)
    return short[0] == long[0] and all(letter in letters for letter in short)


def _same_hour_and_amount(before: Facts, after: Facts) -> None:
    """ "the van leaves at 5" -> "at 5:00", "a 249.99 charge" -> "a $249.99 charge", "91%, page if over 95" -> "over
    95%": a bare number one side writes as the same whole hour, the same amount with a currency, or (where that side
    already counts in percent) the same percentage on the other is the same fact."""
    for one, other in ((before, after), (after, before)):
        numbers = one.by_kind.get("number", Counter())
        times, amounts = other.by_kind.get("time", Counter()), other.by_kind.get("currency", Counter())
        own_times, own_amounts = one.by_kind.get("time", Counter()), one.by_kind.get("currency", Counter())
        # "at 91%, page if it goes over 95" -> "over 95%": in a text that counts in percent, a bare number may be one.
        percents, own_percents = other.by_kind.get("percent", Counter()), one.by_kind.get("percent", Counter())
        pools = [("time", times, own_times), ("currency", amounts, own_amounts)]
        pools += [("percent", percents, own_percents)] if own_percents else []
        for number in list(numbers):
            matches = [
                (kind, value)
                for kind, pool, own in pools
                for value in pool
                if pool[value] > own[value] and _same_value(kind, number, value)
            ]
            if len(matches) == 1 and numbers[number] > 0:
                kind, value = matches[0]
                numbers[number] -= 1
                one.order["number"].remove(number)
                one.by_kind.setdefault(kind, Counter())[value] += 1
                one.order.setdefault(kind, []).append(value)


def _same_value(kind: str, number: str, value: str) -> bool:
    if kind == "percent":
        return value == number
    if kind == "time":
        return value.endswith(":00") and number.isdigit() and int(number) == int(value[:2]) and int(number) <= 12
    return value.partition(" ")[2] == number


def _same_issue_number(before: Facts, after: Facts) -> None:
    """ "PR 482" -> "PR #482": a number one side writes as an issue reference on the other is the same fact."""
    for one, other in ((before, after), (after, before)):
        numbers, issues = one.by_kind.get("number", Counter()), other.by_kind.get("issue", Counter())
        for number in list(numbers):
            reference = f"#{number}"
            moved = min(numbers[number], issues[reference] - one.by_kind.get("issue", Counter())[reference])
            if moved > 0:
                numbers[number] -= moved
                one.by_kind.setdefault("issue", Counter())[reference] += moved
                for _ in range(moved):
                    one.order["number"].remove(number)


def _name_change(before: Facts, after: Facts) -> Change | None:
    """Names are written in lower case in many task texts ("lisbon"), so each side is looked up among all words of
    the other: a capitalised word that the other text does not contain at all was changed, dropped or invented."""
    old, new = set(before.by_kind.get("name", ())), set(after.by_kind.get("name", ()))
    old -= _spelled_out(before.word_order, after.words) | _acronyms_spelled(old & before.acronyms, after)
    new -= _spelled_out(after.word_order, before.words) | _acronyms_spelled(new & after.acronyms, before)
    removed = sorted(name for name in old if not _written(name, after.words))
    added = sorted(name for name in new if not _written(name, before.words))
    return Change("name", removed, added) if removed or added else None


def _acronyms_spelled(acronyms: set[str], other: Facts) -> set[str]:
    """Acronyms the other text spells out: "FA" -> "flight attendant" (initials of a run of words), "AC" ->
    "aircraft" (the letters in order in one word that starts with the first)."""
    initials = {initials for initials, _ in _initial_runs(other.word_order)}
    found = set()
    for acronym in acronyms:
        spelled_in_one_word = any(
            word[0] == acronym[0] and len(word) > len(acronym) + 2 and _spelling(acronym, word) for word in other.words
        )
        if acronym in initials or (len(acronym) >= 2 and spelled_in_one_word):
            found.add(acronym)
    return found


def _spelled_out(words: list[str], acronyms: set[str]) -> set[str]:
    """The words of `words` that spell out an acronym written in the other text: "New York City" for "nyc", "Human
    Resources" for "hr". Runs of two to four words whose initials are the acronym."""
    found: set[str] = set()
    for initials, run in _initial_runs(words):
        if initials in acronyms and initials not in STOPWORDS:
            found.update(run)
    return found


def _initial_runs(words: list[str]) -> list[tuple[str, list[str]]]:
    """(initials, run) for every run of two to four content words: what an acronym may spell out."""
    runs = [words[start : start + size] for size in (2, 3, 4) for start in range(len(words) - size + 1)]
    return [
        ("".join(word[0] for word in run), run)
        for run in runs
        if all(word[:1].isalpha() and word not in STOPWORDS for word in run)
    ]


def _written(name: str, words: set[str]) -> bool:
    """A name is among the words, possibly as a possessive without its apostrophe ("st marys" = "St. Mary's"), or
    spelled out from a shortening of three letters or more ("kube" = "Kubernetes", "Chris" = "christopher"). A
    name changed by a letter or two ("Marta" -> "Martha") is not a shortening."""
    if name in words or f"{name}s" in words:
        return True
    if any(name in word.split("-") for word in words if "-" in word):
        return True  # "1099-INT": the name is part of a hyphenated word
    if _ADDRESS_WORDS.get(name) in words:
        return True  # "elm st" -> "Elm Street"
    return any(_shortening(name, word) or _shortening(word, name) for word in words)


_ADDRESS_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "lane": "ln", "drive": "dr", "saint": "st",
    "mount": "mt", "fort": "ft", "square": "sq", "highway": "hwy", "place": "pl", "court": "ct", "suite": "ste",
}  # fmt: skip


def _shortening(short: str, long: str) -> bool:
    # Four letters more at least: "berg" -> "Bergman" is another person, "kube" -> "Kubernetes" a shortening.
    return len(short) >= 3 and len(long) >= len(short) + 4 and long.startswith(short)


def _relation_change(before: Facts, after: Facts) -> Change | None:
    """Directional words whose object changed: 'before> deploy' against 'before> migration' (see clauses.py).

    A directional word the original does not use at all is not read as added here: "berlin to madrid" may become
    "from Berlin to Madrid", and an invented "before Friday" or "after the review" is a weekday or a bound."""
    old, new = before.order.get("relation", []), after.order.get("relation", [])
    markers = {value.partition(" ")[0] for value in old}
    removed = sorted({value for value in old if not any(same_relation(value, other) for other in new)})
    added = sorted(
        {
            value
            for value in new
            if value.partition(" ")[0] in markers and not any(same_relation(value, other) for other in old)
        }
    )
    return Change("relation", removed, added) if removed or added else None


def _condition_change(before: Facts, after: Facts) -> Change | None:
    """A condition now governs another clause, or its own words changed (the markers themselves are counted above)."""
    left = list(after.conditions)
    removed: list[str] = []
    for condition in before.conditions:
        match = next((other for other in left if same_condition(condition, other)), None)
        if match is None:
            removed.append(condition.label())
        else:
            left.remove(match)
    added = [condition.label() for condition in left]
    return Change("condition", sorted(removed), sorted(added)) if removed or added else None


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _kept(item: str, words: set[str]) -> bool:
    """A list item survives if its word is there, inflected, or spelled right where the original had a typo."""
    if item in words or _stem(item) in {_stem(word) for word in words}:
        return True
    if len(item) >= 3 and any(similar(item, word) for word in words):
        return True  # "find a sub" -> "find a substitute"
    day = _CALENDAR.get(item)
    if day is not None and any(_CALENDAR.get(word) == day for word in words):
        return True  # "tues and thurs" -> "Tuesdays and Thursdays"
    return len(item) >= 4 and bool(difflib.get_close_matches(item, list(words), n=1, cutoff=0.8))


def _reordered(before: Facts, after: Facts, kind: str) -> bool:
    if kind == "name":
        # Acronyms ("ID", "QMS") name things, not the people whose order matters ("email Lee once Sam approves"):
        # "fax records to st. mary's for patient id 55210" = "Fax the records for patient ID 55210 to St. Mary's".
        names = set(before.by_kind.get("name", ())) | set(after.by_kind.get("name", ()))
        names -= before.acronyms | after.acronyms
        first = [word for word in _first_occurrences(before) if word in names]
        second = [word for word in _first_occurrences(after) if word in names]
        return [w for w in first if w in second] != [w for w in second if w in first]
    first, second = before.order.get(kind, []), after.order.get(kind, [])
    shared = Counter(first) & Counter(second)
    return _keep_shared(first, shared) != _keep_shared(second, shared)


# Where a clause may start: after , ; . ! ? or a new line, and before a subordinating or connecting word.
_CLAUSE_BREAK = re.compile(
    r"(?<=[,;!?])\s+|(?<=\.)\s+|\n+|\s+(?=(?i:if|unless|before|after|once|until|when|whenever|while|because|so|"
    r"then|otherwise|but)\b)"
)


def _clauses(text: str, kind: str, names: set[str]) -> list[tuple[frozenset[str], tuple[str, ...]]]:
    """(content words, the facts of `kind` in order) for each clause of a normalized text that has such facts."""
    found = []
    for chunk in _CLAUSE_BREAK.split(text):
        words = tokens(chunk)
        if kind == "name":
            values = tuple(word for word in dict.fromkeys(words) if word in names)
        else:
            values = tuple(extract(chunk).order.get(kind, []))
        if values:
            content = frozenset(w for w in words if w not in STOPWORDS and w[:1].isalpha() and w not in values)
            found.append((content, values))
    return found


def _clause_order(first: str, second: str, before: Facts, after: Facts, kind: str) -> bool | None:
    """Whether the facts of `kind` sit in the same clauses in the same order, when whole clauses may have moved:
    "send the draft to Ana before Ben reviews it" = "Before Ben reviews it, send the draft to Ana"; "book 3 rooms if
    more than 10 sign up" = "if more than 10 sign up, book 3 rooms". Each clause of one text is matched to the clause
    of the other that shares most of its words and must hold the same facts in the same order; "growth 12%, churn 3%"
    -> "growth 3%, churn 12%" does not. None when the clauses do not correspond (split or merged differently)."""
    names = set(before.by_kind.get("name", ())) | set(after.by_kind.get("name", ()))
    one, other = _clauses(first, kind, names), _clauses(second, kind, names)
    if not one or Counter(values for _, values in one) != Counter(values for _, values in other):
        return None
    for side, opposite in ((one, other), (other, one)):
        for content, values in side:
            scores = [_shared(content, clause[0]) for clause in opposite]
            best = max(scores)
            if best and not any(s == best and clause[1] == values for s, clause in zip(scores, opposite, strict=True)):
                return False
    return True


def _shared(a: frozenset[str], b: frozenset[str]) -> int:
    return sum(any(similar(word, other) for other in b) for word in a)


def _first_occurrences(facts: Facts) -> list[str]:
    return list(dict.fromkeys(facts.word_order))


def _keep_shared(values: list[str], shared: Counter[str]) -> list[str]:
    left = Counter(shared)
    kept = []
    for value in values:
        if left[value] > 0:
            kept.append(value)
            left[value] -= 1
    return kept
