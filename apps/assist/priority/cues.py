"""Surface signals in a task's text, shown to users as short strings and fed to the head as a few extra features.

Each signal has a direction: it argues for a higher priority (urgency words, deadline words, shouting, "!!") or a
lower one (negated urgency, optional or casual phrasing). Negated phrases are found first and blanked out, so
"not urgent" is one negation cue and never also an urgency cue. The lists are deliberately short: the embedding does
the heavy lifting, and these only make the answer explainable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Direction = Literal["up", "down"]

_I = re.IGNORECASE

# Every phrase below occurs in at least one training row (the training split of dataset.split() plus the training-only
# files); test_cues checks it. Phrases that only the held-out rows contained were removed when the list was rebuilt
# from the training rows alone, so the held-out figure measures the cues as well as the head. A phrase is added
# here only together with training rows that use it.

# "not urgent", "no rush", "nothing on fire": the writer says it is NOT pressing.
NEGATION_PHRASES = [
    r"not\s+urgent",
    r"(?:is\s*n[o']?t|isnt)\s+urgent",
    r"non[- ]urgent",
    r"not\s+critical",
    r"not\s+an?\s+emergency",
    r"(?:is\s*n[o']?t|isnt)\s+an?\s+emergency",
    r"not\s+time[- ]sensitive",
    r"not\s+blocking",
    r"not\s+a\s+priority",
    r"no\s+(?:rush|hurry|urgency)(?:\s+at\s+all)?",
    r"nothing\s+(?:critical|pressing|on\s+fire)",
    r"(?:does\s*n[o']?t|doesnt|do\s*n[o']?t|dont)\s+need\s+to\s+(?:happen|be\s+done)\s+(?:this\s+week|today|now|soon)",
]

URGENCY_PHRASES = [
    r"urgent",
    r"urgnet",
    r"urgnt",
    r"asap",
    r"immediately",
    r"right\s+(?:now|away)",
    r"drop\s+everything",
    r"emergency",
    r"critical",
    r"sev\s?[01]",
    r"blocker",
    r"on\s+fire",
    r"hotfix",
    r"(?:is|are|went|goes)\s+(?:down|donw)",
    r"outage",
]
# "NOW" in capitals is an order, and so is "now" ending a sentence ("update it now"); elsewhere lower-case "now" is
# mostly filler ("now that the migration is done", "fine for now"). Matched case-sensitively.
URGENCY_CASED_PHRASES = [r"\bNOW\b", r"\brn\b", r"(?<!for )\b[Nn]ow(?=\s*(?:[.!,;]|$))"]

_TIME = r"\d{1,2}(?::\d{2})?\s?(?:am|pm)|noon|midnight|\d{1,2}:\d{2}"
DEADLINE_PHRASES = [
    rf"(?:by|before|until|till|at|due|after)\s+(?:{_TIME})(?:\s+(?:today|tonight|tomorrow|tmrw|tmr))?",
    r"(?:by|before)\s+(?:end\s+of\s+(?:the\s+)?(?:day|business)|eod)",
    r"end\s+of\s+(?:the\s+)?(?:day|business)",
    r"eod",
    r"today",
    r"tonight",
    r"tomorrow(?:'s)?",
    r"tmrw",
    r"tmr",
    r"this\s+(?:morning|afternoon)",
    r"within\s+(?:the|an|\d+)\s*(?:hour|hours|hrs?|h|minutes|mins?)\b",
    r"in\s+(?:an|\d+|the\s+next(?:\s+\d+)?)\s*(?:hour|hours|hrs?|minutes|mins?)\b",
    r"in\s+the\s+morning",
    # "interview at 10", "pitch is at 4": a bare hour that ends the clause (not "at 98%" or "at 3/4 nodes").
    r"at\s+\d{1,2}(?=\s*(?:$|[,;.!)]|\s+(?:today|tonight|tomorrow|-)))",
    rf"(?:expires?|closes?|cutoff|deadline)\s+(?:today|tonight|tomorrow|at\s+(?:{_TIME}))",
]

OPTIONAL_PHRASES = [
    r"some\s?day",
    r"sometime",
    r"at\s+some\s+point",
    r"eventually",
    r"whenever",
    r"one\s+day",
    r"maybe",
    r"nice\s+to\s+have",
    r"would\s+be\s+(?:nice|cool|handy)",
    r"when\s+(?:you|u)\s+get\s+(?:a\s+)?(?:chance|time)",
    r"when\s+(?:you|someone)\s+(?:has|have)\s+time",
    r"when\s+(?:you|u)\s+can",
    r"when\s+(?:you|u)\s+get\s+to\s+it",
    r"when\s+things\s+(?:calm\s+down|are\s+quiet)",
    r"when\s+there'?s\s+(?:downtime|a\s+quiet\s+week)",
    r"if\s+you\s+get\s+bored",
    r"lol",
    r"purely\s+cosmetic",
    r"no\s+deadline",
    r"backlog",
    r"optional",
    r"low[- ]prio(?:rity)?",
    r"just\s+(?:curious|exploring|a\s+thought)",
    r"not\s+this\s+(?:sprint|week)",
    r"next\s+(?:quarter|year)",
    r"^\s*(?:idea|suggestion)\b",
]

# Exploring rather than doing: the wording of ideas and research, which rarely have to happen soon.
EXPLORATORY_PHRASES = [
    r"consider",
    r"look\s+(?:into|at)",
    r"explore",
    r"think\s+about",
    r"brainstorm",
    r"try\s+out",
    r"experiment\s+with",
    r"play\s+with",
    r"research",
    r"read\s+(?:up\s+on|through)",
]

# name -> (phrases, flags, whether the phrase must end at a word boundary). Cased phrases carry their own boundaries;
# negation and deadline phrases may run into what follows ("no rush at all", "at 10-ish"), as they always did.
PHRASE_LISTS: dict[str, tuple[list[str], int, bool | None]] = {
    "negation": (NEGATION_PHRASES, _I, False),
    "urgency": (URGENCY_PHRASES, _I, True),
    "urgency_cased": (URGENCY_CASED_PHRASES, re.MULTILINE, None),
    "deadline": (DEADLINE_PHRASES, _I | re.MULTILINE, False),
    "optional": (OPTIONAL_PHRASES, _I | re.MULTILINE, True),
    "exploratory": (EXPLORATORY_PHRASES, _I, True),
}


def phrase_pattern(name: str, phrases: list[str] | None = None) -> re.Pattern[str]:
    """The pattern of one list (or of the given phrases, with that list's flags and boundaries)."""
    listed, flags, end_boundary = PHRASE_LISTS[name]
    body = "|".join(listed if phrases is None else phrases)
    if end_boundary is None:
        return re.compile(body, flags)
    return re.compile(r"\b(?:" + body + r")" + (r"\b" if end_boundary else ""), flags)


NEGATION = phrase_pattern("negation")
URGENCY = phrase_pattern("urgency")
URGENCY_CASED = phrase_pattern("urgency_cased")
DEADLINE = phrase_pattern("deadline")
OPTIONAL = phrase_pattern("optional")
EXPLORATORY = phrase_pattern("exploratory")

EXCLAMATIONS = re.compile(r"!{2,}")


@dataclass(frozen=True)
class Cue:
    kind: str  # one of FEATURE_NAMES, or "due" for the due date rule
    direction: Direction
    text: str  # what the user sees


def _quote(match: str) -> str:
    return " ".join(match.split())


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace spans with spaces, so later patterns cannot match inside an already-explained phrase."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _unique(matches: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for match in matches:
        key = match.lower()
        if key not in seen:
            seen.add(key)
            out.append(match)
    return out


def is_shouting(text: str) -> bool:
    """Mostly capitals over a real stretch of letters: "PROD IS DOWN", not "PR #482" or "AWS"."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 8:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.7


def find_cues(text: str) -> list[Cue]:
    """Every signal in the text, negations first."""
    cues: list[Cue] = []
    negations = list(NEGATION.finditer(text))
    cues += [
        Cue("negation", "down", f'says not urgent: "{_quote(m)}"') for m in _unique([m.group(0) for m in negations])
    ]
    rest = _blank(text, [m.span() for m in negations])

    urgent = [m.group(0) for m in URGENCY.finditer(rest)] + [m.group(0) for m in URGENCY_CASED.finditer(rest)]
    cues += [Cue("urgency", "up", f'urgent word: "{_quote(m)}"') for m in _unique(urgent)]

    deadlines = [m.group(0) for m in DEADLINE.finditer(rest)]
    cues += [Cue("deadline", "up", f'deadline: "{_quote(m)}"') for m in _unique(deadlines)]

    if is_shouting(text):
        cues.append(Cue("shouting", "up", "shouting: written in capitals"))
    if EXCLAMATIONS.search(text):
        cues.append(Cue("exclamation", "up", 'exclamation marks: "!!"'))

    optional = [m.group(0) for m in OPTIONAL.finditer(rest)]
    cues += [Cue("optional", "down", f'optional or casual phrasing: "{_quote(m)}"') for m in _unique(optional)]
    exploring = [m.group(0) for m in EXPLORATORY.finditer(rest)]
    cues += [Cue("exploratory", "down", f'exploratory wording: "{_quote(m)}"') for m in _unique(exploring)]
    return cues


# The head's extra inputs, in this order. Counts are capped: a third urgent word says little more than the second.
FEATURE_NAMES = ["urgency", "deadline", "shouting", "exclamation", "negation", "optional", "exploratory"]


def cue_features(text: str) -> list[float]:
    counts = dict.fromkeys(FEATURE_NAMES, 0)
    for cue in find_cues(text):
        counts[cue.kind] += 1
    return [min(counts[name], 2) / 2 for name in FEATURE_NAMES]


# --- The due date rule ------------------------------------------------------------------------------------------------
# One explicit rule, applied after the model: a task due within 24 hours (or already overdue) moves up one level.
# The text alone cannot know the date, and a deadline the user set is a stronger signal than any wording.
NEAR_DUE = timedelta(hours=24)
LEVELS = ["low", "medium", "high"]


def _span(delta: timedelta) -> str:
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


def due_rule(*, priority: str, due_at: datetime | None, now: datetime) -> tuple[str, Cue | None]:
    """The priority after the due date rule, and the cue that explains it (None when the date plays no part)."""
    if due_at is None:
        return priority, None
    remaining = due_at - now
    if remaining > NEAR_DUE:
        return priority, None
    when = f"overdue by {_span(remaining)}" if remaining.total_seconds() < 0 else f"due in {_span(remaining)}"
    level = LEVELS.index(priority)
    if level == len(LEVELS) - 1:
        return priority, Cue("due", "up", f"{when} (already high)")
    raised = LEVELS[level + 1]
    return raised, Cue("due", "up", f"{when}: raised from {priority} to {raised}")
