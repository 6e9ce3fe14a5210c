"""Cancelling and moving a booking, by its applicant (before the cut-off) or by staff.

Each is one transaction: a conditional UPDATE of the booking (only a BOOKED booking moves or
is cancelled, so two concurrent requests cannot both succeed), then conditional UPDATEs of
the slots: a cancelled place is given back; a move takes the new place and gives back the
old one, locking the two slots in id order so opposite moves cannot deadlock.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import Actor, actor_for_user, event_record
from bookings.calendar import cancel_deadline
from bookings.choices import BookingStatus
from bookings.errors import Conflict
from bookings.models import Booking
from offices.access import Capability, require
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from .accounts import account_actor, account_of
from .slots import slot_find, slot_give_back, slot_take

CANCEL = """
UPDATE bookings_booking SET status = %s, cancelled_at = %s, cancelled_by_id = %s
WHERE id = %s AND status = %s RETURNING slot_id
"""
MOVE = """
WITH current AS (
    SELECT id, slot_id FROM bookings_booking WHERE id = %s AND status = %s FOR UPDATE
)
UPDATE bookings_booking b SET slot_id = %s, service_date = %s, slot_time = %s
FROM current WHERE b.id = current.id RETURNING current.slot_id
"""


def _own(actor, booking: Booking):
    """The applicant's account, refusing (404) a booking of another account."""
    account = account_of(actor)
    if booking.account_id != account.pk:
        raise Http404
    return account


def _before_cutoff(booking: Booking, now: dt.datetime) -> None:
    deadline = cancel_deadline(booking.office, booking.service_date, booking.slot_time)
    if now > deadline:
        raise Conflict(
            _("Changes are possible until %(deadline)s (office time); call the office instead.")
            % {"deadline": deadline.strftime("%Y-%m-%d %H:%M")},
            code="change_cutoff_passed", extra={"deadline": deadline.isoformat()},
        )


def _not_booked() -> Conflict:
    return Conflict(_("Only a booking not yet served can be changed."), code="not_changeable")


def _cancel(*, booking: Booking, staff_id: int | None, now: dt.datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(CANCEL, [BookingStatus.CANCELLED, now, staff_id, booking.pk, BookingStatus.BOOKED])
        row = cursor.fetchone()
    if row is None:
        raise _not_booked()
    slot_give_back(row[0])
    booking.status, booking.cancelled_at, booking.cancelled_by_id = BookingStatus.CANCELLED, now, staff_id


def booking_cancel(*, actor, booking: Booking, meta: RequestMeta = NO_REQUEST) -> Booking:
    """The applicant cancels their booking before the cut-off; the place goes back on sale."""
    account = _own(actor, booking)
    now = timezone.now()
    _before_cutoff(booking, now)
    with transaction.atomic():
        _cancel(booking=booking, staff_id=None, now=now)
        event_record(actor=account_actor(account), action=Action.BOOKING_CANCEL,
                     office=booking.office_id, target_type="booking", target_id=booking.ref,
                     details={"date": booking.service_date,
                              "slot": booking.slot_time.strftime("%H:%M")}, meta=meta)
    return booking


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why.")]})
    return reason


def booking_cancel_by_staff(*, actor, booking: Booking, reason: str,
                            meta: RequestMeta = NO_REQUEST) -> Booking:
    """An officer or head of the booking's office cancels it, with a reason (CANCEL)."""
    require(actor, Capability.OPERATE, booking.office_id)
    reason = _reason(reason)
    now = timezone.now()
    staff = getattr(actor, "staff", None)
    with transaction.atomic():
        _cancel(booking=booking, staff_id=staff.pk if staff else None, now=now)
        event_record(actor=actor_for_user(actor, office=booking.office), action=Action.CANCEL,
                     office=booking.office_id, target_type="booking", target_id=booking.ref,
                     details={"reason": reason, "date": booking.service_date,
                              "slot": booking.slot_time.strftime("%H:%M")}, meta=meta)
    return booking


def _move(*, booking: Booking, to_date: dt.date, to_time: dt.time, new_slot_id: int) -> int:
    """Point the booking at the new slot and move one place; returns the old slot's id."""
    with connection.cursor() as cursor:
        cursor.execute(MOVE, [booking.pk, BookingStatus.BOOKED, new_slot_id, to_date, to_time])
        row = cursor.fetchone()
    if row is None:
        raise _not_booked()
    old_slot_id = row[0]
    if old_slot_id == new_slot_id:
        raise ValidationError({"slot": [_("The booking is already at that time.")]})
    for slot_id in sorted((old_slot_id, new_slot_id)):
        if slot_id == new_slot_id:
            slot_take(slot_id)
        else:
            slot_give_back(slot_id)
    return old_slot_id


def _reschedule(*, booking: Booking, event_actor: Actor, action: Action, to_date: dt.date,
                to_time: dt.time, check_release: bool, extra: dict, meta: RequestMeta) -> Booking:
    new_slot_id = slot_find(office=booking.office, service_date=to_date, slot_time=to_time,
                            check_release=check_release)
    from_date, from_time = booking.service_date, booking.slot_time
    with transaction.atomic():
        _move(booking=booking, to_date=to_date, to_time=to_time, new_slot_id=new_slot_id)
        event_record(actor=event_actor, action=action, office=booking.office_id,
                     target_type="booking", target_id=booking.ref,
                     details={"from_date": from_date, "from_slot": from_time.strftime("%H:%M"),
                              "to_date": to_date, "to_slot": to_time.strftime("%H:%M"), **extra},
                     meta=meta)
    booking.slot_id, booking.service_date, booking.slot_time = new_slot_id, to_date, to_time
    return booking


def booking_reschedule(*, actor, booking: Booking, to_date: dt.date, to_time: dt.time,
                       meta: RequestMeta = NO_REQUEST) -> Booking:
    """The applicant moves their booking to another released slot of the same office,
    before the cut-off of the current one (BOOKING_RESCHEDULE)."""
    account = _own(actor, booking)
    _before_cutoff(booking, timezone.now())
    return _reschedule(booking=booking, event_actor=account_actor(account),
                       action=Action.BOOKING_RESCHEDULE, to_date=to_date, to_time=to_time,
                       check_release=True, extra={}, meta=meta)


def booking_reschedule_by_staff(*, actor, booking: Booking, to_date: dt.date, to_time: dt.time,
                                reason: str, meta: RequestMeta = NO_REQUEST) -> Booking:
    """Staff of the office move a booking (say, off a closed day), with a reason (RESCHEDULE).

    Staff may move into dates not yet released to the public, never into the past.
    """
    require(actor, Capability.OPERATE, booking.office_id)
    reason = _reason(reason)
    return _reschedule(booking=booking, event_actor=actor_for_user(actor, office=booking.office),
                       action=Action.RESCHEDULE, to_date=to_date, to_time=to_time,
                       check_release=False, extra={"reason": reason}, meta=meta)
