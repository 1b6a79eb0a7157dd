"""The classification head: multinomial logistic regression over frozen MiniLM embeddings plus the cue features.

A linear head on a frozen encoder is the right size for ~1,000 examples: a fine-tuned encoder would memorise them,
and this one trains in seconds, is convex (one optimum, so a rerun finds the same weights) and fits in a JSON file of
a few tens of kilobytes that is reviewed and committed like code.

Training uses scikit-learn (fitting.py); this module only reads and writes the JSON file and computes the softmax
with numpy, so the runtime depends neither on scikit-learn nor on its pickle format.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from apps.assist.encoder import DIMENSIONS, MODEL_NAME, NUM_LAYERS
from apps.assist.priority.cues import FEATURE_NAMES, cue_features
from apps.assist.priority.dataset import LABELS

FORMAT = 1
HEAD_PATH = Path(__file__).resolve().parent / "head.json"
# The encoder layers the head reads: the sentence embedding (last layer) and layer 4, mean-pooled. Layer 4 keeps more
# of the wording; adding it took 5-fold cross-validated accuracy on the training split from about 0.91 to 0.93.
LAYERS = (4, NUM_LAYERS)
# Weights are written with this many significant digits: far below what changes a prediction, and it makes the file
# byte-identical between runs even where float sums differ in the last bits.
SIGNIFICANT_DIGITS = 6


@dataclass(frozen=True)
class Head:
    labels: tuple[str, ...]
    layers: tuple[int, ...]
    weights: np.ndarray  # (len(labels), features): already divided by the training features' scale
    bias: np.ndarray  # (len(labels),)
    meta: dict[str, Any] = field(default_factory=dict)
    version: str = ""  # first characters of the file's sha256: names the head in every answer

    def cue_pull(self, features: np.ndarray, label_index: int) -> dict[str, float]:
        """How much each cue feature of one row pushed `label_index` above the other labels, in logits.

        The head is linear, so this is exact: (w[label] - mean of the other labels' w) * value, per cue feature.
        A positive number means the cue argued for this answer.
        """
        offset = self.weights.shape[1] - len(FEATURE_NAMES)
        cue_weights = self.weights[:, offset:]
        others = [i for i in range(len(self.labels)) if i != label_index]
        margin = cue_weights[label_index] - cue_weights[others].mean(axis=0)
        return dict(zip(FEATURE_NAMES, (margin * features[offset:]).tolist(), strict=True))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = features.astype(np.float64) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def build_features(texts: list[str], embeddings: np.ndarray) -> np.ndarray:
    """The head's input: the pooled encoder layers (384 values each), then one value per cue feature."""
    cues = np.asarray([cue_features(text) for text in texts], dtype=np.float64).reshape(len(texts), len(FEATURE_NAMES))
    return np.hstack([embeddings.astype(np.float64), cues])


def accuracy(head: Head, features: np.ndarray, labels: list[str]) -> float:
    predicted = head.probabilities(features).argmax(axis=1)
    return float(np.mean([head.labels[p] == label for p, label in zip(predicted, labels, strict=True)]))


def _round(values: np.ndarray) -> list:
    return np.vectorize(lambda v: float(f"{v:.{SIGNIFICANT_DIGITS}g}"))(values).tolist()


def dumps(*, weights: np.ndarray, bias: np.ndarray, meta: dict[str, Any]) -> str:
    document = {
        "format": FORMAT,
        "encoder": MODEL_NAME,
        "labels": list(LABELS),
        "layers": list(LAYERS),
        "features": [*(f"layer{layer}[{DIMENSIONS}]" for layer in LAYERS), *FEATURE_NAMES],
        "meta": meta,
        "bias": _round(bias),
        "weights": _round(weights),
    }
    # One weight row per line keeps diffs of a retrained head readable.
    body = json.dumps({k: v for k, v in document.items() if k != "weights"}, indent=1, sort_keys=True)
    rows = ",\n  ".join(json.dumps(row) for row in document["weights"])
    return body[:-2] + ',\n "weights": [\n  ' + rows + "\n ]\n}\n"


def loads(raw: str) -> Head:
    document = json.loads(raw)
    if document.get("format") != FORMAT or document.get("encoder") != MODEL_NAME:
        raise ValueError("head file has another format or was trained on another encoder")
    weights = np.asarray(document["weights"], dtype=np.float64)
    bias = np.asarray(document["bias"], dtype=np.float64)
    layers = tuple(int(layer) for layer in document["layers"])
    expected = (len(document["labels"]), DIMENSIONS * len(layers) + len(FEATURE_NAMES))
    if weights.shape != expected or bias.shape != (expected[0],):
        raise ValueError(f"head weights have shape {weights.shape}, expected {expected}")
    return Head(
        labels=tuple(document["labels"]),
        layers=layers,
        weights=weights,
        bias=bias,
        meta=document.get("meta", {}),
        version=hashlib.sha256(raw.encode()).hexdigest()[:8],
    )


def load(path: Path) -> Head:
    return loads(path.read_text(encoding="utf-8"))
