"""Seal the audit trail's settled events now (the beat task does the same every minute)."""

from django.core.management.base import BaseCommand

from audit.sealing import seal_pending


class Command(BaseCommand):
    help = "Seal settled audit events into chained blocks (the same service as the beat task)."

    def add_arguments(self, parser):
        parser.add_argument("--max-blocks", type=int, default=1000,
                            help="stop after this many blocks (default 1000)")

    def handle(self, *args, max_blocks: int, **options):
        result = seal_pending(max_blocks=max_blocks)
        if result.locked_out:
            self.stdout.write("Another sealer is running; nothing done here.")
        self.stdout.write(f"Sealed {result.blocks} blocks, {result.events} events.")
