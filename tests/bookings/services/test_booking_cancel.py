import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from audit.models import Event
from bookings.choices import BookingStatus
from bookings.errors import Conflict
from bookings.models import Slot
from bookings.services import booking_cancel, booking_cancel_by_staff
from offices.errors import NotAllowed
from tests.bookings import builders


def booked_at_eight(network, day):
    return Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=dt.time(8, 0)).booked


def test_cancel_gives_the_place_back(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    booking_cancel(actor=applicant_user, booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booked_at_eight(network, day) == 0
    assert builders.account_of(applicant_user).active_bookings == 0


def test_cancel_is_recorded(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    booking_cancel(actor=applicant_user, booking=booking)
    event = Event.objects.get(action="BOOKING_CANCEL", target_id=booking.ref)
    assert event.details == {"date": day.isoformat(), "slot": "08:00"}


def test_cancelling_twice_gives_back_one_place_only(network, applicant_user, other_applicant_user, day):
    builders.booking(other_applicant_user, network.kanim_a, day)
    booking = builders.booking(applicant_user, network.kanim_a, day)
    booking_cancel(actor=applicant_user, booking=booking)
    with pytest.raises(Conflict):
        booking_cancel(actor=applicant_user, booking=booking)
    assert booked_at_eight(network, day) == 1


def test_applicant_cannot_cancel_after_the_cutoff(network, applicant_user, day, settings):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 24 * 5
    with pytest.raises(Conflict) as exc:
        booking_cancel(actor=applicant_user, booking=booking)
    assert exc.value.code == "change_cutoff_passed"


def test_applicant_cannot_cancel_another_accounts_booking(network, applicant_user, other_applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Http404):
        booking_cancel(actor=other_applicant_user, booking=booking)


def test_officer_cancels_with_a_reason(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    booking_cancel_by_staff(actor=network.officer_a, booking=booking, reason="duplicate application")
    event = Event.objects.get(action="CANCEL", target_id=booking.ref)
    booking.refresh_from_db()
    assert event.details["reason"] == "duplicate application"
    assert booking.cancelled_by == network.officer_a.staff and booked_at_eight(network, day) == 0


def test_staff_cancel_needs_a_reason(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(ValidationError):
        booking_cancel_by_staff(actor=network.officer_a, booking=booking, reason=" ")


def test_officer_of_another_office_cannot_cancel(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(NotAllowed):
        booking_cancel_by_staff(actor=network.officer_b, booking=booking, reason="x")
