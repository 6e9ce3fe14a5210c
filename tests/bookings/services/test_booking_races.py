"""Concurrency: clients racing through the real service, each on its own connection."""

import datetime as dt

import pytest

from audit.models import Event
from bookings.models import Booking, Slot
from bookings.services import capacity_change
from tests.bookings import builders
from tests.bookings.races import race

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 24


def test_clients_racing_for_the_last_places_get_exactly_that_many(network, day):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day,
                    slot_time=dt.time(8, 0), capacity=10, reason="bench")
    users = [builders.account_user(ip=f"10.1.0.{i}", device=f"d{i}") for i in range(CLIENTS)]
    for serial in range(7):  # 7 of 10 taken: 3 places left
        builders.booking(users[0] if serial < 4 else users[1], network.kanim_a, day, serial=serial + 1)
    outcomes = race([
        (lambda u=u, i=i: builders.booking(u, network.kanim_a, day, serial=100 + i))
        for i, u in enumerate(users)
    ])
    slot = Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=dt.time(8, 0))
    assert outcomes == {"ok": 3, "slot_full": CLIENTS - 3}
    assert slot.booked == 10 == Booking.objects.filter(slot=slot).count()
    assert Event.objects.filter(action="BOOK_REFUSED", details__reason="slot_full").count() == CLIENTS - 3


def test_two_accounts_racing_with_one_nik_get_exactly_one(network, day):
    users = [builders.account_user(ip=f"10.2.0.{i}", device=f"n{i}") for i in range(CLIENTS)]
    outcomes = race([(lambda u=u: builders.booking(u, network.kanim_a, day, serial=42)) for u in users])
    assert outcomes == {"ok": 1, "nik_has_active_booking": CLIENTS - 1}
    assert Booking.objects.filter(nik=builders.nik_for(42)).count() == 1


def test_one_account_racing_past_its_cap_gets_exactly_the_cap(network, day):
    user = builders.account_user()
    outcomes = race([(lambda i=i: builders.booking(user, network.kanim_a, day, dt.time(9, 0), serial=200 + i))
                     for i in range(CLIENTS)])
    assert outcomes == {"ok": 5, "account_cap_reached": CLIENTS - 5}
    assert builders.account_of(user).active_bookings == 5 == Booking.objects.filter(account__user=user).count()


def test_conditional_update_alone_sells_exactly_the_places_left(network, day):
    """Without the read that refuses early: the UPDATE's own re-check is what holds the line."""
    from django.db import transaction

    from bookings.services.slots import slot_take

    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day,
                    slot_time=dt.time(10, 0), capacity=5, reason="bench")
    slot = Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=dt.time(10, 0))

    def take():
        with transaction.atomic():
            slot_take(slot.pk)

    outcomes = race([take] * CLIENTS)
    slot.refresh_from_db()
    assert outcomes == {"ok": 5, "slot_full": CLIENTS - 5} and slot.booked == 5


def test_concurrent_cancels_give_back_one_place(network, day):
    from bookings.services import booking_cancel_by_staff

    user = builders.account_user()
    booking = builders.booking(user, network.kanim_a, day, dt.time(11, 0))
    outcomes = race([(lambda: booking_cancel_by_staff(actor=network.officer_a, booking=booking, reason="dup"))
                     for _ in range(8)])
    slot = Slot.objects.get(pk=booking.slot_id)
    assert outcomes == {"ok": 1, "not_changeable": 7} and slot.booked == 0
    assert builders.account_of(user).active_bookings == 0


def test_moves_racing_for_the_last_place_get_exactly_one(network, day):
    from bookings.services import booking_reschedule_by_staff

    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day,
                    slot_time=dt.time(12, 0), capacity=1, reason="one desk")
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day,
                    slot_time=dt.time(13, 0), capacity=8, reason="group")
    users = [builders.account_user(ip=f"10.3.0.{i}", device=f"m{i}") for i in range(8)]
    bookings = [builders.booking(u, network.kanim_a, day, dt.time(13, 0), serial=300 + i)
                for i, u in enumerate(users)]
    outcomes = race([(lambda b=b: booking_reschedule_by_staff(actor=network.head_a, booking=b, to_date=day,
                                                              to_time=dt.time(12, 0), reason="merge"))
                     for b in bookings])
    noon = Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=dt.time(12, 0))
    one = Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=dt.time(13, 0))
    assert outcomes == {"ok": 1, "slot_full": 7}
    assert noon.booked == 1 and one.booked == 7 == Booking.objects.filter(slot=one).count()
