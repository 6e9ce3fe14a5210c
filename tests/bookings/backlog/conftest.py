"""Backlog fixtures: an office open round the clock, so today's counter path can be walked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bookings.models import Booking
from bookings.services import booking_step, walk_in_insert
from offices.choices import OfficeTimezone, Role
from offices.models import Office
from tests import builders as base_builders
from tests.bookings import builders

DECISION_STEPS = ("check_in", "verify_documents", "capture_biometrics", "interview")


def zone_before_late_evening() -> str:
    """A zone whose clock is before 22:30 now (one of three always is: they are an hour apart)."""
    now = timezone.now()
    for zone in (OfficeTimezone.WIT, OfficeTimezone.WITA, OfficeTimezone.WIB):
        if now.astimezone(ZoneInfo(zone)).time() < dt.time(22, 30):
            return zone
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Counter:
    """An office serving today, with two officers (four eyes) and its head."""

    office: Office
    officer: object
    approver: object
    head: object

    def walk_in(self, serial: int) -> Booking:
        return walk_in_insert(actor=self.officer, office=self.office, applicant=builders.applicant(serial),
                              service="NEW")

    def served(self, serial: int) -> Booking:
        """A walk-in taken through the counter to approval (served, passport not yet issued)."""
        booking = self.walk_in(serial)
        for step in DECISION_STEPS:
            booking = booking_step(actor=self.officer, booking=booking, step=step)
        return booking_step(actor=self.approver, booking=booking, step="approve")


@pytest.fixture
def counter(network) -> Counter:
    office = base_builders.office("KANIM-24H", timezone=zone_before_late_evening(),
                                  opens_at=dt.time(0, 0), closes_at=dt.time(23, 30), daily_quota=4700)
    return Counter(office=office, officer=base_builders.staff_user(Role.OFFICER, office),
                   approver=base_builders.staff_user(Role.OFFICER, office),
                   head=base_builders.staff_user(Role.OFFICE_HEAD, office))
