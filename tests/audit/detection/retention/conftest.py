"""Retention fixtures for detection: findings and cases built through the services, then aged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.detection.choices import CaseStatus
from audit.detection.models import Case, Finding
from audit.detection.services import case_move, case_open
from audit.retention import cutoff_moment
from bookings.models import Account, Booking
from bookings.services import booking_cancel
from tests.bookings import builders
from tests.bookings.retention.aging import age

from ..findings import finding_about

DAYS = 100


def cutoff() -> dt.date:
    return timezone.now().date() - dt.timedelta(days=DAYS)


def before_cutoff(days: int = 1) -> dt.datetime:
    return cutoff_moment(cutoff()) - dt.timedelta(days=days)


def last_seen(finding: Finding, at: dt.datetime) -> Finding:
    """Make ``finding`` last raised by a run at ``at``."""
    Finding.objects.filter(pk=finding.pk).update(updated_at=at)
    finding.refresh_from_db()
    return finding


def finding_naming(*, bookings: list[str] = (), accounts: list[str] = (), office=None) -> Finding:
    finding = finding_about(office=office)
    Finding.objects.filter(pk=finding.pk).update(booking_refs=list(bookings),
                                                  account_refs=[*finding.account_refs, *accounts])
    finding.refresh_from_db()
    return finding


def case_about(network, finding: Finding, *, closed_at: dt.datetime | None = None) -> Case:
    """A case opened by the auditor from ``finding``; closed (unfounded) at ``closed_at`` if given."""
    case = case_open(actor=network.auditor, title="A ring at Kanim A", findings=[finding])
    if closed_at is None:
        return case
    case_move(actor=network.auditor, case=case, to=CaseStatus.INVESTIGATING)
    case_move(actor=network.auditor, case=case, to=CaseStatus.UNFOUNDED, note="The bookings were a family's.")
    case_move(actor=network.auditor, case=case, to=CaseStatus.CLOSED)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    case.refresh_from_db()
    return case


@pytest.fixture(autouse=True)
def retention_settings(settings):
    """Bookable days from midnight two weeks ahead, generous limits, and every period ``DAYS``."""
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5, 6, 7]
    settings.BOOKING_RELEASE_TIME = "00:00"
    settings.BOOKING_DAYS_AHEAD = 14
    settings.BOOKING_RATE_PER_ACCOUNT = settings.BOOKING_RATE_PER_DEVICE = 1000
    settings.BOOKING_RATE_PER_IP = 100000
    settings.BOOKING_RETENTION_DAYS = settings.ACCOUNT_RETENTION_DAYS = DAYS
    settings.FINDING_RETENTION_DAYS = settings.CASE_RETENTION_DAYS = DAYS
    settings.DETECTION_FULL_WINDOW_DAYS = 90
    return settings


def old_cancelled_booking(network, user, *, serial: int) -> Booking:
    """A booking of ``user`` at Kanim A, cancelled, its day and cancellation a week before the cut-off."""
    day = network.kanim_a.local_date() + dt.timedelta(days=3)
    booking = builders.booking(user, network.kanim_a, day, serial=serial)
    booking_cancel(actor=user, booking=booking)
    return age(booking, cutoff() - dt.timedelta(days=7))


def idle_since(user, at: dt.datetime) -> Account:
    Account.objects.filter(user=user).update(created_at=at)
    get_user_model().objects.filter(pk=user.pk).update(last_login=at)
    return Account.objects.get(user=user)
