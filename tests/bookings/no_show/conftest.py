"""No-show fixtures: one Kanim in each zone (WIB, WITA, WIT), each with a booking on one day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from bookings.models import Booking
from offices.choices import OfficeTimezone
from offices.models import Office
from tests import builders as base_builders
from tests.bookings import builders


@dataclass
class ZoneDay:
    """A booking at 08:00 on ``day`` in each zone; every office closes at 16:00 local time."""

    day: dt.date
    offices: dict[str, Office]
    bookings: dict[str, Booking]

    def day_ends(self, zone: str) -> dt.datetime:
        """The UTC moment the office in ``zone`` ends ``day``."""
        return dt.datetime.combine(self.day, dt.time(16, 0), tzinfo=self.offices[zone].zone).astimezone(dt.UTC)


@pytest.fixture
def zone_day(network, applicant_user) -> ZoneDay:
    wit = base_builders.office("KANIM-WIT", timezone=OfficeTimezone.WIT,
                               region=base_builders.region("94", "Papua"))
    offices = {"WIB": network.kanim_a, "WITA": network.kanim_b, "WIT": wit}
    day = wit.local_date() + dt.timedelta(days=3)
    bookings = {zone: builders.booking(applicant_user, office, day, serial=900 + i)
                for i, (zone, office) in enumerate(offices.items())}
    return ZoneDay(day=day, offices=offices, bookings=bookings)
