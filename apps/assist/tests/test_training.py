"""The training command, on a small slice of the data set so it runs in seconds."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from apps.assist.priority import fitting
from apps.assist.priority import head as head_module
from apps.assist.priority.dataset import LABELS, load_rows, split
from apps.assist.priority.training import evaluate


@pytest.fixture
def small_data(tmp_path):
    """20 rows of each label from two domains: enough for the split, the folds and every code path."""
    folder = tmp_path / "data"
    folder.mkdir()
    rows = load_rows()
    for domain in ("software", "personal"):
        picked = [row for label in LABELS for row in [r for r in rows if r.domain == domain and r.label == label][:10]]
        lines = [json.dumps({"text": row.text, "label": row.label}) for row in picked]
        (folder / f"{domain}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_command_reports_and_writes_the_same_file_twice(small_data, tmp_path, loaded_encoder):
    outputs = []
    for run in range(2):
        out = StringIO()
        target = tmp_path / f"head{run}.json"
        call_command("train_priority_model", "--data-dir", str(small_data), "--output", str(target), stdout=out)
        outputs.append(target.read_bytes())
    report = out.getvalue()
    assert outputs[0] == outputs[1]
    for expected in ("held-out accuracy, head:", "held-out accuracy, keyword baseline:", "per-class recall, head:"):
        assert expected in report
    assert "| true \\ predicted | low | medium | high |" in report
    head = head_module.loads(outputs[0].decode())
    assert head.layers == head_module.LAYERS
    assert head.meta["rows"] == {"train": 48, "heldout": 12}


def test_dry_run_writes_nothing(small_data, tmp_path, loaded_encoder):
    target = tmp_path / "head.json"
    call_command(
        "train_priority_model", "--data-dir", str(small_data), "--output", str(target), "--dry-run", stdout=StringIO()
    )
    assert not target.exists()


def _fit(features, labels, *, c=0.1, cue_weight=3.0):
    model = fitting.pipeline(c=c, cue_weight=cue_weight).fit(features, [LABELS.index(label) for label in labels])
    return model, fitting.export(model)


def test_fit_is_deterministic_and_the_file_round_trips():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, 768 + 7))
    labels = [LABELS[i % 3] for i in range(60)]
    model, first = _fit(features, labels)
    _, second = _fit(features, labels)
    text = head_module.dumps(weights=first[0], bias=first[1], meta={"note": "test"})
    assert text == head_module.dumps(weights=second[0], bias=second[1], meta={"note": "test"})
    loaded = head_module.loads(text)
    assert loaded.weights.shape == (3, 775)
    np.testing.assert_allclose(loaded.weights, first[0], rtol=1e-5, atol=1e-9)
    assert len(loaded.version) == 8
    # The exported numpy softmax is scikit-learn's own answer: the scaler is folded in correctly.
    np.testing.assert_allclose(loaded.probabilities(features), model.predict_proba(features), atol=1e-4)


def test_cue_weight_lightens_the_penalty_of_the_cue_columns_only():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(90, 20))
    labels = [LABELS[i % 3] for i in range(90)]
    features[:, -7:] += np.asarray([LABELS.index(label) for label in labels])[:, None] * 0.3
    _, (plain, _) = _fit(features, labels, c=0.01, cue_weight=1.0)
    _, (favoured, _) = _fit(features, labels, c=0.01, cue_weight=3.0)
    assert np.abs(favoured[:, -7:]).sum() > 2 * np.abs(plain[:, -7:]).sum()


def test_a_head_for_another_encoder_is_refused():
    document = json.loads(head_module.HEAD_PATH.read_text())
    document["encoder"] = "someone/else"
    with pytest.raises(ValueError, match="another encoder"):
        head_module.loads(json.dumps(document))


def test_hyper_parameter_choice_prefers_the_simpler_model_on_near_ties():
    def results(*candidates):
        return {
            "params": [{"logreg__C": c, "scale__cue_weight": w} for c, w, _ in candidates],
            "mean_test_score": [score for _, _, score in candidates],
        }

    assert fitting.simplest_near_best(results((0.1, 1.0, 0.9200), (0.01, 1.0, 0.9195), (0.01, 3.0, 0.9199))) == 1
    assert fitting.simplest_near_best(results((0.1, 1.0, 0.93), (0.01, 1.0, 0.90))) == 0


def test_training_only_files_join_the_training_split_and_leave_the_held_out_rows_alone(small_data):
    before_train, before_test = split(load_rows(small_data))
    (small_data / "extra.train.jsonl").write_text(
        '{"text": "not urgent: water the office plants", "label": "low"}\n', encoding="utf-8"
    )
    rows = load_rows(small_data)
    train, test = split(rows)
    assert test == before_test
    assert train[:-1] == before_train
    assert (train[-1].text, train[-1].domain, train[-1].train_only) == (
        "not urgent: water the office plants",
        "extra",
        True,
    )


def test_evaluate_counts_recall_and_confusion():
    result = evaluate(["low", "high", "high", "medium"], ["low", "high", "medium", "medium"])
    assert result.accuracy == 0.75
    assert result.recall == {"low": 1.0, "medium": 0.5, "high": 1.0}
    assert result.confusion == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
