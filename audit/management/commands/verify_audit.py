"""Recompute every event hash, block root and the chain; report what was tampered with."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from tqdm import tqdm

from audit.merkle import timestamp_text
from audit.models import SealBlock
from audit.verification import verify_trail


class Command(BaseCommand):
    help = ("Verify the audit trail against its seals: names every changed, deleted or inserted "
            "event and the first bad block. Exits non-zero on any problem.")

    def handle(self, *args, **options):
        total = SealBlock.objects.aggregate(total=Sum("event_count"))["total"] or 0
        with tqdm(total=total, unit="event", desc="verifying", file=self.stderr,
                  disable=not total) as bar:
            report = verify_trail(progress=bar.update)
        for problem in report.problems:
            self.stdout.write(f"{problem.kind.upper()}: {problem.message}")
        self.stdout.write(f"{report.blocks} blocks, {report.sealed_events} sealed events checked; "
                          f"{report.unsealed_events} events not yet sealed.")
        if report.ok:
            self.stdout.write("The trail verifies.")
            return
        if report.first_bad_block is not None:
            self.stdout.write(f"Not trustworthy from block {report.first_bad_block} on "
                              f"(events from {timestamp_text(report.first_bad_since)}).")
        raise CommandError(f"{len(report.problems)} problems found in the audit trail.")
