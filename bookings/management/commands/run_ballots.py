"""Run every ballot that is due now (draw, book, notify), as the beat task would."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from bookings.services.ballot_draw import ballot_run, ballots_due


class Command(BaseCommand):
    help = ("Draw, book and notify every ballot whose window has closed and whose run is not "
            "finished; safe beside a running scheduler (each ballot runs under its own lock).")

    def handle(self, *args, **options):
        due = ballots_due()
        for ballot_id in tqdm(due, unit="ballot", desc="ballots", file=self.stderr, disable=not due):
            result = ballot_run(ballot_id=ballot_id).as_dict()
            if result["locked_out"]:
                self.stdout.write(f"ballot {ballot_id}: another run holds it; left alone")
                continue
            self.stdout.write(f"ballot {ballot_id}: {result['status']}, booked {result['booked']}, "
                              f"not drawn {result['lost']}, refused {result['refused']}, "
                              f"notices sent {result['notices_sent']}")
        self.stdout.write(f"{len(due)} ballot(s) due.")
