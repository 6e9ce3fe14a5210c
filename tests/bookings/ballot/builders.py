"""Builders for ballot tests, on the real services (so entries and events are as in production)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bookings.models import Ballot, BallotEntry
from bookings.services.ballot import ballot_create, ballot_enter
from offices.models import Office
from tests.bookings import builders


def ballot(actor, office: Office, day: dt.date, *, places: int | None = None) -> Ballot:
    """A ballot for ``office`` on ``day`` whose window opened an hour ago and closes in an hour."""
    now = timezone.now()
    return ballot_create(actor=actor, office=office, service_date=day,
                         opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(hours=1),
                         places=places)


def enter(user, ballot_: Ballot, serial: int | None = None, *, service: str = "NEW",
          **fields) -> BallotEntry:
    return ballot_enter(actor=user, ballot=ballot_, service=service,
                        applicant=builders.applicant(serial, **fields))


def entrants(ballot_: Ballot, count: int, *, per_account: int, first_serial: int = 1) -> list[BallotEntry]:
    """``count`` entries, in arrival order, from accounts of ``per_account`` people each."""
    entries, user = [], None
    for i in range(count):
        if i % per_account == 0:
            user = builders.account_user()
        entries.append(enter(user, ballot_, first_serial + i))
    return entries


def close_window(ballot_: Ballot) -> Ballot:
    """Let the clock run past the window: move it into the past (the draw needs it closed)."""
    closes = timezone.now() - dt.timedelta(seconds=1)
    Ballot.objects.filter(pk=ballot_.pk).update(opens_at=closes - dt.timedelta(hours=2), closes_at=closes)
    ballot_.refresh_from_db()
    return ballot_
