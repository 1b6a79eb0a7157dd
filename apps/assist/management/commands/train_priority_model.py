from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from apps.assist.priority.dataset import DATA_DIR, LABELS, load_rows
from apps.assist.priority.head import HEAD_PATH
from apps.assist.priority.training import format_confusion, train


class Command(BaseCommand):
    help = (
        "Train the priority head on apps/assist/data/priority/*.jsonl (seeded, stratified 80/20 split), write the head "
        "file and print held-out accuracy, per-class recall, the confusion matrix and the keyword baseline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=HEAD_PATH, help=f"head file to write (default {HEAD_PATH})")
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help=f"folder of *.jsonl rows (default {DATA_DIR})"
        )
        parser.add_argument("--dry-run", action="store_true", help="train and report, but write nothing")

    def handle(self, *args: object, output: Path, data_dir: Path, dry_run: bool, **options: object) -> None:
        rows = load_rows(data_dir)
        self.stdout.write(f"{len(rows)} labelled rows from {data_dir}; encoding and cross-validating...")
        result = train(rows)

        self.stdout.write("\nCross-validated accuracy on the training split (5 folds), per (C, cue_weight):")
        for (c, cue_weight), score in sorted(result.cv.items()):
            chosen = "  <- chosen" if (c, cue_weight) == (result.c, result.cue_weight) else ""
            self.stdout.write(f"  C={c:<6} cue_weight={cue_weight:<4} {score:.4f}{chosen}")

        heldout, baseline = result.heldout, result.baseline
        self.stdout.write(f"\nTrained on {result.train_rows} rows; held-out split: {heldout.rows} rows")
        self.stdout.write(f"held-out accuracy, head:             {heldout.accuracy:.4f}")
        self.stdout.write(f"held-out accuracy, keyword baseline: {baseline.accuracy:.4f}")
        self.stdout.write(
            "per-class recall, head:             " + ", ".join(f"{k} {heldout.recall[k]:.3f}" for k in LABELS)
        )
        self.stdout.write(
            "per-class recall, keyword baseline: " + ", ".join(f"{k} {baseline.recall[k]:.3f}" for k in LABELS)
        )
        self.stdout.write("\nConfusion matrix, head:\n" + format_confusion(heldout))
        self.stdout.write("\nConfusion matrix, keyword baseline:\n" + format_confusion(baseline))

        if dry_run:
            self.stdout.write("\n--dry-run: nothing written")
            return
        output.write_text(result.head_json, encoding="utf-8")
        size = output.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"\nWrote {output} ({size / 1024:.1f} KiB, head {result.head.version})"))
