"""Training and evaluation of the head, shared by `manage.py train_priority_model`, the tests and the benchmark.

Hyper-parameters are chosen by 5-fold cross-validation inside the training split only; the held-out fifth is looked
at once, after the choice, to report the figures. Nothing here reads the clock or an unseeded random source, so the
same data gives the same head file.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np

from apps.assist import encoder
from apps.assist.priority import head as head_module
from apps.assist.priority.baseline import keyword_priority
from apps.assist.priority.dataset import (
    LABELS,
    SPLIT_SEED,
    TEST_FRACTION,
    Row,
    data_fingerprint,
    split,
    stratified_folds,
)
from apps.assist.priority.head import LAYERS, Head

TRAIN_SEED = 20260602
CV_FOLDS = 5
# Candidates for the L2 strength and for how much less the cue features are penalised (head.fit explains both).
L2_GRID = (0.01, 0.03, 0.1, 0.3)
CUE_WEIGHT_GRID = (1.0, 3.0)


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    recall: dict[str, float]
    confusion: list[list[int]]  # rows: true label, columns: predicted, both in LABELS order
    rows: int


@dataclass(frozen=True)
class TrainingResult:
    head_json: str
    head: Head
    l2: float
    cue_weight: float
    cv: dict[tuple[float, float], float]  # (l2, cue_weight) -> mean cross-validated accuracy
    heldout: Evaluation
    baseline: Evaluation
    train_rows: int


def evaluate(predicted: list[str], expected: list[str]) -> Evaluation:
    confusion = [[0] * len(LABELS) for _ in LABELS]
    for guess, truth in zip(predicted, expected, strict=True):
        confusion[LABELS.index(truth)][LABELS.index(guess)] += 1
    recall = {label: confusion[i][i] / max(1, sum(confusion[i])) for i, label in enumerate(LABELS)}
    correct = sum(confusion[i][i] for i in range(len(LABELS)))
    return Evaluation(accuracy=correct / max(1, len(expected)), recall=recall, confusion=confusion, rows=len(expected))


def features_for(texts: list[str], *, layers: tuple[int, ...] = LAYERS) -> np.ndarray:
    return head_module.build_features(texts, encoder.encode_layers(texts, layers=layers))


def predict(head: Head, features: np.ndarray) -> list[str]:
    return [head.labels[i] for i in head.probabilities(features).argmax(axis=1)]


def _cross_validate(features: np.ndarray, labels: list[str]) -> dict[tuple[float, float], float]:
    folds = stratified_folds(labels, folds=CV_FOLDS, seed=TRAIN_SEED)
    scores: dict[tuple[float, float], float] = {}
    for l2, cue_weight in product(L2_GRID, CUE_WEIGHT_GRID):
        accuracies = []
        for k, held in enumerate(folds):
            fit_on = [i for j, fold in enumerate(folds) if j != k for i in fold]
            weights, bias = head_module.fit(
                features[fit_on], [labels[i] for i in fit_on], l2=l2, cue_weight=cue_weight, seed=TRAIN_SEED
            )
            trial = Head(labels=LABELS, layers=LAYERS, weights=weights, bias=bias)
            accuracies.append(evaluate(predict(trial, features[held]), [labels[i] for i in held]).accuracy)
        scores[(l2, cue_weight)] = float(np.mean(accuracies))
    return scores


def _best(scores: dict[tuple[float, float], float]) -> tuple[float, float]:
    # Highest accuracy; within 0.001 of it, the strongest regularisation and the plainest cue weight win (the simpler
    # model, and a choice that does not flip on a rounding difference).
    top = max(scores.values())
    near = [key for key, score in scores.items() if score >= top - 1e-3]
    return max(near, key=lambda key: (key[0], -key[1]))


def train(rows: list[Row]) -> TrainingResult:
    train_rows, test_rows = split(rows)
    train_texts = [row.text for row in train_rows]
    train_labels = [row.label for row in train_rows]
    test_texts = [row.text for row in test_rows]
    test_labels = [row.label for row in test_rows]

    everything = features_for(train_texts + test_texts)
    train_x, test_x = everything[: len(train_rows)], everything[len(train_rows) :]

    scores = _cross_validate(train_x, train_labels)
    l2, cue_weight = _best(scores)
    weights, bias = head_module.fit(train_x, train_labels, l2=l2, cue_weight=cue_weight, seed=TRAIN_SEED)
    meta = {
        "data_sha256": data_fingerprint(rows),
        "rows": {"train": len(train_rows), "heldout": len(test_rows)},
        "split": {"seed": SPLIT_SEED, "test_fraction": TEST_FRACTION, "stratified_by": "domain file and label"},
        "train_seed": TRAIN_SEED,
        "l2": l2,
        "cue_weight": cue_weight,
        "cv_accuracy": round(scores[(l2, cue_weight)], 4),
    }
    head_json = head_module.dumps(weights=weights, bias=bias, meta=meta)
    # Evaluate the head exactly as it is written (rounded weights), not the in-memory float64 one.
    trained = head_module.loads(head_json)
    heldout = evaluate(predict(trained, test_x), test_labels)
    baseline = evaluate([keyword_priority(text) for text in test_texts], test_labels)
    return TrainingResult(
        head_json=head_json,
        head=trained,
        l2=l2,
        cue_weight=cue_weight,
        cv=scores,
        heldout=heldout,
        baseline=baseline,
        train_rows=len(train_rows),
    )


def evaluate_head_file(path: Path, rows: list[Row]) -> tuple[Evaluation, Evaluation]:
    """(head, keyword baseline) on the held-out split, for the test suite and the benchmark."""
    trained = head_module.load(path)
    _, test_rows = split(rows)
    texts = [row.text for row in test_rows]
    labels = [row.label for row in test_rows]
    heldout = evaluate(predict(trained, features_for(texts, layers=trained.layers)), labels)
    baseline = evaluate([keyword_priority(text) for text in texts], labels)
    return heldout, baseline


def format_confusion(evaluation: Evaluation) -> str:
    """A Markdown table: true label per row, predicted label per column."""
    lines = ["| true \\ predicted | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS)]
    for label, counts in zip(LABELS, evaluation.confusion, strict=True):
        lines.append(f"| {label} | " + " | ".join(str(c) for c in counts) + " |")
    return "\n".join(lines)
