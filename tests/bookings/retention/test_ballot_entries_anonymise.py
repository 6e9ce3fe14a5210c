"""Entries of ballots for days past the period are anonymised with the bookings; the draw still checks."""

from __future__ import annotations

import datetime as dt

from bookings.models import Ballot, BallotEntry, Booking
from bookings.models.ballot import BallotStatus, EntryOutcome
from bookings.retention import bookings_anonymise
from bookings.services import booking_cancel
from bookings.services.ballot_draw import ballot_run, ballot_verify
from tests.bookings.ballot import builders as ballot_builders

from .aging import DAYS, age, cutoff


def test_entries_are_blanked_and_detached_and_the_draw_still_verifies(network):
    day = network.kanim_a.local_date() + dt.timedelta(days=10)
    ballot = ballot_builders.ballot(network.head_a, network.kanim_a, day, places=1)
    ballot_builders.entrants(ballot, 3, per_account=1, first_serial=500)
    ballot_run(ballot_id=ballot_builders.close_window(ballot).pk)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DONE
    winner = BallotEntry.objects.get(ballot=ballot, outcome=EntryOutcome.WON)
    booking_cancel(actor=winner.account.user, booking=winner.booking)
    long_ago = cutoff() - dt.timedelta(days=1)
    age(winner.booking, long_ago)
    Ballot.objects.filter(pk=ballot.pk).update(service_date=long_ago)

    result = bookings_anonymise(days=DAYS)

    assert result.counts == {"bookings": 1, "ballot_entries": 3}
    rows = list(BallotEntry.objects.filter(ballot=ballot).values("nik", "name", "phone", "account_id", "rank"))
    assert {(row["nik"], row["name"], row["phone"], row["account_id"]) for row in rows} == {("", "", "", None)}
    assert sorted(row["rank"] for row in rows) == [1, 2, 3]
    assert Booking.objects.get(pk=winner.booking_id).anonymised_at is not None
    assert ballot_verify(ballot=Ballot.objects.get(pk=ballot.pk)).ok


def test_entries_of_a_recent_ballot_stay(network):
    day = network.kanim_a.local_date() + dt.timedelta(days=10)
    ballot = ballot_builders.ballot(network.head_a, network.kanim_a, day, places=1)
    ballot_builders.entrants(ballot, 2, per_account=1, first_serial=600)
    ballot_run(ballot_id=ballot_builders.close_window(ballot).pk)
    Ballot.objects.filter(pk=ballot.pk).update(service_date=cutoff())
    assert bookings_anonymise(days=DAYS).counts["ballot_entries"] == 0
    assert not BallotEntry.objects.filter(ballot=ballot, nik="").exists()
