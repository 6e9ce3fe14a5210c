import datetime as dt

from bookings.models import Slot
from bookings.services import slots_materialise


def test_day_is_made_from_the_daily_quota(network, day):
    slots_materialise(office=network.kanim_a, service_date=day)
    slots = Slot.objects.filter(office=network.kanim_a, service_date=day)
    assert slots.count() == 16 and sum(s.capacity for s in slots) == network.kanim_a.daily_quota


def test_materialising_twice_changes_nothing(network, day):
    assert slots_materialise(office=network.kanim_a, service_date=day) is True
    assert slots_materialise(office=network.kanim_a, service_date=day) is False
    assert Slot.objects.filter(office=network.kanim_a, service_date=day).count() == 16


def test_non_working_days_start_closed(network, settings):
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5]
    saturday = dt.date(2026, 12, 5)
    slots_materialise(office=network.kanim_a, service_date=saturday)
    assert set(Slot.objects.filter(service_date=saturday).values_list("closed", flat=True)) == {True}
