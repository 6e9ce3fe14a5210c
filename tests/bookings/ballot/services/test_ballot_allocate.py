import pytest

from audit.models import Event
from bookings.models import Ballot, BallotEntry, BallotNotice, Booking, Slot
from bookings.services.ballot_draw import (
    ballot_allocate,
    ballot_draw,
    ballot_notify,
    ballot_run,
    ballot_verify,
)
from tests.bookings import builders as booking_builders
from tests.bookings.ballot import builders

SEED = "00112233445566778899aabbccddeeff"


@pytest.fixture
def drawn(network, ballot_day):
    ballot = builders.ballot(network.head_a, network.kanim_a, ballot_day, places=5)
    builders.entrants(ballot, 12, per_account=3)
    builders.close_window(ballot)
    ballot_draw(ballot_id=ballot.pk, seed=SEED)
    return ballot


def by_rank(ballot):
    return list(BallotEntry.objects.filter(ballot=ballot).order_by("rank"))


def test_the_first_ranks_are_booked_up_to_the_places(network, drawn):
    result = ballot_allocate(ballot_id=drawn.pk)
    outcomes = [entry.outcome for entry in by_rank(drawn)]
    assert result.booked == 5 and outcomes == ["WON"] * 5 + ["LOST"] * 7


def test_winners_hold_bookings_taking_capacity(network, drawn):
    ballot_allocate(ballot_id=drawn.pk)
    bookings = Booking.objects.filter(details__ballot=drawn.ref)
    booked = sum(Slot.objects.filter(office=network.kanim_a, service_date=drawn.service_date)
                 .values_list("booked", flat=True))
    assert bookings.count() == 5 and booked == 5
    assert {b.nik for b in bookings} == {e.nik for e in by_rank(drawn)[:5]}


def test_winners_are_booked_earliest_slot_first(network, drawn):
    ballot_allocate(ballot_id=drawn.pk)
    times = [entry.booking.slot_time for entry in by_rank(drawn)[:5]]
    assert times == sorted(times) and times[0] == network.kanim_a.opens_at


def test_a_winner_whose_nik_was_booked_meanwhile_passes_the_place_on(network, drawn, applicant_user, day):
    first = by_rank(drawn)[0]
    booking_builders.booking(applicant_user, network.kanim_a, day, nik=first.nik)
    result = ballot_allocate(ballot_id=drawn.pk)
    outcomes = [entry.outcome for entry in by_rank(drawn)]
    assert outcomes[:7] == ["REFUSED"] + ["WON"] * 5 + ["LOST"]
    assert result.refused == {"nik_has_active_booking": 1}


def test_every_entry_gets_a_notice(network, drawn):
    ballot_allocate(ballot_id=drawn.pk)
    notices = BallotNotice.objects.filter(entry__ballot=drawn)
    assert notices.count() == 12
    assert notices.filter(outcome="WON", message__contains="Booking code").count() == 5
    assert notices.filter(outcome="LOST").count() == 7


def test_allocation_is_recorded_per_booking_and_summed_up(network, drawn):
    ballot_allocate(ballot_id=drawn.pk)
    books = Event.objects.filter(action="BOOK", details__ballot=drawn.ref)
    summary = Event.objects.get(action="BALLOT_ALLOCATE", target_id=drawn.ref)
    assert books.count() == 5 and {e.actor_id for e in books} == {"ballot_draw"}
    assert summary.details["booked"] == 5 and summary.details["lost"] == 7


def test_allocation_runs_once(network, drawn):
    ballot_allocate(ballot_id=drawn.pk)
    assert ballot_allocate(ballot_id=drawn.pk) is None
    assert Booking.objects.filter(details__ballot=drawn.ref).count() == 5


def test_notices_are_sent_with_an_event_each_and_the_ballot_is_done(network, drawn):
    ballot_allocate(ballot_id=drawn.pk)
    sent = ballot_notify(ballot_id=drawn.pk)
    assert sent == 12 and not BallotNotice.objects.filter(sent_at__isnull=True).exists()
    assert Event.objects.filter(action="BALLOT_NOTIFY").count() == 12
    assert Ballot.objects.get(pk=drawn.pk).status == "DONE"


def test_without_places_the_whole_free_day_is_drawn(network, ballot_day):
    from bookings.services import capacity_change

    ballot = builders.ballot(network.head_a, network.kanim_a, ballot_day)
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=ballot_day,
                    capacity=4, reason="small day")
    builders.entrants(ballot, 6, per_account=3)
    builders.close_window(ballot)
    result = ballot_run(ballot_id=ballot.pk)
    assert result.allocation.booked == 4 and result.allocation.lost == 2 and result.status == "DONE"


def test_a_finished_run_verifies(network, drawn):
    ballot_run(ballot_id=drawn.pk)
    drawn.refresh_from_db()
    assert ballot_verify(ballot=drawn).ok


def test_verify_notices_a_loser_booked_instead_of_a_winner(network, drawn):
    ballot_run(ballot_id=drawn.pk)
    drawn.refresh_from_db()
    entries = by_rank(drawn)
    winner, loser = entries[0], entries[-1]
    BallotEntry.objects.filter(pk=winner.pk).update(outcome="LOST", booking=None)
    BallotEntry.objects.filter(pk=loser.pk).update(outcome="WON", booking=winner.booking)
    assert not ballot_verify(ballot=drawn).outcomes_consistent
