"""Answers that are not an edit of the text at all: code, steps, lists, tables or a letter the original does not
have, chatter around the text, a refusal, or an answer to the question the text asks."""

from __future__ import annotations

import re

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
    r"\bhere(?: is|'s| are) (?:the|an?|your|my|some)\b|^\s*i (?:can ?not|can't|won't|will not|am unable|'m unable|"
    r"am sorry|'m sorry|apologi[sz]e)|\bas an ai\b|\bi hope (?:this|that) helps\b|\blet me know\b|"
    r"\b(?:improved|edited|revised|corrected|clearer) (?:version|text|description|wording)\b|^\s*dear \w+|"
    r"\b(?:kind|best) regards\b"
)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


def _lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def off_task_reason(original: str, answer: str) -> str | None:
    """Why `answer` is not an edit of `original` (a short phrase for logs and tests), or None when it may be one."""
    if _count(_CODE_LINE, answer) > _count(_CODE_LINE, original):
        return "code"
    # A new code span is code the original did not have; a changed one is a changed fact (compare.py).
    if _count(_CODE_SPAN, answer) > _count(_CODE_SPAN, original):
        return "code"
    if _count(_LIST_LINE, answer) > _count(_LIST_LINE, original):
        return "list or steps"
    if _count(_TABLE_LINE, answer) > _count(_TABLE_LINE, original):
        return "table"
    if _lines(answer) > _lines(original):
        return "new lines"
    if _CHATTER.search(answer) and not _CHATTER.search(original):
        return "chatter"
    if answer.count("?") < original.count("?"):
        return "answered the question"
    return None
