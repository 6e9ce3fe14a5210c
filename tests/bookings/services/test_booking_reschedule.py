import datetime as dt

import pytest
from django.http import Http404

from audit.models import Event
from bookings.errors import Conflict
from bookings.models import Slot
from bookings.services import booking_reschedule, booking_reschedule_by_staff, capacity_change
from offices.errors import NotAllowed
from tests.bookings import builders

EIGHT, NINE = dt.time(8, 0), dt.time(9, 0)


def booked(network, day, time):
    return Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=time).booked


def test_reschedule_moves_the_place(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    later = day + dt.timedelta(days=1)
    booking_reschedule(actor=applicant_user, booking=booking, to_date=later, to_time=NINE)
    booking.refresh_from_db()
    assert (booking.service_date, booking.slot_time) == (later, NINE)
    assert booked(network, day, EIGHT) == 0 and booked(network, later, NINE) == 1


def test_reschedule_is_recorded_from_and_to(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    booking_reschedule(actor=applicant_user, booking=booking, to_date=day, to_time=NINE)
    event = Event.objects.get(action="BOOKING_RESCHEDULE")
    assert event.details == {"from_date": day.isoformat(), "from_slot": "08:00",
                             "to_date": day.isoformat(), "to_slot": "09:00"}


def test_reschedule_into_a_full_slot_moves_nothing(network, applicant_user, day):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, slot_time=NINE,
                    capacity=0, reason="training")
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Conflict) as exc:
        booking_reschedule(actor=applicant_user, booking=booking, to_date=day, to_time=NINE)
    booking.refresh_from_db()
    assert exc.value.code == "slot_full" and booking.slot_time == EIGHT
    assert booked(network, day, EIGHT) == 1 and booked(network, day, NINE) == 0


def test_applicant_cannot_move_into_an_unreleased_date(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Conflict) as exc:
        booking_reschedule(actor=applicant_user, booking=booking, to_date=day + dt.timedelta(days=30),
                           to_time=NINE)
    assert exc.value.code == "slot_not_released"


def test_applicant_cannot_move_another_accounts_booking(network, applicant_user, other_applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Http404):
        booking_reschedule(actor=other_applicant_user, booking=booking, to_date=day, to_time=NINE)


def test_staff_move_with_a_reason_even_before_release(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    far = day + dt.timedelta(days=30)
    booking_reschedule_by_staff(actor=network.head_a, booking=booking, to_date=far, to_time=NINE,
                                reason="office closed for renovation")
    event = Event.objects.get(action="RESCHEDULE")
    assert event.details["reason"] == "office closed for renovation" and booked(network, far, NINE) == 1


def test_officer_of_another_office_cannot_move(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(NotAllowed):
        booking_reschedule_by_staff(actor=network.officer_b, booking=booking, to_date=day, to_time=NINE,
                                    reason="x")
