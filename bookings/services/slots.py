"""Taking and giving back places in a slot: the conditional UPDATEs every booking path uses.

No path reads ``booked`` and writes it back: each change is one UPDATE whose WHERE clause
PostgreSQL re-checks on the locked row, so concurrent requests can never overbook.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.trail import EventDraft, event_record_with
from bookings.calendar import local_datetime, released_at
from bookings.choices import RefusalReason
from bookings.errors import BookingRefused, Conflict
from offices.models import Office
from passport_portal.model_rows import fetch_row

from .capacity import slots_materialise

TAKE = ("UPDATE bookings_slot SET booked = booked + 1 "
        "WHERE id = %s AND booked < capacity AND NOT closed RETURNING booked")
GIVE_BACK = "UPDATE bookings_slot SET booked = booked - 1 WHERE id = %s AND booked > 0"


def slot_take(slot_id: int, *, recording: EventDraft | None = None) -> None:
    """Take one place in the slot, in the caller's transaction, or refuse: full or closed (409).

    With ``recording``, the sale's event is written by the very statement that takes the place
    (``event_record_with``), and only if it took one.
    """
    if recording is not None:
        taken = event_record_with(TAKE, [slot_id], recording) is not None
    else:
        taken = fetch_row(TAKE, [slot_id], prepared=True) is not None
    if taken:
        return
    (closed,) = fetch_row("SELECT closed FROM bookings_slot WHERE id = %s", [slot_id], prepared=True)
    if closed:
        raise Conflict(_("The office does not serve at that time."), code=RefusalReason.SLOT_CLOSED)
    raise Conflict(_("This slot is full. Choose another time or day."), code=RefusalReason.SLOT_FULL)


def slot_give_back(slot_id: int) -> None:
    """Return one place to the slot (a cancellation), in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(GIVE_BACK, [slot_id])


def slot_find(*, office: Office, service_date: dt.date, slot_time: dt.time,
              now: dt.datetime | None = None, check_release: bool = True,
              allow_started: bool = False, refuse_full: bool = True) -> int:
    """The id of the slot starting at ``slot_time`` on that office-day, made if needed.

    Refuses a date not released yet (409 ``slot_not_released``), a slot already started
    (400 ``slot_in_past``), a time that is no slot start (400 ``slot_unknown``) and a
    closed day or inactive office (409 ``slot_closed``), and a slot already full when read
    (409 ``slot_full``; ``refuse_full=False`` leaves that to the conditional UPDATE alone).
    """
    now = now or timezone.now()
    if not office.is_active:
        raise Conflict(_("This office does not take bookings."), code=RefusalReason.SLOT_CLOSED)
    if not allow_started and local_datetime(office, service_date, slot_time) <= now:
        raise BookingRefused(_("That slot has already started; choose a later one."),
                             code=RefusalReason.SLOT_IN_PAST, extra={"field": "slot"})
    if check_release:
        opens = released_at(office, service_date)
        if now < opens:
            raise Conflict(
                _("Slots for %(date)s open at %(opens)s (office time).")
                % {"date": service_date.isoformat(), "opens": opens.strftime("%Y-%m-%d %H:%M")},
                code=RefusalReason.SLOT_NOT_RELEASED, extra={"opens_at": opens.isoformat()},
            )
    by_ballot, *row = _slot_row(office, service_date, slot_time)
    # A day released by ballot is not sold first come (staff paths skip this check).
    if check_release and by_ballot:
        raise Conflict(_("Places on %(date)s are given by ballot; enter the ballot instead.")
                       % {"date": service_date.isoformat()}, code=RefusalReason.SLOT_BY_BALLOT)
    if row[0] is None:
        # Another request may have made the day between the read and now: read again either way.
        slots_materialise(office=office, service_date=service_date)
        row = _slot_row(office, service_date, slot_time)[1:]
    if row[0] is None:
        raise BookingRefused(_("No slot starts at that time at this office."),
                             code=RefusalReason.SLOT_UNKNOWN, extra={"field": "slot"})
    slot_id, closed, booked, capacity = row
    if closed:
        raise Conflict(_("The office does not serve at that time."), code=RefusalReason.SLOT_CLOSED)
    if refuse_full and booked >= capacity:
        # A read that can only refuse, never sell: in a stampede most attempts find the slot
        # full, and this spares them the write transaction. The conditional UPDATE alone sells.
        raise Conflict(_("This slot is full. Choose another time or day."), code=RefusalReason.SLOT_FULL)
    return slot_id


# Whether the day goes by ballot, and the slot (all NULL when its day is not made yet): one row,
# one round trip, on the unique (office, date, start) index. Every attempt reads it.
FIND = """
SELECT EXISTS (SELECT 1 FROM bookings_ballot WHERE office_id = %(office)s AND service_date = %(day)s),
       s.id, s.closed, s.booked, s.capacity
  FROM (SELECT 1) AS one
  LEFT JOIN bookings_slot s
         ON s.office_id = %(office)s AND s.service_date = %(day)s AND s.starts_at = %(start)s
"""


def _slot_row(office: Office, service_date: dt.date, slot_time: dt.time) -> tuple:
    """``(by_ballot, id, closed, booked, capacity)``."""
    return fetch_row(FIND, {"office": office.pk, "day": service_date, "start": slot_time}, prepared=True)
