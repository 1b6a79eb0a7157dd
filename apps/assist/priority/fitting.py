"""Fitting the head with scikit-learn: a scaler that favours the cue columns, LogisticRegression, GridSearchCV.

Imported by training only (the command, the tests that retrain, the benchmark). The fitted pipeline is exported as
plain weights in raw feature units (export()), which head.py writes to JSON; the runtime never unpickles anything.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from apps.assist.priority.cues import FEATURE_NAMES
from apps.assist.priority.dataset import LABELS

# Inverse L2 strength of LogisticRegression (its loss is C * sum of cross-entropies + |W|^2 / 2), and how much less
# the cue columns are penalised. C about 0.005-0.01 is the old hand-written fit's l2 = 0.1 on ~700 rows.
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)
CUE_WEIGHT_GRID = (1.0, 3.0)
CV_FOLDS = 5
# Within this much of the best mean CV accuracy, the simpler model wins (smaller C, then smaller cue weight): a
# choice that does not flip on one fold's rounding.
NEAR_TIE = 1e-3


class CueWeightedScaler(TransformerMixin, BaseEstimator):
    """Standardise every column, then multiply the cue columns (the last len(FEATURE_NAMES)) by `cue_weight`.

    That divides the cue columns' share of the L2 penalty by cue_weight^2: seven hand-made signals should not be
    shrunk as hard as each of 768 embedding dimensions.
    """

    def __init__(self, cue_weight: float = 1.0):
        self.cue_weight = cue_weight

    def fit(self, x: np.ndarray, y: Any = None) -> CueWeightedScaler:
        self.mean_ = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale < 1e-6] = 1.0  # a constant column (a cue absent from the data) stays as it is
        scale[-len(FEATURE_NAMES) :] /= self.cue_weight
        self.scale_ = scale
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean_) / self.scale_


def pipeline(*, c: float = 0.01, cue_weight: float = 1.0) -> Pipeline:
    # lbfgs from zero weights on a convex loss: no random start, so the same rows give the same weights. The tight
    # tolerance makes the optimum, not the stopping point, decide the exported digits.
    return Pipeline(
        [
            ("scale", CueWeightedScaler(cue_weight=cue_weight)),
            ("logreg", LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)),
        ]
    )


def simplest_near_best(cv_results: dict[str, Any]) -> int:
    """GridSearchCV's refit rule: the index of the simplest candidate within NEAR_TIE of the best mean accuracy."""
    scores = np.asarray(cv_results["mean_test_score"], dtype=np.float64)
    near = [i for i, score in enumerate(scores) if score >= scores.max() - NEAR_TIE]
    params = cv_results["params"]
    return min(near, key=lambda i: (params[i]["logreg__C"], params[i]["scale__cue_weight"]))


def grid_search(
    features: np.ndarray,
    labels: list[str],
    *,
    seed: int,
    c_grid: tuple[float, ...] = C_GRID,
    cue_weight_grid: tuple[float, ...] = CUE_WEIGHT_GRID,
) -> GridSearchCV:
    """Cross-validate the grid on the training rows and refit the chosen candidate on all of them."""
    search = GridSearchCV(
        pipeline(),
        {"logreg__C": list(c_grid), "scale__cue_weight": list(cue_weight_grid)},
        scoring="accuracy",
        cv=StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed),
        refit=simplest_near_best,
        n_jobs=1,  # one process: the 2-core machine gains little, and worker processes would each import torch
    )
    search.fit(features, np.asarray([LABELS.index(label) for label in labels]))
    return search


def export(fitted: Pipeline) -> tuple[np.ndarray, np.ndarray]:
    """(weights, bias) in raw feature units, rows in LABELS order: the scaler folded into the linear layer."""
    scaler, logreg = fitted.named_steps["scale"], fitted.named_steps["logreg"]
    if list(logreg.classes_) != list(range(len(LABELS))):
        raise ValueError("the training rows must contain every label")
    weights = logreg.coef_ / scaler.scale_
    bias = logreg.intercept_ - weights @ scaler.mean_
    return weights, bias
