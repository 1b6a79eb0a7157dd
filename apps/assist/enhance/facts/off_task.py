"""Answers that are not an edit of the text at all: code, steps, lists, tables or a letter the original does not
have, chatter around the text, a refusal, or an answer to the question the text asks."""

from __future__ import annotations

import re

from apps.assist.enhance.facts.clauses import STOPWORDS, similar
from apps.assist.enhance.facts.extract import inline_lists
from apps.assist.enhance.facts.normalize import normalize, tokens, unquote_code_words

_CODE_LINE = re.compile(
    r"(?im)^\s*(?:```|def |class \w|import \w|from [\w.]+ import|function\b|const |let |var |return\b|"
    r"select .+ from|insert into|update \w+ set|delete from|alter table|create (?:table|index)|drop table|"
    r"#!|\$ |sudo |npm |pip |curl |git |docker |kubectl |<\w+[^>]*>|[.#]?[\w-]+\s*\{|\}|"
    r"[\w.]+\s*=\s*[^=]|[\w.]+\(.*\)\s*;?$|.*;\s*$|.*=>)"
)
_LIST_LINE = re.compile(r"(?m)^\s*(?:[-*\u2022+]|\d+[.)]|step \d+\b|[a-z][.)])\s*\S")
_TABLE_LINE = re.compile(r"(?m)^\s*\|")
_CHATTER = re.compile(
    r"(?i)^\s*(?:sure|certainly|of course|okay|ok|absolutely|great|here you go)\b[!,.:]|"
    r"\bhere(?: is|'s| are) (?:the|an?|your|my|some)\b|^\s*i (?:(?:can ?not|can't|won't|will not|am unable to|"
    r"'m unable to) (?:help|assist|do|complete|provide|fulfil|fulfill|comply|rewrite|edit|change|improve|process|"
    r"write|answer)|am sorry|'m sorry|apologi[sz]e)|\bas an ai\b|\bi hope (?:this|that) helps\b|\blet me know\b|"
    r"\b(?:improved|edited|revised|corrected|clearer) (?:version|text|description|wording)\b|^\s*dear \w+|"
    r"\b(?:kind|best) regards\b"
)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
# An explanation or advice the original does not ask for in its own words: "figure out why the leaves are turning
# yellow" -> "Yellowing leaves are usually caused by overwatering. Try a balanced fertilizer."
_ADVICE = re.compile(
    r"(?i)\b(?:is|are|was|were)\s+(?:usually\s+|often\s+|typically\s+|commonly\s+|most likely\s+|probably\s+)?"
    r"(?:caused|triggered)\s+by\b|\b(?:usually|typically|generally|commonly|often)\s+(?:means|indicates|happens|"
    r"comes from|results from|due to)\b|\b(?:the\s+)?(?:most\s+)?(?:likely|common|usual)\s+(?:cause|reason|fix)s?\b|"
    r"^\s*try\s|[.!]\s+try\s|\byou\s+(?:should|could|might|may|can)\s+(?:try|consider|check|use)\b|"
    r"\bi\s+(?:recommend|suggest|would recommend|would suggest)\b"
)


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


def _lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


_BULLET_TEXT = re.compile(r"(?m)^\s*(?:[-*\u2022+]|\d+[.)])\s*(\S.*)$")
# Where an inline list of the original separates its items: "buy: milk, eggs", "agenda - budget - hiring plan".
_INLINE_SEPARATOR = re.compile(r"[,;:\n]|\s[-\u2013\u2014]\s|\s(?:and|or|&)\s|(?<=\s)-(?=\S)|\.\s")
MIN_ITEM_SHARE = 0.5  # of one bullet's words that the original has
MIN_LIST_SHARE = 0.75  # of all the bullets' words


def _content_words(text: str) -> list[str]:
    return [w for w in tokens(normalize(text)) if w[:1].isalpha() and len(w) > 1 and w not in STOPWORDS]


def restated_list(original: str, answer: str) -> bool:
    """Whether the answer's bullets are the items of an inline list of the original, laid out one per line: "buy:
    milk, eggs x12, dish soap" -> "Buy:\n- milk\n- 12 eggs\n- dish soap". Every bullet must be made mostly of the
    original's words, there may be no more bullets than the original has items, and besides the bullets at most a
    heading line and one more. An invented step or item fails the share of words (or is a lost or added item for the
    fact check, which runs next)."""
    bullets = [match.group(1) for match in _BULLET_TEXT.finditer(answer)]
    other_lines = [line for line in answer.splitlines() if line.strip() and not _BULLET_TEXT.match(line)]
    if len(bullets) < 2 or len(other_lines) > 2:
        return False
    items = [part for part in _INLINE_SEPARATOR.split(original) if _content_words(part)]
    if len(bullets) > len(items):
        return False
    known = _content_words(original)
    total = kept = 0
    for bullet in bullets:
        words = _content_words(bullet)
        found = sum(any(similar(word, other) for other in known) for word in words)
        if words and found < MIN_ITEM_SHARE * len(words):
            return False
        total, kept = total + len(words), kept + found
    return total > 0 and kept >= MIN_LIST_SHARE * total


# Verbs that ask for work whose result is text (a summary, an explanation, a choice, feedback), grouped with the verbs
# an editor may put in their place. An edit keeps the request; an answer that does the work drops it: "summarize the
# q3 board notes" -> "The Q3 board meeting covered revenue, hiring and the new office."
_REQUEST_GROUPS_TEXT = """
summarize summarise sum recap
research investigate look dig figure find determine work explore examine analyze analyse study
decide choose pick select settle
brainstorm suggest propose come think recommend
estimate calculate work figure compute
compare evaluate assess review weigh
explain describe clarify tell
get gather collect obtain request ask
check verify confirm ensure see
write draft compose prepare create put
reply respond answer
translate
list outline
name
"""
_REQUEST_GROUPS = [frozenset(line.split()) for line in _REQUEST_GROUPS_TEXT.strip().splitlines()]
_REQUEST_VERBS = frozenset().union(*_REQUEST_GROUPS)
# What may come before the request: "pls summarize", "todo: research", "need to decide".
_LEADS = frozenset(
    {"please", "pls", "todo", "to", "do", "task", "action", "need", "must", "should", "can", "you", "double", "quick"}
)


def dropped_request(original: str, answer: str) -> bool:
    """Whether the original opens with a request for written work and the answer has neither that verb nor one of
    its group: the answer did the work instead of editing the request."""
    words = [w for w in tokens(normalize(original)) if w[:1].isalpha()]
    while words and words[0] in _LEADS:
        words = words[1:]
    if not words or words[0] not in _REQUEST_VERBS:
        return False
    verb = words[0]
    kin = set().union(*(group for group in _REQUEST_GROUPS if verb in group))
    answered = [part for word in tokens(normalize(answer)) for part in word.split("-")]  # "Double-check"
    return not any(similar(word, other) for word in answered for other in kin)


# Function words of the languages a task may be written in besides English, none of them an English word: an answer
# that has two or more where the text has none (or the reverse) is a translation, not an edit.
_FOREIGN_TEXT = """el la en de al lo se los las del para por una que y con sin pero como está están
le les des une du au aux pour avec sans sur dans est sont mais
der das und mit für ist nicht ein eine den dem auf im zu oder
di che della delle gli dei sono della
não uma os às ao pelo pela"""
_FOREIGN = frozenset(_FOREIGN_TEXT.split())


def translated(original: str, answer: str) -> bool:
    def foreign(text: str) -> int:
        # Words between spaces: "de>en" (German to English) names languages, it is not written in one.
        return len({word.strip(".,;:!?()\"'") for word in text.lower().split()} & _FOREIGN)

    one, other = foreign(original), foreign(answer)
    return (one >= 2 and other == 0) or (other >= 2 and one == 0)


# A text that asks a question without a question mark ("when to repot the fig", "how many chairs for the gala"):
# an edit keeps the question word in its place, or turns it into a request ("Find out when to repot the fig").
_QUESTION_START = re.compile(
    r"(?i)^\s*(when|how|why|what|where|which|who|whether|"
    r"(?:is|are|was|were|should|shall|can|could|will|would)(?!\s+(?:you|u|someone|somebody|anyone|any1|not)\b))\b"
)
# Left out: "do", "have" (they open commands: "do the dishes", "have the plumber come tuesday"), and "can you",
# "will someone", "should not" (a request or a rule, not a question).
_YES_OR_NO = re.compile(r"(?i)^\s*(?:yes|no|yep|nope|yeah|correct)\b\s*[,.!:;-]")
_FINDING_OUT = {"find", "figure", "check", "ask", "research", "look", "decide", "determine", "confirm", "investigate"}


def answered_question(original: str, answer: str) -> bool:
    if _YES_OR_NO.match(answer) and not _YES_OR_NO.match(original):
        return True  # "is the freezer ok at -70" -> "Yes, -70 is fine."
    asked = _QUESTION_START.match(original)
    if asked is None or "?" in answer:
        return False
    opening = _QUESTION_START.match(answer)
    if opening and opening.group(1).lower() == asked.group(1).lower():
        return False
    first_words = tokens(normalize(answer))[:4]
    return not any(word in _FINDING_OUT for word in first_words)


# An edit adds connecting words, articles and the verb a terse note implies; an answer that does the task adds
# content: "change flat tire on the trailer" -> "...: loosen the lug nuts, jack up the trailer, swap in the spare".
MAX_NEW_CONTENT_WORDS = 6


def added_content(original: str, answer: str) -> bool:
    """Whether the answer brings more than MAX_NEW_CONTENT_WORDS content words the original has in no form, and more
    new ones than the original has words at all."""
    known = _content_words(original)
    new = {word for word in _content_words(answer) if not any(similar(word, other) for other in known)}
    return len(new) > MAX_NEW_CONTENT_WORDS and len(new) > len(set(known))


def added_list(original: str, answer: str) -> bool:
    """Whether the answer lists three things or more, two of them in words the original does not have: "what to pack
    for the shoot" -> "Pack thermal layers, waterproof boots, and spare batteries"."""
    known = _content_words(original)
    for items in inline_lists(answer):
        if len(items) < 3:
            continue
        new = [item for item in items if not any(similar(w, k) for w in _content_words(item) for k in known)]
        if len(new) >= 2:
            return True
    return False


def off_task_reason(original: str, answer: str) -> str | None:
    """Why `answer` is not an edit of `original` (a short phrase for logs and tests), or None when it may be one."""
    if _count(_CODE_LINE, answer) > _count(_CODE_LINE, original):
        return "code"
    # A new code span is code the original did not have; a changed one is a changed fact (compare.py). A word of the
    # original put in backticks is not new code.
    quoted_original, quoted_answer = unquote_code_words(original, answer)
    if _count(_CODE_SPAN, quoted_answer) > _count(_CODE_SPAN, quoted_original):
        return "code"
    restated = restated_list(original, answer)
    if _count(_LIST_LINE, answer) > _count(_LIST_LINE, original) and not restated:
        return "list or steps"
    if _count(_TABLE_LINE, answer) > _count(_TABLE_LINE, original):
        return "table"
    if _lines(answer) > _lines(original) and not restated:
        return "new lines"
    if _CHATTER.search(answer) and not _CHATTER.search(original):
        return "chatter"
    if _ADVICE.search(answer) and not _ADVICE.search(original) and not re.search(r"(?i)\btry\b", original):
        return "explanation or advice"
    if dropped_request(original, answer):
        return "did the task"
    if translated(original, answer):
        return "translated"
    if answered_question(original, answer):
        return "answered the question"
    if added_content(original, answer) or added_list(original, answer):
        return "added content"
    if answer.count("?") < original.count("?"):
        return "answered the question"
    return None
