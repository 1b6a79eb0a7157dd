"""Priority suggestion: one-text latency of the fp32 reference and of the current encoder, and the int8 decision.

    DEBUG=1 HF_HUB_OFFLINE=1 .venv/bin/python -m bench.priority_bench [--runs 200]

Side by side in one process, on the same texts (the held-out rows, one text per call, the full suggestion: encode +
head + cues):
- reference: the encoder code as it was before the speed work (fp32, the batch path with padding even for one text);
- fp32: the current code with int8 off (one-text fast path: no sorting, no padding);
- int8: the current code with dynamic int8 quantization of the Linear layers, at 2 and at 1 torch thread;
then the held-out accuracy of the committed head with fp32 and with int8 features, and whether int8 passes the rule
(at most 0.5 point lower). Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime

# int8 may drop held-out accuracy by at most this much (in accuracy units: 0.005 = half a point).
MAX_INT8_ACCURACY_DROP = 0.005


def _percentiles(call: Callable[[str], object], texts: list[str], runs: int) -> tuple[float, float]:
    for text in texts[:5]:
        call(text)  # warm-up: first-call allocations are not what a running server sees
    timings = []
    for i in range(runs):
        text = texts[i % len(texts)]
        started = time.perf_counter()
        call(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]


def _reference_encode_layers(texts, *, layers, int8=None):
    """The encoder's code before the speed work (commit 833ddc5): fp32, sorted chunks, padding=True for any count."""
    import numpy as np
    import torch

    from apps.assist import encoder

    loaded = encoder._get(False)
    width = encoder.DIMENSIONS * len(layers)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.empty((len(texts), width), dtype=np.float32)
    with encoder._inference_lock, torch.inference_mode():
        for start in range(0, len(order), encoder.BATCH_SIZE):
            chunk = order[start : start + encoder.BATCH_SIZE]
            batch = loaded.tokenizer(
                [texts[i] for i in chunk],
                padding=True,
                truncation=True,
                max_length=encoder.MAX_TOKENS,
                return_tensors="pt",
            )
            hidden_states = loaded.model(**batch, output_hidden_states=True).hidden_states
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden_states[-1].dtype)
            count = mask.sum(dim=1).clamp(min=1e-9)
            pooled = [
                torch.nn.functional.normalize((hidden_states[layer] * mask).sum(dim=1) / count, p=2, dim=1)
                for layer in layers
            ]
            out[chunk] = torch.cat(pooled, dim=1).cpu().numpy()
    return out


@contextmanager
def _variant(*, int8: bool, threads: int, reference: bool = False):
    import torch
    from django.conf import settings

    from apps.assist import encoder

    saved = (settings.ASSIST_ENCODER_INT8, torch.get_num_threads(), encoder.encode_layers)
    settings.ASSIST_ENCODER_INT8 = int8
    torch.set_num_threads(threads)
    if reference:
        encoder.encode_layers = _reference_encode_layers
    try:
        yield
    finally:
        settings.ASSIST_ENCODER_INT8, threads_before, encoder.encode_layers = saved
        torch.set_num_threads(threads_before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed one-text calls per variant")
    runs = max(20, parser.parse_args().runs)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()

    import torch

    from apps.assist import encoder
    from apps.assist.priority import suggest_priority
    from apps.assist.priority.dataset import LABELS, load_rows, split
    from apps.assist.priority.service import head_path
    from apps.assist.priority.training import evaluate_head_file

    threads = encoder.torch_threads()
    fp32_info, int8_info = encoder.load(int8=False), encoder.load(int8=True)
    torch.set_num_threads(threads)
    rows = load_rows()
    _, test_rows = split(rows)
    texts = [row.text for row in test_rows]
    now = datetime.now(UTC)

    def one(text: str) -> object:
        return suggest_priority(title=text, now=now)

    variants = [
        ("reference: fp32, code before this change", {"int8": False, "threads": threads, "reference": True}),
        ("fp32, one-text fast path", {"int8": False, "threads": threads}),
        (f"int8, one-text fast path, {threads} threads", {"int8": True, "threads": threads}),
        ("int8, one-text fast path, 1 thread", {"int8": True, "threads": 1}),
    ]
    latencies = []
    # Two rounds, interleaved, so that load from other processes falls on every variant alike; the better round counts.
    for _ in range(2):
        for index, (_, options) in enumerate(variants):
            with _variant(**options):
                result = _percentiles(one, texts, runs)
            if len(latencies) <= index:
                latencies.append(result)
            else:
                latencies[index] = min(latencies[index], result)

    fp32_eval, baseline = evaluate_head_file(head_path(), rows, int8=False)
    int8_eval, _ = evaluate_head_file(head_path(), rows, int8=True)
    drop = fp32_eval.accuracy - int8_eval.accuracy
    take_int8 = drop <= MAX_INT8_ACCURACY_DROP + 1e-12

    import transformers

    print("## Priority suggestion benchmark\n")
    print(f"Command: `DEBUG=1 HF_HUB_OFFLINE=1 .venv/bin/python -m bench.priority_bench --runs {runs}`  ")
    print(
        f"{os.cpu_count()} CPUs, torch {torch.__version__}, transformers {transformers.__version__}; "
        f"load fp32 {fp32_info.load_seconds:.2f} s, int8 {int8_info.load_seconds:.2f} s (includes quantizing)  "
    )
    print(f"One text per call, the {len(texts)} held-out texts in turn, {runs} calls per variant, best of 2 rounds.\n")
    print("| variant | p50 | p95 |")
    print("|---|---|---|")
    for (name, _), (p50, p95) in zip(variants, latencies, strict=True):
        print(f"| {name} | {p50:.1f} ms | {p95:.1f} ms |")
    print(f"\nHeld-out accuracy of the committed head ({fp32_eval.rows} rows):\n")
    print("| encoder | accuracy | recall " + " / ".join(LABELS) + " |")
    print("|---|---|---|")
    for name, evaluation in (("fp32", fp32_eval), ("int8", int8_eval), ("keyword baseline", baseline)):
        recall = " / ".join(f"{evaluation.recall[label]:.3f}" for label in LABELS)
        print(f"| {name} | {evaluation.accuracy:.3f} | {recall} |")
    verdict = "take it (default on)" if take_int8 else "keep it opt-in (ASSIST_ENCODER_INT8=1)"
    print(f"\nint8 changes held-out accuracy by {-drop * 100:+.1f} points (limit -0.5): {verdict}.")


if __name__ == "__main__":
    main()
