"""Races on ballots: concurrent requests on their own connections, against real PostgreSQL."""

import threading
import time

import pytest
from django.db import connection, connections

from audit.models import Event
from bookings.models import Ballot, BallotEntry, Booking
from bookings.services.ballot_draw import ballot_draw, ballot_run
from tests.bookings import builders as booking_builders
from tests.bookings.ballot import builders
from tests.bookings.races import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_nik_entering_eight_times_at_once_gets_one_entry(network, ballot):
    users = [booking_builders.account_user() for _ in range(8)]
    outcomes = race([lambda user=user: builders.enter(user, ballot, 77) for user in users])
    assert outcomes == {"ok": 1, "ballot_nik_entered": 7}
    assert BallotEntry.objects.filter(ballot=ballot).count() == 1


def test_an_account_entering_many_at_once_stays_within_its_cap(network, ballot, applicant_user):
    account = booking_builders.account_of(applicant_user)
    account.booking_cap = 3
    account.save(update_fields=["booking_cap"])
    outcomes = race([lambda serial=serial: builders.enter(applicant_user, ballot, serial)
                     for serial in range(100, 108)])
    assert outcomes == {"ok": 3, "account_cap_reached": 5}


def test_concurrent_draws_draw_once(network, ballot):
    builders.entrants(ballot, 6, per_account=3)
    builders.close_window(ballot)
    results = []
    race([lambda: results.append(ballot_draw(ballot_id=ballot.pk)) for _ in range(4)])
    assert sorted(results) == [False, False, False, True]
    assert Event.objects.filter(action="BALLOT_DRAW").count() == 1


def test_concurrent_runs_book_each_place_once(network, ballot_day):
    ballot = builders.ballot(network.head_a, network.kanim_a, ballot_day, places=4)
    builders.entrants(ballot, 10, per_account=5)
    builders.close_window(ballot)
    race([lambda: ballot_run(ballot_id=ballot.pk) for _ in range(4)])
    ballot_run(ballot_id=ballot.pk)  # whatever a locked-out run left, the next one finishes
    assert Booking.objects.filter(details__ballot=ballot.ref).count() == 4
    assert set(BallotEntry.objects.filter(ballot=ballot).values_list("outcome", flat=True)) == {"WON", "LOST"}


def test_the_draw_waits_for_an_entry_still_being_written(network, ballot):
    """An entry that passed the window check just before closing is ranked, not lost."""
    builders.entrants(ballot, 3, per_account=3)
    builders.close_window(ballot)
    entering = connections.create_connection("default")
    entering.set_autocommit(False)
    try:
        with entering.cursor() as cursor:  # what ballot_enter holds while it writes
            cursor.execute("SELECT id FROM bookings_ballot WHERE id = %s FOR SHARE", [ballot.pk])
            cursor.execute(
                "INSERT INTO bookings_ballotentry (ballot_id, account_id, service, nik, name, birth_date,"
                " phone, email, created_at, device, outcome, refusal) SELECT ballot_id, account_id, service,"
                " %s, name, birth_date, phone, email, now(), device, 'PENDING', '' FROM bookings_ballotentry"
                " WHERE ballot_id = %s LIMIT 1", [booking_builders.nik_for(999), ballot.pk])
        drawing = threading.Thread(target=lambda: (ballot_draw(ballot_id=ballot.pk), connection.close()))
        drawing.start()
        time.sleep(0.5)
        waited = drawing.is_alive()
        entering.commit()
        drawing.join(timeout=30)
    finally:
        entering.close()
    ranks = list(BallotEntry.objects.filter(ballot=ballot).values_list("rank", flat=True))
    assert waited and sorted(ranks) == [1, 2, 3, 4]
    assert Ballot.objects.get(pk=ballot.pk).entries_count == 4
