"""Training and evaluation of the head, shared by `manage.py train_priority_model`, the tests and the benchmark.

Hyper-parameters are chosen by 5-fold cross-validation (scikit-learn's GridSearchCV over a StratifiedKFold) inside
the training split only; the held-out fifth is looked
at once, after the choice, to report the figures. Nothing here reads the clock or an unseeded random source, so the
same data gives the same head file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from apps.assist import encoder
from apps.assist.priority import fitting
from apps.assist.priority import head as head_module
from apps.assist.priority.baseline import keyword_priority
from apps.assist.priority.dataset import (
    LABELS,
    SPLIT_SEED,
    TEST_FRACTION,
    Row,
    data_fingerprint,
    split,
)
from apps.assist.priority.head import LAYERS, Head

TRAIN_SEED = 20260602


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
    c: float
    cue_weight: float
    cv: dict[tuple[float, float], float]  # (C, cue_weight) -> mean cross-validated accuracy
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


def features_for(texts: list[str], *, layers: tuple[int, ...] = LAYERS, int8: bool | None = False) -> np.ndarray:
    """Head inputs of the texts. Training always uses the fp32 encoder (the reference), whatever the runtime uses;
    int8=None: the runtime's precision (encoder.runtime_precision())."""
    return head_module.build_features(texts, encoder.encode_layers(texts, layers=layers, int8=int8))


def predict(head: Head, features: np.ndarray) -> list[str]:
    return [head.labels[i] for i in head.probabilities(features).argmax(axis=1)]


def sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


@dataclass(frozen=True)
class FittedHead:
    head_json: str
    c: float
    cue_weight: float
    cv: dict[tuple[float, float], float]  # (C, cue_weight) -> mean cross-validated accuracy
    train_rows: int


def fit_head(
    rows: list[Row],
    *,
    train_features: np.ndarray | None = None,
    grid: tuple[tuple[float, ...], tuple[float, ...]] = (fitting.C_GRID, fitting.CUE_WEIGHT_GRID),
) -> FittedHead:
    """The head file trained on the training rows of `rows` (the held-out rows are neither encoded nor read).

    `train_features` may bring the training rows' features already computed (features_for() of their texts, in
    split() order), for callers that embed once and fit several times. `grid` is (C values, cue weights); a test
    that retrains the committed head passes the one candidate the full grid chose, which gives the same file.
    """
    train_rows, test_rows = split(rows)
    train_labels = [row.label for row in train_rows]
    train_x = features_for([row.text for row in train_rows]) if train_features is None else train_features
    if train_x.shape[0] != len(train_rows):
        raise ValueError("train_features must have one row per training row")

    search = fitting.grid_search(train_x, train_labels, seed=TRAIN_SEED, c_grid=grid[0], cue_weight_grid=grid[1])
    results = search.cv_results_
    scores = {
        (float(params["logreg__C"]), float(params["scale__cue_weight"])): float(score)
        for params, score in zip(results["params"], results["mean_test_score"], strict=True)
    }
    c, cue_weight = float(search.best_params_["logreg__C"]), float(search.best_params_["scale__cue_weight"])
    weights, bias = fitting.export(search.best_estimator_)
    meta = {
        "data_sha256": data_fingerprint(rows),
        "rows": {"train": len(train_rows), "heldout": len(test_rows)},
        "split": {
            "seed": SPLIT_SEED,
            "test_fraction": TEST_FRACTION,
            "stratified_by": "domain file and label",
            "train_only_files": "*.train.jsonl",
        },
        "train_seed": TRAIN_SEED,
        "fit": f"scikit-learn {sklearn_version()} LogisticRegression(lbfgs), GridSearchCV, {fitting.CV_FOLDS} folds",
        "C": c,
        "cue_weight": cue_weight,
        "cv_accuracy": round(scores[(c, cue_weight)], 4),
    }
    return FittedHead(
        head_json=head_module.dumps(weights=weights, bias=bias, meta=meta),
        c=c,
        cue_weight=cue_weight,
        cv=scores,
        train_rows=len(train_rows),
    )


def train(rows: list[Row]) -> TrainingResult:
    """fit_head(), then the held-out figures of the head exactly as it is written (rounded weights)."""
    fitted = fit_head(rows)
    trained = head_module.loads(fitted.head_json)
    _, test_rows = split(rows)
    test_texts = [row.text for row in test_rows]
    test_labels = [row.label for row in test_rows]
    heldout = evaluate(predict(trained, features_for(test_texts, layers=trained.layers)), test_labels)
    baseline = evaluate([keyword_priority(text) for text in test_texts], test_labels)
    return TrainingResult(
        head_json=fitted.head_json,
        head=trained,
        c=fitted.c,
        cue_weight=fitted.cue_weight,
        cv=fitted.cv,
        heldout=heldout,
        baseline=baseline,
        train_rows=fitted.train_rows,
    )


def evaluate_head_file(path: Path, rows: list[Row], *, int8: bool | None = None) -> tuple[Evaluation, Evaluation]:
    """(head, keyword baseline) on the held-out split, for the test suite and the benchmark.

    `int8`: which encoder computes the features: True int8, False the fp32 reference, None the runtime's precision
    (encoder.runtime_precision(): bf16 by default on a CPU with native bf16, one text per pass as in a request).
    """
    trained = head_module.load(path)
    _, test_rows = split(rows)
    texts = [row.text for row in test_rows]
    labels = [row.label for row in test_rows]
    heldout = evaluate(predict(trained, features_for(texts, layers=trained.layers, int8=int8)), labels)
    baseline = evaluate([keyword_priority(text) for text in texts], labels)
    return heldout, baseline


def format_confusion(evaluation: Evaluation) -> str:
    """A Markdown table: true label per row, predicted label per column."""
    lines = ["| true \\ predicted | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS)]
    for label, counts in zip(LABELS, evaluation.confusion, strict=True):
        lines.append(f"| {label} | " + " | ".join(str(c) for c in counts) + " |")
    return "\n".join(lines)
