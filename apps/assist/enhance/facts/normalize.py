"""One spelling for the changes of form an editor may make, so that extraction sees the same fact either way."""

from __future__ import annotations

import re

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
    "til": "until",
    "untill": "until",
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

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2011": "-"})
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")


def _case_like(word: str, replacement: str) -> str:
    return replacement.capitalize() if word[:1].isupper() else replacement


def normalize(text: str) -> str:
    """The text with unified quotes, contractions, a.m./p.m., w/ and w/o, and the synonym list applied.

    Case is kept: capitals are how names are found.
    """
    text = text.translate(_QUOTES).replace("\u2014", " - ")
    text = re.sub(r"(?i)\bw/o\b", "without", text)
    text = re.sub(r"(?i)\bw/(?=\s)", "with", text)
    text = re.sub(r"(?i)\b([ap])\.\s?m\b\.?", r"\1m", text)  # 3 p.m. -> 3 pm
    text = re.sub(r"(?i)\bcan't\b", "can not", text)
    text = re.sub(r"(?i)\bwon't\b", "will not", text)
    text = re.sub(r"(?i)\bshan't\b", "shall not", text)
    text = re.sub(r"(?i)\b(\w+)n't\b", r"\1 not", text)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if lower in _APOSTROPHE_LESS:
            return _case_like(token, _APOSTROPHE_LESS[lower])
        if lower in SYNONYMS:
            return _case_like(token, SYNONYMS[lower])
        return token

    return _WORD.sub(word, text)


def tokens(text: str) -> list[str]:
    """Lower-case words of a normalized text (letters, digits, inner apostrophes and hyphens)."""
    return [word.removesuffix("'s").strip("'-") for word in re.findall(r"[a-z0-9][a-z0-9'_-]*", text.lower())]
