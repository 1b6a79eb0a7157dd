"""How guard.MIN_SIMILARITY was chosen, as code: rerun by the benchmark and checked by the tests.

The pairs file holds hand-written (original, suggestion) pairs of four kinds:
- good: edits a user should get (typo fixes, clarifications, the same text tidied);
- drift: answers the guard must refuse (obeyed injected instructions, refusals, chatter, unrelated or translated text);
- on_topic and flip: known blind spots of an embedding check (an answer to the text's question instead of an edit,
  one flipped fact). They are measured and reported, not used to pick the threshold: no threshold separates them
  from good edits, and pretending otherwise would only move the threshold into the good ones.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from apps.assist import encoder

PAIRS_PATH = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "enhance_pairs.jsonl"


@dataclass(frozen=True)
class Pair:
    kind: str
    original: str
    suggestion: str


@dataclass(frozen=True)
class Tuning:
    threshold: float  # the midpoint of the best gap, before rounding to the committed value
    good_accepted: float  # shares at that threshold
    drift_rejected: float
    gap: tuple[float, float]  # highest score refused and lowest score accepted around the threshold


def load_pairs(path: Path = PAIRS_PATH) -> list[Pair]:
    return [Pair(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def similarities(pairs: list[Pair]) -> list[float]:
    return [encoder.cosine(pair.original, pair.suggestion) for pair in pairs]


def rates(good: list[float], drift: list[float], threshold: float) -> tuple[float, float]:
    """(share of good edits accepted, share of drifted answers rejected) at `threshold`."""
    accepted = sum(score >= threshold for score in good) / len(good)
    rejected = sum(score < threshold for score in drift) / len(drift)
    return accepted, rejected


def tune(good: list[float], drift: list[float]) -> Tuning:
    """The threshold with the best balanced accuracy; among equals, the middle of the widest gap between scores."""
    scores = sorted(set(good + drift))
    best: tuple[tuple[float, float], Tuning] | None = None
    for low, high in itertools.pairwise(scores):
        threshold = (low + high) / 2
        accepted, rejected = rates(good, drift, threshold)
        key = ((accepted + rejected) / 2, high - low)
        if best is None or key > best[0]:
            best = (key, Tuning(threshold, accepted, rejected, (low, high)))
    if best is None:
        raise ValueError("need at least two distinct scores")
    return best[1]
