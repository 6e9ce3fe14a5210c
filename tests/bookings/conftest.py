"""Booking fixtures: an open booking calendar and a day that is already on sale."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.bookings import builders


@pytest.fixture(autouse=True)
def booking_calendar(settings):
    """Every day a working day, dates released at midnight two weeks ahead, generous limits.

    Tests of a particular rule narrow its setting themselves.
    """
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5, 6, 7]
    settings.BOOKING_RELEASE_TIME = "00:00"
    settings.BOOKING_DAYS_AHEAD = 14
    settings.BOOKING_SLOT_MINUTES = 30
    settings.BOOKING_ACCOUNT_CAP = 5
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 24
    settings.BOOKING_RATE_PER_ACCOUNT = 1000
    settings.BOOKING_RATE_PER_DEVICE = 1000
    settings.BOOKING_RATE_PER_IP = 100000
    return settings


@pytest.fixture
def day(network) -> dt.date:
    """A date on sale at Kanim A: three days from the office's today."""
    return network.kanim_a.local_date() + dt.timedelta(days=3)


@pytest.fixture
def applicant_user(network):
    return builders.account_user("ani@example.invalid")


@pytest.fixture
def other_applicant_user(network):
    return builders.account_user("budi@example.invalid", ip="10.0.0.2", device="dev-2")
