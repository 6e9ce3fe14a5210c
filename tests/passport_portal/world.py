"""One of every kind of object a URL can name, built through the real services, for tests that
walk every route (API fuzzing, CSRF on every form)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from audit.detection.services.allowlist import allowlist_add
from audit.detection.services.cases import case_open
from audit.models import Event
from bookings.services.ballot import ballot_create
from offices.access import SystemActor
from tests.audit.detection.findings import finding_about
from tests.bookings import builders as booking_builders


@dataclass
class World:
    applicant: object
    booking: object
    ballot: object
    finding: object
    case: object
    allowlist_entry: object
    event: object
    officer_nip: str
    assignment: object

    def users(self, network) -> dict[str, object]:
        """A signed-up user per role: the four staff roles, the applicant and the superuser."""
        return {"officer": network.officer_a, "office_head": network.head_a, "supervisor": network.supervisor,
                "auditor": network.auditor, "applicant": self.applicant, "superuser": network.admin}


def open_calendar(settings) -> None:
    """Every day a working day, on sale from midnight, with limits no walk of routes reaches."""
    settings.BOOKING_WORKING_DAYS = [1, 2, 3, 4, 5, 6, 7]
    settings.BOOKING_RELEASE_TIME = "00:00"
    settings.BOOKING_DAYS_AHEAD = 14
    settings.BOOKING_RATE_PER_ACCOUNT = settings.BOOKING_RATE_PER_DEVICE = 100000
    settings.BOOKING_RATE_PER_IP = 100000


def build_world(network, settings) -> World:
    open_calendar(settings)
    applicant = booking_builders.account_user("world@example.invalid")
    today = network.kanim_a.local_date()
    booking = booking_builders.booking(applicant, network.kanim_a, today + dt.timedelta(days=3))
    now = dt.datetime.now(dt.UTC)
    ballot = ballot_create(actor=SystemActor("tests"), office=network.kanim_a,
                           service_date=today + dt.timedelta(days=10), opens_at=now,
                           closes_at=now + dt.timedelta(days=2))
    officer = network.officer_a.staff
    finding = finding_about(nip=officer.nip, office=network.kanim_a)
    case = case_open(actor=network.auditor, title="A case", findings=[finding])
    entry = allowlist_add(actor=network.auditor, kind="phone", value="081234567890", reason="agency desk")
    return World(applicant=applicant, booking=booking, ballot=ballot, finding=finding, case=case,
                 allowlist_entry=entry, event=Event.objects.order_by("-id").first(), officer_nip=officer.nip,
                 assignment=officer.assignments.first())
