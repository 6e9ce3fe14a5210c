"""The verify_ballot command: re-runs draws from their seeds; non-zero exit on tampering."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bookings.models import BallotEntry
from bookings.services.ballot_draw import ballot_run
from tests.bookings.ballot import builders


@pytest.fixture
def finished(network, ballot):
    builders.entrants(ballot, 6, per_account=3)
    builders.close_window(ballot)
    ballot_run(ballot_id=ballot.pk)
    return ballot


def run(*args) -> str:
    out = StringIO()
    call_command("verify_ballot", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_honest_draw_verifies(finished):
    assert f"{finished.ref}: verifies (6 entries" in run(finished.ref)


def test_all_drawn_ballots_are_verified(finished):
    assert finished.ref in run("--all")


def test_a_tampered_outcome_fails(finished):
    entries = list(BallotEntry.objects.filter(ballot=finished).order_by("rank"))
    first, last = entries[0], entries[-1]
    # An insider gives the first-ranked winner's booking to the entrant ranked last.
    BallotEntry.objects.filter(pk=first.pk).update(outcome="LOST", booking=None)
    BallotEntry.objects.filter(pk=last.pk).update(outcome="WON", booking=first.booking_id)
    with pytest.raises(CommandError, match="do not verify"):
        run(finished.ref)


def test_an_unknown_ref_is_an_error(finished):
    with pytest.raises(CommandError, match="bal_nope"):
        run("bal_nope")


def test_no_ballot_named_is_an_error(db):
    with pytest.raises(CommandError, match="--all"):
        run()
