import datetime as dt

import pytest

from audit.models import Event
from bookings.calendar import local_datetime
from bookings.choices import Channel
from bookings.errors import BookingRefused, Conflict
from bookings.models import Slot
from bookings.services import capacity_change, walk_in_insert
from bookings.services.walk_in import current_slot_time
from offices.errors import NotAllowed
from tests.bookings import builders

EIGHT = dt.time(8, 0)


def insert(network, actor=None, office=None, **kwargs):
    return walk_in_insert(actor=actor or network.officer_a, office=office or network.kanim_a,
                          applicant=builders.applicant(kwargs.pop("serial", None)), service="RENEWAL",
                          slot_time=kwargs.pop("slot_time", EIGHT), **kwargs)


def test_walk_in_takes_a_place_today(network):
    booking = insert(network)
    today = network.kanim_a.local_date()
    assert booking.service_date == today and booking.account is None
    assert Slot.objects.get(office=network.kanim_a, service_date=today, starts_at=EIGHT).booked == 1


def test_walk_in_is_recorded_by_the_officer(network):
    booking = insert(network, channel=Channel.PRIORITY)
    event = Event.objects.get(action="WALK_IN_INSERT", target_id=booking.ref)
    assert event.actor_id == network.officer_a.staff.nip and event.details["channel"] == "PRIORITY"
    assert booking.created_by == network.officer_a.staff


def test_walk_in_into_a_full_slot_is_refused_and_recorded(network):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=network.kanim_a.local_date(),
                    slot_time=EIGHT, capacity=0, reason="no counter")
    with pytest.raises(Conflict):
        insert(network)
    event = Event.objects.get(action="BOOK_REFUSED")
    assert event.details["reason"] == "slot_full" and event.actor_id == network.officer_a.staff.nip


def test_walk_in_channel_must_be_walk_in_or_priority(network):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        insert(network, channel=Channel.ONLINE)


def test_officer_of_another_office_cannot_insert(network):
    with pytest.raises(NotAllowed):
        insert(network, actor=network.officer_b)


def test_auditor_cannot_insert(network):
    with pytest.raises(NotAllowed):
        insert(network, actor=network.auditor)


def test_current_slot_is_the_one_now_falls_in(network):
    day = dt.date(2026, 12, 1)
    assert current_slot_time(network.kanim_a, local_datetime(network.kanim_a, day, dt.time(10, 40))) == dt.time(10, 30)
    assert current_slot_time(network.kanim_a, local_datetime(network.kanim_a, day, dt.time(6, 0))) == EIGHT


def test_no_current_slot_after_closing(network):
    late = local_datetime(network.kanim_a, dt.date(2026, 12, 1), dt.time(16, 5))
    with pytest.raises(BookingRefused):
        current_slot_time(network.kanim_a, late)
