"""The labelled task texts under apps/assist/data/priority/ and the project's one held-out split.

Every consumer (the training command, the accuracy test, the benchmark) calls split() so they all measure the same
rows. The split is stratified by domain file and label, so the held-out fifth has each domain's mix of low, medium
and high, and it depends only on the data and the seed.

Files named `*.train.jsonl` are training-only: rows written after the held-out split was frozen to teach one thing
(negation, "not urgent", "isn't an emergency"). They never enter the held-out split and leave the split of the other
files exactly as it was, so held-out figures before and after them compare the same rows.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "priority"
LABELS = ("low", "medium", "high")
SPLIT_SEED = 20260601
TEST_FRACTION = 0.2
TRAIN_ONLY_SUFFIX = ".train.jsonl"


@dataclass(frozen=True)
class Row:
    text: str
    label: str
    domain: str  # the file it came from: finance, hr, software, ...
    train_only: bool = False  # from a *.train.jsonl file


def load_rows(data_dir: Path = DATA_DIR) -> list[Row]:
    """All rows, files in name order and rows in file order (the order the split's shuffle starts from)."""
    rows: list[Row] = []
    files = sorted(data_dir.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"No *.jsonl files in {data_dir}")
    for path in files:
        train_only = path.name.endswith(TRAIN_ONLY_SUFFIX)
        domain = path.name.removesuffix(TRAIN_ONLY_SUFFIX) if train_only else path.stem
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            text, label = str(item["text"]).strip(), item["label"]
            if not text or label not in LABELS:
                raise ValueError(f"{path.name}:{number}: needs a text and a label in {LABELS}")
            rows.append(Row(text=text, label=label, domain=domain, train_only=train_only))
    return rows


def data_fingerprint(rows: list[Row]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        where = "\ttrain-only" if row.train_only else ""
        digest.update(f"{row.domain}{where}\t{row.label}\t{row.text}\n".encode())
    return digest.hexdigest()


def split(rows: list[Row], *, seed: int = SPLIT_SEED, test_fraction: float = TEST_FRACTION) -> tuple[list, list]:
    """(train, test): a seeded, stratified hold-out. The same rows and seed always give the same split."""
    strata: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if not row.train_only:
            strata.setdefault((row.domain, row.label), []).append(row)
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    train: list[Row] = []
    test: list[Row] = []
    for key in sorted(strata):
        group = list(strata[key])
        rng.shuffle(group)
        cut = round(len(group) * test_fraction)
        test += group[:cut]
        train += group[cut:]
    return train + [row for row in rows if row.train_only], test


def stratified_folds(labels: list[str], *, folds: int, seed: int) -> list[list[int]]:
    """Indices of `folds` disjoint folds, each with the label mix of the whole: cross-validation inside a split."""
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    rng = random.Random(seed)  # noqa: S311
    out: list[list[int]] = [[] for _ in range(folds)]
    for label in sorted(by_label):
        indices = list(by_label[label])
        rng.shuffle(indices)
        for position, index in enumerate(indices):
            out[position % folds].append(index)
    return out
