"""Apply the retention periods: ``python manage.py apply_retention [--dry-run] [--kind KIND …]``."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from audit.detection.retention import KINDS, retention_apply
from audit.retention import DEFAULT_BATCH, DEFAULT_MAX_BATCHES


class Command(BaseCommand):
    help = ("Anonymise finished bookings and delete idle accounts, old findings and closed cases past "
            "their retention periods (docs/data-protection.md), as the daily scheduled job does. "
            "--dry-run counts what each kind would take now and changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--kind", action="append", choices=KINDS, dest="kinds", metavar="KIND",
                            help=f"Only this kind ({', '.join(KINDS)}); may be repeated. Default: all.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH,
                            help=f"Rows per transaction (default {DEFAULT_BATCH}).")
        parser.add_argument("--max-batches", type=int, default=DEFAULT_MAX_BATCHES, help=(
                            f"Most batches per kind (default {DEFAULT_MAX_BATCHES}; run again for more)."))
        parser.add_argument("--no-progress", action="store_true", help="Show no progress bar.")

    def handle(self, *args, **options):
        for name in ("batch_size", "max_batches"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1, not {options[name]}.")
        kinds = options["kinds"] or list(KINDS)
        dry_run = options["dry_run"]
        try:
            results = retention_apply(kinds=kinds, dry_run=True) if dry_run else self.apply(kinds, options)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        verb = "would take" if dry_run else "took"
        for result in results:
            if result.skipped:
                self.stdout.write(f"{result.kind}: nothing done ({result.skipped}).")
                continue
            counts = ", ".join(f"{count} {sort}" for sort, count in result.counts.items())
            batches = "" if dry_run else f" in {result.batches} batch(es)"
            self.stdout.write(f"{result.kind}: {verb} {counts or 'nothing'}{batches} "
                              f"(finished before {result.cutoff.isoformat()}).")

    def apply(self, kinds: list[str], options: dict):
        # The counts come first, so each bar knows its length.
        due = {result.kind: result.total for result in retention_apply(kinds=kinds, dry_run=True)}
        bars: dict[str, tqdm] = {}

        def on_batch(kind: str, rows: int) -> None:
            if kind not in bars:
                bars[kind] = tqdm(total=due.get(kind) or None, unit=" rows", desc=kind, file=self.stderr,
                                  disable=options["no_progress"])
            bars[kind].update(rows)

        try:
            return retention_apply(kinds=kinds, batch=options["batch_size"],
                                   max_batches=options["max_batches"], on_batch=on_batch)
        finally:
            for bar in bars.values():
                bar.close()
