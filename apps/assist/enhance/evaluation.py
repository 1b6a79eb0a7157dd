"""The guard against the hand-written evaluation pairs in apps/assist/data/enhance/.

tuning.jsonl was written first and the fact check was developed against it; heldout.jsonl was written after the
guard was committed and is only measured. Its results were read and shaped a second round of rules, so it is no longer
an honest measure: tuning2.jsonl (part of the tuning split) was written for that round, and heldout2.jsonl after it
was frozen. heldout2's figures and misses were read for the third round, so heldout2 is now tuned on too: the
tuning split reads tuning, tuning2, tuning3 (written for the third round, before its rules) and heldout2. The
"heldout2" split stays so that file can still be measured alone, but it is no longer held out.
Each row: {domain, original, answer, label, kind?} with label faithful, fact_changed (kind names the one fact changed)
or off_task. A row is "refused" when the guard raises SuggestionRejected for any reason: what counts for the user is
whether the answer is shown.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from apps.assist.enhance import guard
from apps.assist.errors import SuggestionRejected

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "enhance"
# A split is read from one or more files. tuning2 was written before the second round of rules and tuning3 before the
# third; heldout2 was written after the second round was frozen, measured once, and its misses shaped the third round,
# so it is part of the tuning split now (BENCHMARKS.md, "Enhancement guard"). "heldout2" alone is kept for the record.
# heldout3 was written blind (by someone who never read the guard, its rules or the other sets, and never ran the
# guard on it) while round three was tuned, and merged only after round three was frozen: measured once (0.794 /
# 0.941 / 1.000), and its misses were then read for round four, so heldout3 is part of the tuning split now too.
# "heldout3" alone is kept for the record; it is no longer held out.
SPLIT_FILES: dict[str, tuple[str, ...]] = {
    "tuning": (
        "tuning",
        "tuning2",
        "tuning3",
        "heldout2",
        "heldout3",
        "tuning4",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
        "heldout8",
        "heldout9",
    ),
    "heldout": ("heldout",),
    "heldout2": ("heldout2",),
    "heldout3": ("heldout3",),
    # Written blind while round four was tuned (its writer never read the guard or any other set, and never ran the
    # guard on it), merged after round four froze at e917c72: the honest figure for round four (0.816 / 0.940 /
    # 0.976). Its misses were read for round five, so it is part of the tuning split now; kept alone for the record.
    "heldout4": ("heldout4",),
    # heldout5 and heldout6 the same way, each written blind while one round was tuned and merged after it froze:
    # heldout5 measured round five (a8f9482: 0.878 / 0.963 / 0.925), heldout6 round six (c9d1a0a: 0.800 / 0.966 /
    # 1.000). Each was then read for the next round and joined the tuning split.
    "heldout5": ("heldout5",),
    "heldout6": ("heldout6",),
    # heldout7 measured round seven (5aa62fd: 0.758 / 0.965 / 1.000) and was read for round eight.
    "heldout7": ("heldout7",),
    # heldout8 measured round eight (3b221b5: 0.857 / 0.988 / 1.000) and was read for round nine.
    "heldout8": ("heldout8",),
    # heldout9 measured round nine (2d849ef: 0.894 / 0.936 / 1.000) and was read for round ten.
    "heldout9": ("heldout9",),
    # Written blind while round ten was tuned, merged after round ten froze at b99ebe8: the honest figure for the guard
    # as shipped.
    "heldout10": ("heldout10",),
}
SPLITS = tuple(SPLIT_FILES)
LABELS = ("faithful", "fact_changed", "off_task")


@dataclass(frozen=True)
class Row:
    domain: str
    original: str
    answer: str
    label: str
    kind: str | None = None


@dataclass(frozen=True)
class Outcome:
    row: Row
    reason: str | None  # None: shown


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, label: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.row.label == label]

    def rate(self, label: str) -> float:
        """faithful: the share shown; the other labels: the share refused."""
        rows = self.of(label)
        if not rows:
            return 0.0
        wanted = sum((outcome.reason is None) == (label == "faithful") for outcome in rows)
        return wanted / len(rows)

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if (o.reason is None) != (o.row.label == "faithful")]


def load(split: str) -> list[Row]:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    return [row for name in SPLIT_FILES[split] for row in load_file(name)]


def load_file(name: str) -> list[Row]:
    """The rows of one file of apps/assist/data/enhance/ (tuning, tuning2, tuning3, heldout or heldout2)."""
    text = (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8")
    return [Row(**json.loads(line)) for line in text.splitlines() if line.strip()]


def evaluate(rows: list[Row]) -> Report:
    report = Report()
    for row in rows:
        try:
            guard.check(original=row.original, suggestion=row.answer)
        except SuggestionRejected as exc:
            report.outcomes.append(Outcome(row, exc.reason))
        else:
            report.outcomes.append(Outcome(row, None))
    return report


def table(report: Report) -> str:
    """The figures as a Markdown table, then the refusals per fact kind and the reasons given."""
    lines = ["| kind of answer | pairs | wanted outcome | rate |", "|---|---|---|---|"]
    for label in LABELS:
        wanted = "shown" if label == "faithful" else "refused"
        lines.append(f"| {label} | {len(report.of(label))} | {wanted} | {report.rate(label):.3f} |")
    kinds: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for outcome in report.of("fact_changed"):
        kinds[outcome.row.kind or "?"] += 1
        caught[outcome.row.kind or "?"] += outcome.reason is not None
    lines += [
        "",
        "fact changes refused per kind: " + ", ".join(f"{k} {caught[k]}/{n}" for k, n in sorted(kinds.items())),
    ]
    for label in LABELS:
        reasons = Counter(outcome.reason or "shown" for outcome in report.of(label))
        lines.append(f"{label} outcomes: " + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()))
    return "\n".join(lines)
