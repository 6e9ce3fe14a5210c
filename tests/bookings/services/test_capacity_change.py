import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import Event
from bookings.models import Slot
from bookings.services import capacity_change
from offices.errors import NotAllowed
from tests.bookings import builders

EIGHT = dt.time(8, 0)


def test_head_changes_a_slot_and_the_trail_says_who_old_new_why(network, day):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, slot_time=EIGHT,
                    capacity=12, reason="extra officer")
    event = Event.objects.get(action="QUOTA_CHANGE")
    assert Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=EIGHT).capacity == 12
    assert event.actor_id == network.head_a.staff.nip
    assert event.details == {"date": day.isoformat(), "old": 7, "new": 12, "reason": "extra officer",
                             "slot": "08:00"}


def test_day_capacity_is_spread_over_its_slots(network, day):
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, capacity=160,
                    reason="backlog directive")
    capacities = list(Slot.objects.filter(service_date=day).values_list("capacity", flat=True))
    assert capacities == [10] * 16


def test_day_capacity_keeps_every_booked_place(network, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day, dt.time(15, 30))
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, capacity=1,
                    reason="staff sick")
    slot = Slot.objects.get(service_date=day, starts_at=dt.time(15, 30))
    assert slot.capacity == slot.booked == 1
    assert sum(Slot.objects.filter(service_date=day).values_list("capacity", flat=True)) == 1


def test_capacity_cannot_go_below_what_is_booked(network, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day)
    builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(ValidationError, match="2 places are already booked"):
        capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day,
                        slot_time=EIGHT, capacity=1, reason="fewer")


def test_reason_is_required(network, day):
    with pytest.raises(ValidationError) as exc:
        capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, capacity=5, reason="")
    assert "reason" in exc.value.message_dict


def test_officer_cannot_change_capacity(network, day):
    with pytest.raises(NotAllowed):
        capacity_change(actor=network.officer_a, office=network.kanim_a, service_date=day, capacity=5,
                        reason="x")


def test_head_of_another_office_cannot_change_capacity(network, day):
    with pytest.raises(NotAllowed):
        capacity_change(actor=network.head_b, office=network.kanim_a, service_date=day, capacity=5,
                        reason="x")


def test_head_changes_capacity_at_a_unit_of_their_kanim(network, day):
    capacity_change(actor=network.head_a, office=network.unit_a, service_date=day, capacity=20,
                    reason="new counter")
    assert sum(Slot.objects.filter(office=network.unit_a).values_list("capacity", flat=True)) == 20
