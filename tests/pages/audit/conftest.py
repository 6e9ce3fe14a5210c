"""Audit page fixtures: a small trail written through the one writer, at known times and places."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction

from audit.actions import Action
from audit.trail import actor_for_user, event_record
from passport_portal.request_meta import RequestMeta

# The open booking calendar and an applicant, for pages that need a real booking.
from tests.bookings.conftest import applicant_user, booking_calendar, day  # noqa: F401

NIK = "3171011501900001"
UTC = dt.UTC


def record(actor, action, **fields):
    with transaction.atomic():
        return event_record(actor=actor, action=action, **fields)


def event_ids(html: str) -> list[int]:
    """The events listed on a page, in the order shown (rows carry ``data-event``)."""
    return [int(pk) for pk in re.findall(r'data-event="(\d+)"', html)]


@pytest.fixture
def trail(network):
    """Officer A checks a booking in at Kanim A (WIB) at 08:00 local; officer B opens another
    at Kanim B (WITA) at 09:00 local; head A changes the quota; from known addresses."""
    check_in = record(actor_for_user(network.officer_a), Action.CHECK_IN, office=network.kanim_a,
                      target_type="booking", target_id="BK-0001",
                      details={"nik": NIK, "note": f"applicant {NIK}"}, meta=RequestMeta(ip="10.1.1.1"),
                      at=dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    view = record(actor_for_user(network.officer_b), Action.VIEW_APPLICANT, office=network.kanim_b,
                  target_type="booking", target_id="BK-0002", meta=RequestMeta(ip="10.2.2.2"),
                  at=dt.datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
    quota = record(actor_for_user(network.head_a), Action.QUOTA_CHANGE, office=network.kanim_a,
                   target_type="office", target_id="KANIM-A", details={"old": 100, "new": 120},
                   meta=RequestMeta(ip="10.1.1.2"), at=dt.datetime(2026, 3, 6, 3, 0, tzinfo=UTC))
    return {"check_in": check_in, "view": view, "quota": quota}
