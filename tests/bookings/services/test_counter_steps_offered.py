"""What the board offers is what the services take: ``next_steps`` and ``override_steps`` agree
with ``booking_step`` and ``booking_override`` for every status on the counter path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from bookings.choices import BookingStatus
from bookings.errors import DomainError
from bookings.services import booking_override, booking_step, walk_in_insert
from bookings.services.counter import STEPS, next_steps, override_steps
from offices.choices import Role
from tests import builders as base
from tests.bookings import builders

#: The steps that bring a walk-in to each status.
TO = {
    BookingStatus.BOOKED: (),
    BookingStatus.CHECKED_IN: ("check_in",),
    BookingStatus.DOCUMENTS_VERIFIED: ("check_in", "verify_documents"),
    BookingStatus.BIOMETRICS_CAPTURED: ("check_in", "verify_documents", "capture_biometrics"),
    BookingStatus.INTERVIEWED: ("check_in", "verify_documents", "capture_biometrics", "interview"),
    BookingStatus.APPROVED: ("check_in", "verify_documents", "capture_biometrics", "interview", "approve"),
    BookingStatus.PRINTED: ("check_in", "verify_documents", "capture_biometrics", "interview", "approve",
                            "print"),
}
STATED = {"reason": "Stated", "collected_by": "applicant"}


class _Undo(Exception):
    """Rolls an attempt back, so every step is tried on the same booking."""


def _taken(call, **kwargs) -> bool:
    try:
        with transaction.atomic():
            call(**kwargs, **STATED)
            raise _Undo
    except _Undo:
        return True
    except (DomainError, ValidationError):
        return False


@pytest.mark.parametrize("status", list(TO))
def test_the_steps_offered_are_the_steps_the_services_take(network, status):
    approver = base.staff_user(Role.OFFICER, network.kanim_a)  # four eyes: not officer_a
    booking = walk_in_insert(actor=network.officer_a, office=network.kanim_a, service="NEW",
                             applicant=builders.applicant(list(TO).index(status) + 1), slot_time=dt.time(8, 0))
    for name in TO[status]:
        actor = approver if name in ("approve", "print") else network.officer_a
        booking = booking_step(actor=actor, booking=booking, step=name)
    assert booking.status == status
    actor = approver if status == BookingStatus.INTERVIEWED else network.officer_a
    taken = {name for name in STEPS if _taken(booking_step, actor=actor, booking=booking, step=name)}
    assert taken == set(next_steps(status))
    overridden = {name for name in STEPS
                  if _taken(booking_override, actor=network.head_a, booking=booking, step=name)}
    assert overridden == set(override_steps(status))
