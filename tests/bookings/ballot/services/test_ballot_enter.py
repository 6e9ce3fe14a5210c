import datetime as dt

import pytest
from django.db import IntegrityError, connection

from audit.models import Event
from bookings.errors import BookingRefused, Conflict
from bookings.models import BallotEntry
from tests.bookings import builders as booking_builders
from tests.bookings.ballot import builders


def test_entry_keeps_the_applicant_and_is_recorded(network, ballot, applicant_user):
    entry = builders.enter(applicant_user, ballot, 11)
    event = Event.objects.get(action="BALLOT_ENTER", target_id=str(entry.pk))
    assert entry.outcome == "PENDING" and entry.rank is None and entry.nik == booking_builders.nik_for(11)
    assert event.actor_id == applicant_user.applicant_account.ref
    assert entry.nik not in str(event.details) and event.details["nik"] == entry.nik_masked


def test_a_nik_enters_a_ballot_once(network, ballot, applicant_user, other_applicant_user):
    builders.enter(applicant_user, ballot, 12)
    with pytest.raises(Conflict) as exc:
        builders.enter(other_applicant_user, ballot, 12)
    assert exc.value.code == "ballot_nik_entered"
    assert BallotEntry.objects.filter(ballot=ballot).count() == 1


def test_database_refuses_a_second_entry_for_the_nik(network, ballot, applicant_user):
    entry = builders.enter(applicant_user, ballot, 13)
    with pytest.raises(IntegrityError, match="ballot_entry_one_per_nik"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookings_ballotentry (ballot_id, account_id, service, nik, name, birth_date, phone,"
            " email, created_at, device, outcome, refusal) SELECT ballot_id, account_id, service, nik, name,"
            " birth_date, phone, email, now(), device, 'PENDING', '' FROM bookings_ballotentry WHERE id = %s",
            [entry.pk])


def test_database_refuses_a_won_entry_without_a_booking(network, ballot, applicant_user):
    entry = builders.enter(applicant_user, ballot, 14)
    with pytest.raises(IntegrityError, match="ballot_entry_won_has_booking"), connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_ballotentry SET outcome = 'WON' WHERE id = %s", [entry.pk])


def test_waiting_entries_count_against_the_account_cap(network, ballot, applicant_user):
    account = booking_builders.account_of(applicant_user)
    account.booking_cap = 2
    account.save(update_fields=["booking_cap"])
    builders.enter(applicant_user, ballot, 21)
    builders.enter(applicant_user, ballot, 22)
    with pytest.raises(Conflict) as exc:
        builders.enter(applicant_user, ballot, 23)
    assert exc.value.code == "account_cap_reached"


def test_active_bookings_count_against_the_account_cap(network, ballot, applicant_user, day):
    account = booking_builders.account_of(applicant_user)
    account.booking_cap = 1
    account.save(update_fields=["booking_cap"])
    booking_builders.booking(applicant_user, network.kanim_a, day, serial=31)
    with pytest.raises(Conflict) as exc:
        builders.enter(applicant_user, ballot, 32)
    assert exc.value.code == "account_cap_reached"


def test_an_invalid_nik_is_refused_and_the_refusal_recorded(network, ballot, applicant_user):
    with pytest.raises(BookingRefused) as exc:
        builders.enter(applicant_user, ballot, nik="9974011705900001")
    refusal = Event.objects.get(action="BOOK_REFUSED", target_type="ballot", target_id=ballot.ref)
    assert exc.value.code == "nik_invalid" and refusal.details["reason"] == "nik_invalid"
    assert not BallotEntry.objects.exists()


def test_a_nik_with_an_active_booking_may_not_enter(network, ballot, applicant_user, day):
    booking_builders.booking(applicant_user, network.kanim_a, day, serial=41)
    with pytest.raises(Conflict) as exc:
        builders.enter(applicant_user, ballot, 41)
    assert exc.value.code == "nik_has_active_booking"


def test_no_entry_after_the_window_closes(network, ballot, applicant_user):
    builders.close_window(ballot)
    with pytest.raises(Conflict) as exc:
        builders.enter(applicant_user, ballot, 51)
    assert exc.value.code == "ballot_closed"


def test_no_entry_before_the_window_opens(network, ballot, applicant_user):
    from bookings.models import Ballot

    Ballot.objects.filter(pk=ballot.pk).update(opens_at=ballot.closes_at - dt.timedelta(minutes=5))
    ballot.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        builders.enter(applicant_user, ballot, 52)
    assert exc.value.code == "ballot_not_open"


def test_a_ballot_day_is_not_sold_first_come(network, ballot, applicant_user):
    with pytest.raises(Conflict) as exc:
        booking_builders.booking(applicant_user, network.kanim_a, ballot.service_date, serial=61)
    assert exc.value.code == "slot_by_ballot"


def test_other_days_stay_first_come(network, ballot, applicant_user):
    other_day = ballot.service_date - dt.timedelta(days=1)
    booking = booking_builders.booking(applicant_user, network.kanim_a, other_day, serial=62)
    assert booking.status == "BOOKED"


def test_an_applicant_may_not_move_a_booking_into_a_ballot_day(network, ballot, applicant_user, day):
    from bookings.services import booking_reschedule

    booking = booking_builders.booking(applicant_user, network.kanim_a, day, serial=63)
    with pytest.raises(Conflict) as exc:
        booking_reschedule(actor=applicant_user, booking=booking, to_date=ballot.service_date,
                           to_time=dt.time(8, 0))
    assert exc.value.code == "slot_by_ballot"
