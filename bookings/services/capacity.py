"""Capacity of an office-day: slots made from the daily quota, changed and closed by heads."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.trail import Actor, actor_for_user, event_record
from bookings.calendar import is_working_day, slot_windows, spread
from bookings.models import Slot
from offices.access import Capability, require
from offices.models import Office
from passport_portal.request_meta import NO_REQUEST, RequestMeta

MAX_SLOT_CAPACITY = 100_000
SLOT_UNIQUE = "slot_unique_per_office_day_time"
#: The trail's actor for slots made from the quota on first use of an office-day.
SLOTS_ACTOR = Actor.system("slots_materialise")


def slots_materialise(*, office: Office, service_date: dt.date) -> bool:
    """Make the day's slots from the office's quota and hours if they do not exist yet.

    Idempotent and safe under concurrency: one INSERT of the whole day, so the first caller
    makes them and the others, refused by the unique (office, date, start) index, change
    nothing. Days outside ``BOOKING_WORKING_DAYS`` start closed. The slots derive from the
    audited quota, but the slot table is guarded against writes outside the application
    (audit/backstop.py), so making them records DAY_SLOTS_CREATE by the system in the same
    transaction. Returns False when the day already existed.
    """
    if Slot.objects.filter(office=office, service_date=service_date).exists():
        return False
    windows = slot_windows(office)
    capacities = spread(office.daily_quota, len(windows))
    closed = not is_working_day(service_date)
    rows = [
        Slot(office=office, service_date=service_date, starts_at=start, ends_at=end,
             capacity=capacity, closed=closed, closed_reason=_("Not a working day") if closed else "")
        for (start, end), capacity in zip(windows, capacities, strict=True)
    ]
    if not rows:
        return True
    try:
        with transaction.atomic():
            Slot.objects.bulk_create(rows)
            event_record(actor=SLOTS_ACTOR, action=Action.DAY_SLOTS_CREATE, office=office,
                         target_type="office", target_id=office.code,
                         details={"date": service_date, "slots": len(rows),
                                  "capacity": sum(capacities), "closed": closed})
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") != SLOT_UNIQUE:
            raise
        return False  # a concurrent caller made the day first
    return True


def _day_slots_locked(office: Office, service_date: dt.date) -> list[Slot]:
    slots_materialise(office=office, service_date=service_date)
    return list(Slot.objects.select_for_update().filter(office=office, service_date=service_date)
                .order_by("starts_at"))


def capacity_change(*, actor, office: Office, service_date: dt.date, capacity: int, reason: str,
                    slot_time: dt.time | None = None, meta: RequestMeta = NO_REQUEST) -> list[Slot]:
    """Set one slot's capacity, or the whole day's (spread over its slots), and record why.

    Capacity is never lowered below what is already booked: the database refuses it
    (``slot_booked_within_capacity``) and so does this service, with a message saying how
    many are booked. For a day, the places beyond those booked are spread evenly over the
    slots on top of their bookings. Records QUOTA_CHANGE with date, old, new and reason.
    """
    require(actor, Capability.MANAGE, office.pk)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the capacity changes.")]
    if not isinstance(capacity, int) or capacity < 0 or capacity > MAX_SLOT_CAPACITY:
        errors["capacity"] = [_("Capacity is a whole number from 0 to %(max)s.") % {"max": MAX_SLOT_CAPACITY}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        slots = _day_slots_locked(office, service_date)
        if slot_time is not None:
            slots = [s for s in slots if s.starts_at == slot_time]
            if not slots:
                raise ValidationError({"slot_time": [_("No slot starts at that time at this office.")]})
        if not slots:
            raise ValidationError({"service_date": [_("This office has no slots in its opening hours.")]})
        booked = sum(s.booked for s in slots)
        old = sum(s.capacity for s in slots)
        if capacity < booked:
            raise ValidationError({"capacity": [
                _("%(booked)s places are already booked; capacity cannot go below that. "
                  "Cancel or move bookings first, or close the day.") % {"booked": booked}]})
        if slot_time is not None:
            news = [capacity]
        else:
            news = [s.booked + extra for s, extra in zip(slots, spread(capacity - booked, len(slots)),
                                                          strict=True)]
        for slot, new in zip(slots, news, strict=True):
            slot.capacity = new
        Slot.objects.bulk_update(slots, ["capacity", "updated_at"])
        details = {"date": service_date, "old": old, "new": capacity, "reason": reason}
        if slot_time is not None:
            details["slot"] = slot_time.strftime("%H:%M")
        event_record(actor=actor_for_user(actor, office=office), action=Action.QUOTA_CHANGE,
                     office=office, target_type="office", target_id=office.code,
                     details=details, meta=meta)
    return slots


def _day_set_closed(*, actor, office: Office, service_date: dt.date, closed: bool, reason: str,
                    action: Action, meta: RequestMeta) -> int:
    require(actor, Capability.MANAGE, office.pk)
    reason = (reason or "").strip()
    if closed and not reason:
        raise ValidationError({"reason": [_("Say why the office is closed that day.")]})
    with transaction.atomic():
        slots_materialise(office=office, service_date=service_date)
        changed = (Slot.objects.filter(office=office, service_date=service_date)
                   .update(closed=closed, closed_reason=reason if closed else ""))
        booked = (Slot.objects.filter(office=office, service_date=service_date)
                  .aggregate(total=Sum("booked"))["total"] or 0)
        event_record(actor=actor_for_user(actor, office=office), action=action, office=office,
                     target_type="office", target_id=office.code,
                     details={"date": service_date, "reason": reason, "slots": changed,
                              "booked": booked}, meta=meta)
    return changed


def day_close(*, actor, office: Office, service_date: dt.date, reason: str,
              meta: RequestMeta = NO_REQUEST) -> int:
    """Close an office-day (a holiday): nothing more is sold; existing bookings stay, for
    staff to move. Records DAY_CLOSE with the number of bookings still on the day."""
    return _day_set_closed(actor=actor, office=office, service_date=service_date, closed=True,
                           reason=reason, action=Action.DAY_CLOSE, meta=meta)


def day_reopen(*, actor, office: Office, service_date: dt.date, reason: str = "",
               meta: RequestMeta = NO_REQUEST) -> int:
    """Open an office-day for booking again (or a weekend ordered to clear a backlog)."""
    return _day_set_closed(actor=actor, office=office, service_date=service_date, closed=False,
                           reason=reason, action=Action.DAY_REOPEN, meta=meta)
