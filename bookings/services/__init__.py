"""Writes of the bookings app, one module per concept. Import from here."""

from .accounts import account_actor, account_of, account_register
from .applicants import Applicant, applicant_validate
from .booking import booking_create
from .capacity import capacity_change, day_close, day_reopen, slots_materialise
from .changes import (
    booking_cancel,
    booking_cancel_by_staff,
    booking_reschedule,
    booking_reschedule_by_staff,
)
from .counter import STEPS, booking_override, booking_step
from .rate_limits import rate_counters_prune, rate_limit_take
from .viewing import applicant_view_record
from .walk_in import walk_in_insert

__all__ = [
    "STEPS",
    "Applicant",
    "account_actor",
    "account_of",
    "account_register",
    "applicant_validate",
    "applicant_view_record",
    "booking_cancel",
    "booking_cancel_by_staff",
    "booking_create",
    "booking_override",
    "booking_reschedule",
    "booking_reschedule_by_staff",
    "booking_step",
    "capacity_change",
    "day_close",
    "day_reopen",
    "rate_counters_prune",
    "rate_limit_take",
    "slots_materialise",
    "walk_in_insert",
]
