"""Office page fixtures: the open booking calendar, and today's counter built through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from bookings.choices import Channel
from bookings.services import booking_step, walk_in_insert
from tests.bookings import builders

# Every day a working day, dates on sale two weeks ahead; applicants who book online.
from tests.bookings.conftest import applicant_user, booking_calendar, other_applicant_user  # noqa: F401

EIGHT = dt.time(8, 0)
NINE = dt.time(9, 0)


def walk_in(network, serial: int, *, slot_time: dt.time = EIGHT, channel: str = Channel.WALK_IN,
            office=None, actor=None):
    """A walk-in today at Kanim A (or ``office``) in ``slot_time``, inserted by its officer."""
    return walk_in_insert(actor=actor or network.officer_a, office=office or network.kanim_a,
                          applicant=builders.applicant(serial), service="NEW", channel=channel,
                          slot_time=slot_time)


def through(booking, *steps, actor):
    """Take ``steps`` of the counter path on ``booking`` as ``actor``."""
    for step in steps:
        booking = booking_step(actor=actor, booking=booking, step=step)
    return booking


@pytest.fixture
def today(network) -> dt.date:
    return network.kanim_a.local_date()
