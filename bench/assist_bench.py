"""Benchmark of the assist features: model load, memory, latency, held-out accuracy, and the guard's threshold figures.

    DEBUG=1 HF_HUB_OFFLINE=1 .venv/bin/python -m bench.assist_bench [--runs 20]

Prints Markdown (the figures in BENCHMARKS.md come from it). Latencies are medians over --runs runs after one
warm-up call, measured in this process with the encoder's torch thread setting (ASSIST_TORCH_THREADS, default 2).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _rss_mib() -> float:
    """Resident memory of this process now (Linux /proc), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm-up: first-call allocations are not what a running server sees
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per latency figure (median reported)")
    runs = max(5, parser.parse_args().runs)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()

    from apps.assist import encoder
    from apps.assist.enhance import guard, tuning
    from apps.assist.priority import PriorityInput, suggest_priorities, suggest_priority
    from apps.assist.priority.dataset import LABELS, load_rows, split
    from apps.assist.priority.service import get_head, head_path
    from apps.assist.priority.training import evaluate_head_file, format_confusion

    rss_before = _rss_mib()
    info = encoder.load()  # cold: includes importing torch and transformers
    head = get_head()
    rss_after = _rss_mib()

    rows = load_rows()
    _, test_rows = split(rows)
    now = datetime.now(UTC)
    one = {"title": "URGENT: production database is down", "description": "All writes fail since 14:02.", "now": now}
    batch = [PriorityInput(title=row.text, due_at=now + timedelta(hours=i)) for i, row in enumerate(test_rows[:32])]
    single_ms = _median_ms(lambda: suggest_priority(**one), runs)
    batch_ms = _median_ms(lambda: suggest_priorities(items=batch, now=now), runs)
    encode_one_ms = _median_ms(lambda: encoder.encode([one["title"]]), runs)
    guard_ms = _median_ms(
        lambda: encoder.cosine(
            "pls fix the login bug on safari, users get kicked out after sso",
            "Please fix the login bug on Safari: users get kicked out after SSO.",
        ),
        runs,
    )
    rss_peak = _rss_mib()

    heldout, baseline = evaluate_head_file(head_path(), rows)

    pairs = tuning.load_pairs()
    scores = tuning.similarities(pairs)
    by_kind: dict[str, list[float]] = {}
    for pair, score in zip(pairs, scores, strict=True):
        by_kind.setdefault(pair.kind, []).append(score)
    tuned = tuning.tune(by_kind["good"], by_kind["drift"])
    accepted, rejected = tuning.rates(by_kind["good"], by_kind["drift"], guard.MIN_SIMILARITY)

    def share_accepted(kind: str) -> str:
        values = by_kind.get(kind, [])
        passed = sum(score >= guard.MIN_SIMILARITY for score in values)
        return f"{passed}/{len(values)}"

    import torch
    import transformers

    print("## Assist benchmark\n")
    print(f"Command: `DEBUG=1 HF_HUB_OFFLINE=1 .venv/bin/python -m bench.assist_bench --runs {runs}`  ")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"torch {torch.__version__} ({info.torch_threads} threads), transformers {transformers.__version__}  "
    )
    size = head_path().stat().st_size
    print(f"Model: {info.name} + head {head.version} (layers {list(head.layers)}, head file {size} bytes)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| model load, cold process (imports + tokenizer + weights) | {info.load_seconds:.2f} s |")
    print(f"| RSS before load (Django set up) | {rss_before:.0f} MiB |")
    print(f"| RSS after load | {rss_after:.0f} MiB (+{rss_after - rss_before:.0f} MiB) |")
    print(f"| RSS after the latency runs | {rss_peak:.0f} MiB |")
    print(f"| priority suggestion, 1 text (median of {runs}) | {single_ms:.1f} ms |")
    print(f"| priority suggestion, batch of 32 (median of {runs}) | {batch_ms:.1f} ms ({batch_ms / 32:.1f} ms/text) |")
    print(f"| encoder only, 1 short text (median of {runs}) | {encode_one_ms:.1f} ms |")
    print(f"| enhancement guard, similarity of 2 texts (median of {runs}) | {guard_ms:.1f} ms |")
    print(f"| held-out accuracy, head ({heldout.rows} rows) | {heldout.accuracy:.3f} |")
    print(f"| held-out accuracy, keyword baseline (same rows) | {baseline.accuracy:.3f} |")
    recall = ", ".join(f"{label} {heldout.recall[label]:.3f}" for label in LABELS)
    baseline_recall = ", ".join(f"{label} {baseline.recall[label]:.3f}" for label in LABELS)
    print(f"| per-class recall, head | {recall} |")
    print(f"| per-class recall, keyword baseline | {baseline_recall} |")

    print("\nConfusion matrix of the head on the held-out split:\n")
    print(format_confusion(heldout))
    print("\nConfusion matrix of the keyword baseline on the same rows:\n")
    print(format_confusion(baseline))

    print("\n### Enhancement guard: drift threshold\n")
    counts = ", ".join(f"{kind} {len(values)}" for kind, values in by_kind.items())
    print(f"Pairs: {counts} ({tuning.PAIRS_PATH.name})\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| committed MIN_SIMILARITY | {guard.MIN_SIMILARITY:.2f} |")
    good, drift = by_kind["good"], by_kind["drift"]
    gap = f"{tuned.gap[0]:.3f}..{tuned.gap[1]:.3f}"
    print(f"| tuned threshold (midpoint of the best gap) | {tuned.threshold:.3f}, gap {gap} |")
    print(f"| good edits: min / median | {min(good):.3f} / {statistics.median(good):.3f} |")
    print(f"| drifted answers: median / max | {statistics.median(drift):.3f} / {max(drift):.3f} |")
    print(f"| good edits accepted at MIN_SIMILARITY | {accepted:.3f} ({share_accepted('good')}) |")
    print(f"| drifted answers rejected at MIN_SIMILARITY | {rejected:.3f} |")
    print(f"| blind spot: on-topic answers that pass | {share_accepted('on_topic')} |")
    print(f"| blind spot: one flipped fact that passes | {share_accepted('flip')} |")
    print(f"| length limit | {guard.MAX_GROWTH_FACTOR:g} x original + {guard.MAX_GROWTH_CHARS} characters |")
    misses = [
        f"{score:.3f} {pair.original!r}"
        for pair, score in zip(pairs, scores, strict=True)
        if pair.kind == "good" and score < guard.MIN_SIMILARITY
    ]
    if misses:
        print("\nGood edits refused at MIN_SIMILARITY: " + "; ".join(misses))


if __name__ == "__main__":
    main()
