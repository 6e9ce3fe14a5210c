import pytest

from audit.models import Event
from bookings.errors import Conflict
from bookings.models import Slot
from bookings.services import day_close, day_reopen
from offices.errors import NotAllowed
from tests.bookings import builders


def test_closed_day_sells_nothing(network, applicant_user, day):
    day_close(actor=network.head_a, office=network.kanim_a, service_date=day, reason="Idul Fitri")
    with pytest.raises(Conflict) as exc:
        builders.booking(applicant_user, network.kanim_a, day)
    assert exc.value.code == "slot_closed"


def test_close_is_recorded_with_the_bookings_left_on_the_day(network, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day)
    day_close(actor=network.head_a, office=network.kanim_a, service_date=day, reason="Idul Fitri")
    event = Event.objects.get(action="DAY_CLOSE")
    assert event.details["booked"] == 1 and event.details["reason"] == "Idul Fitri"


def test_reopened_day_sells_again(network, applicant_user, day):
    day_close(actor=network.head_a, office=network.kanim_a, service_date=day, reason="flood")
    day_reopen(actor=network.head_a, office=network.kanim_a, service_date=day, reason="water gone")
    builders.booking(applicant_user, network.kanim_a, day)
    assert not Slot.objects.filter(service_date=day, closed=True).exists()
    assert Event.objects.filter(action="DAY_REOPEN").count() == 1


def test_officer_cannot_close_a_day(network, day):
    with pytest.raises(NotAllowed):
        day_close(actor=network.officer_a, office=network.kanim_a, service_date=day, reason="tired")
