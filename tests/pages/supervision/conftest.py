"""Supervision fixtures: a round-the-clock office with a known week of bookings, and planted findings."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import pytest

from audit.detection.base import Context, Draft
from audit.detection.models import Finding
from audit.detection.registry import DETECTORS
from audit.detection.services.findings import findings_store
from bookings.models import Booking
from bookings.services import booking_cancel_by_staff
from tests.bookings import builders

# The counter office (open round the clock, in a zone before 22:30 now) and the booking calendar
# (every day a working day, two weeks on sale).
from tests.bookings.backlog.conftest import Counter, counter  # noqa: F401
from tests.bookings.conftest import applicant_user, booking_calendar  # noqa: F401

_serial = itertools.count(1)
WINDOW = (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2030, 1, 1, tzinfo=dt.UTC))


def plant_finding(*, detector: str, refs: list[str], office=None) -> Finding:
    """A finding of ``detector`` naming the bookings ``refs``, stored by the writer a run uses."""
    serial = next(_serial)
    draft = Draft(key=f"planted:{serial}", score=0.8, subject_type="account", subject_id=f"acc-p{serial}",
                  summary=f"Planted finding {serial}.", evidence={"planted": serial},
                  subjects=[{"account": f"acc-p{serial}"}], office_id=office.pk if office else None,
                  account_refs=[f"acc-p{serial}"], booking_refs=refs)
    ctx = Context(window_from=WINDOW[0], window_to=WINDOW[1], params={})
    findings_store(run=None, detector=DETECTORS[detector], drafts=[draft], ctx=ctx)
    return Finding.objects.get(evidence__planted=serial)


@dataclass
class Week:
    """What was done at the counter office: walk-ins today, online bookings in three days."""

    counter: Counter
    day: dt.date
    waiting: Booking
    served: Booking
    cancelled: Booking
    booked: list[Booking] = field(default_factory=list)


@pytest.fixture
def week(network, counter, applicant_user) -> Week:  # noqa: F811
    """At the counter office: one walk-in left waiting, one served to approval (today); four
    online bookings three days ahead, one of them then cancelled by staff."""
    office = counter.office
    day = office.local_date() + dt.timedelta(days=3)
    waiting = counter.walk_in(101)
    served = counter.served(102)
    online = [builders.booking(applicant_user, office, day, dt.time(8 + n, 0), serial=110 + n) for n in range(4)]
    cancelled = booking_cancel_by_staff(actor=counter.head, booking=online[0], reason="Asked by phone")
    return Week(counter=counter, day=day, waiting=waiting, served=served, cancelled=cancelled,
                booked=online[1:])
