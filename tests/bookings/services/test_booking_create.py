import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from audit.models import Event
from bookings.choices import BookingStatus
from bookings.errors import BookingRefused, Conflict
from bookings.models import Booking, Slot
from bookings.models.booking import qr_payload_read
from bookings.services import booking_cancel_by_staff, capacity_change
from tests.bookings import builders


def test_booking_takes_one_place_and_records_book(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    slot = Slot.objects.get(pk=booking.slot_id)
    event = Event.objects.get(action="BOOK", target_id=booking.ref)
    assert slot.booked == 1 and booking.status == BookingStatus.BOOKED
    assert event.actor_type == "account" and event.actor_id == applicant_user.applicant_account.ref
    assert event.details["code"] == booking.code and event.details["slot"] == "08:00"


def test_booking_counts_against_the_account(network, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day)
    assert builders.account_of(applicant_user).active_bookings == 1


def test_phone_is_stored_normalised(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day, phone="+62 812-1111-2222")
    assert booking.phone == "+6281211112222"


def test_qr_payload_names_the_booking_and_verifies(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    content = qr_payload_read(booking.qr_payload)
    assert content["ref"] == booking.ref and content["code"] == booking.code
    assert booking.nik not in booking.qr_payload


def test_forged_qr_payload_is_refused(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(signing.BadSignature):
        qr_payload_read(booking.qr_payload[:-2] + "xx")


def test_invalid_nik_is_refused_naming_the_rule(network, applicant_user, day):
    with pytest.raises(BookingRefused) as exc:
        builders.booking(applicant_user, network.kanim_a, day, nik="9974011705900001")
    assert exc.value.code == "nik_invalid" and exc.value.extra["rule"] == "province"


def test_nik_disagreeing_with_birth_date_is_refused(network, applicant_user, day):
    with pytest.raises(BookingRefused) as exc:
        builders.booking(applicant_user, network.kanim_a, day, nik=builders.nik_for(1),
                         birth_date=dt.date(1991, 5, 17))
    assert exc.value.code == "nik_birth_date_mismatch"


def test_second_active_booking_for_a_nik_is_refused_with_the_first_code(
        network, applicant_user, other_applicant_user, day):
    first = builders.booking(applicant_user, network.kanim_a, day, serial=7)
    with pytest.raises(Conflict) as exc:
        builders.booking(other_applicant_user, network.kanim_a, day, dt.time(9, 0), serial=7)
    assert exc.value.code == "nik_has_active_booking"
    assert exc.value.extra == {"booking_code": first.code}


def test_nik_may_book_again_after_cancellation(network, applicant_user, day):
    first = builders.booking(applicant_user, network.kanim_a, day, serial=8)
    booking_cancel_by_staff(actor=network.officer_a, booking=first, reason="applicant asked")
    again = builders.booking(applicant_user, network.kanim_a, day, serial=8)
    assert again.status == BookingStatus.BOOKED


def test_full_slot_is_refused(network, applicant_user, day):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day,
                    slot_time=dt.time(8, 0), capacity=1, reason="one officer")
    builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Conflict) as exc:
        builders.booking(applicant_user, network.kanim_a, day)
    assert exc.value.code == "slot_full"
    assert Booking.objects.count() == 1


def test_account_cap_is_refused(network, applicant_user, day, settings):
    for _ in range(5):
        builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Conflict) as exc:
        builders.booking(applicant_user, network.kanim_a, day)
    assert exc.value.code == "account_cap_reached"
    assert builders.account_of(applicant_user).active_bookings == 5


def test_date_not_yet_released_is_refused(network, applicant_user):
    later = network.kanim_a.local_date() + dt.timedelta(days=20)
    with pytest.raises(Conflict) as exc:
        builders.booking(applicant_user, network.kanim_a, later)
    assert exc.value.code == "slot_not_released" and "opens_at" in exc.value.extra


def test_release_follows_the_office_zone(network, applicant_user, settings):
    """Slots for D open at the release time D - days_ahead on the office's own clock."""
    settings.BOOKING_RELEASE_TIME = "23:59"
    edge = network.kanim_b.local_date() + dt.timedelta(days=14)
    with pytest.raises(Conflict) as exc:
        builders.booking(applicant_user, network.kanim_b, edge)
    assert exc.value.extra["opens_at"].endswith("+08:00")


def test_slot_in_the_past_is_refused(network, applicant_user):
    yesterday = network.kanim_a.local_date() - dt.timedelta(days=1)
    with pytest.raises(BookingRefused) as exc:
        builders.booking(applicant_user, network.kanim_a, yesterday)
    assert exc.value.code == "slot_in_past"


def test_time_that_is_no_slot_start_is_refused(network, applicant_user, day):
    with pytest.raises(BookingRefused) as exc:
        builders.booking(applicant_user, network.kanim_a, day, dt.time(8, 10))
    assert exc.value.code == "slot_unknown"


def test_bad_fields_are_refused_field_by_field(network, applicant_user, day):
    with pytest.raises(ValidationError) as exc:
        builders.booking(applicant_user, network.kanim_a, day, phone="021555", name=" ")
    assert set(exc.value.message_dict) == {"phone", "name"}


@pytest.mark.parametrize("reason,kwargs", [
    ("nik_invalid", {"nik": "123"}),
    ("slot_unknown", {"time": dt.time(8, 10)}),
    ("invalid_input", {"phone": "12"}),
])
def test_every_refusal_is_in_the_trail(network, applicant_user, day, reason, kwargs):
    time = kwargs.pop("time", dt.time(8, 0))
    with pytest.raises((BookingRefused, ValidationError)):
        builders.booking(applicant_user, network.kanim_a, day, time, **kwargs)
    event = Event.objects.get(action="BOOK_REFUSED")
    assert event.details["reason"] == reason
    assert event.actor_id == applicant_user.applicant_account.ref


def test_refusal_keeps_the_nik_masked(network, applicant_user, day):
    nik = builders.nik_for(5)
    with pytest.raises(BookingRefused):
        builders.booking(applicant_user, network.kanim_a, day, nik=nik, birth_date=dt.date(1980, 1, 1))
    event = Event.objects.get(action="BOOK_REFUSED")
    assert event.details["nik"] == "317401******0005"
    assert nik not in str(event.details)


def test_staff_cannot_book_as_an_applicant(network, day):
    from offices.errors import NotAllowed

    with pytest.raises(NotAllowed):
        builders.booking(network.officer_a, network.kanim_a, day)
