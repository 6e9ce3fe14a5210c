"""Re-run ballot draws from their seeds and compare with what is stored."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bookings.models import Ballot
from bookings.models.ballot import BallotStatus
from bookings.services.ballot_draw import ballot_verify


class Command(BaseCommand):
    help = ("Verify ballot draws: recompute each entry's rank from the recorded seed, compare the "
            "ranks, the recorded digest and the outcomes. Name ballots by ref, or --all for every "
            "drawn ballot. Exits non-zero when any draw does not verify.")

    def add_arguments(self, parser):
        parser.add_argument("refs", nargs="*", help="Ballot refs (bal_…).")
        parser.add_argument("--all", action="store_true", help="Every drawn ballot.")

    def handle(self, *args, refs, all, **options):
        if not refs and not all:
            raise CommandError("Name ballots by ref, or give --all.")
        ballots = Ballot.objects.exclude(status=BallotStatus.OPEN).order_by("id")
        if refs:
            ballots = ballots.filter(ref__in=refs)
            missing = sorted(set(refs) - set(ballots.values_list("ref", flat=True)))
            if missing:
                raise CommandError(f"No drawn ballot with ref: {', '.join(missing)}")
        failed = []
        for ballot in tqdm(ballots.iterator(), total=ballots.count(), unit="ballot", desc="verifying",
                           file=self.stderr):
            result = ballot_verify(ballot=ballot)
            if result.ok:
                self.stdout.write(f"{ballot.ref}: verifies ({result.entries} entries, seed {result.seed})")
                continue
            failed.append(ballot.ref)
            self.stdout.write(
                f"{ballot.ref}: DOES NOT VERIFY (ranks match: {result.order_matches}, digest matches: "
                f"{result.digest_matches}, outcomes follow ranks: {result.outcomes_consistent}; "
                f"entries with a wrong rank: {result.mismatched_entries[:20]})")
        if failed:
            raise CommandError(f"{len(failed)} ballot(s) do not verify: {', '.join(failed)}")
