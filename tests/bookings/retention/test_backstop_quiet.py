"""Anonymising commits with its own event: the backstop on bookings records nothing per row."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.actions import Action
from audit.models import Event
from bookings.models import Booking
from bookings.retention import bookings_anonymise

from .aging import DAYS, cancelled, cutoff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def booking_calendar(settings):
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5, 6, 7]
    settings.BOOKING_RELEASE_TIME = "00:00"
    settings.BOOKING_RATE_PER_ACCOUNT = settings.BOOKING_RATE_PER_DEVICE = 1000
    settings.BOOKING_RATE_PER_IP = 100000


def outside_events() -> int:
    return Event.objects.filter(action=Action.DATA_CHANGED_OUTSIDE_APP).count()


def test_anonymising_in_batches_adds_no_backstop_event(network, applicant_user, day):
    for serial in range(5):
        cancelled(applicant_user, network.kanim_a, day, on=cutoff() - dt.timedelta(days=1), serial=70 + serial)
    # The guard is live: moving the dates back with bare SQL was recorded, once per booking.
    recorded = outside_events()
    assert recorded == 5
    result = bookings_anonymise(days=DAYS, batch=2)
    assert (result.counts["bookings"], result.batches) == (5, 3)
    assert Booking.objects.filter(anonymised_at__isnull=False).count() == 5
    assert outside_events() == recorded
    assert Event.objects.filter(action=Action.RETENTION_APPLY).count() == 3
