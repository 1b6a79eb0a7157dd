"""manage.py eval_enhance_guard [--split NAME] [--misses]: the guard's figures on a split of the hand-written pairs
(evaluation.SPLIT_FILES). tuning reads every file the rules were developed against, the held-out sets that were
read for a later round included; each heldoutN alone is kept so that its one honest measurement can be repeated
(BENCHMARKS.md, "Enhancement guard")."""

from django.core.management.base import BaseCommand, CommandParser

from apps.assist import encoder
from apps.assist.enhance import evaluation


class Command(BaseCommand):
    help = "Run the enhancement guard on a split of the hand-written evaluation pairs and print the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--split", choices=evaluation.SPLITS, default="heldout")
        parser.add_argument("--misses", action="store_true", help="also list every pair the guard got wrong")

    def handle(self, *args: object, split: str, misses: bool, **options: object) -> None:
        encoder.load()  # the drift check embeds; load once, up front
        report = evaluation.evaluate(evaluation.load(split))
        self.stdout.write(f"Enhancement guard, split {split}, {len(report.outcomes)} pairs\n")
        self.stdout.write(evaluation.table(report))
        if misses:
            for outcome in report.misses():
                row = outcome.row
                self.stdout.write(f"\nMISS {row.label} {row.kind or ''} -> {outcome.reason or 'shown'}")
                self.stdout.write(f"  original: {row.original!r}\n  answer:   {row.answer!r}")
