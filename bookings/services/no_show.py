"""Marking no-shows: bookings not checked in when their office's day has ended.

Offices in WIB, WITA and WIT close at different UTC moments, so the job runs every few
minutes and takes, in one statement per batch, every BOOKED booking whose office-day ended
(the office's closing time on the service date, on the office's own clock) before now.
The place is not given back: the day is past. Each booking gets MARK_NO_SHOW by the system
in the transaction that marks it. A transaction-level advisory lock makes a second job
started at the same moment (two beats by mistake) stop at once instead of doing the work twice;
the conditional ``status = 'BOOKED'`` makes any overlap harmless anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from audit.actions import Action
from audit.trail import Actor, event_record
from bookings.choices import BookingStatus

#: The trail's actor for the no-show job.
NO_SHOW_ACTOR = Actor.system("no_show_marker")
#: Advisory lock key of the no-show job ("noshow" as a number, fixed forever).
NO_SHOW_LOCK_KEY = 0x6E6F73686F77
BATCH = 500

# (service_date + closes_at) is the office-local end of the day; AT TIME ZONE the office's
# zone turns it into the UTC moment it ends. SKIP LOCKED leaves rows a counter is checking in.
MARK = """
WITH due AS (
    SELECT b.id FROM bookings_booking b JOIN offices_office o ON o.id = b.office_id
    WHERE b.status = %(booked)s AND NOT b.imported
      AND b.service_date <= %(latest)s
      AND ((b.service_date + o.closes_at) AT TIME ZONE o.timezone) <= %(now)s
    ORDER BY b.id LIMIT %(batch)s FOR UPDATE OF b SKIP LOCKED
)
UPDATE bookings_booking b SET status = %(no_show)s, no_show_at = %(now)s
FROM due WHERE b.id = due.id AND b.status = %(booked)s
RETURNING b.ref, b.office_id, b.service_date, b.slot_time
"""


@dataclass
class NoShowResult:
    """What one run marked, and whether another run held the lock."""

    marked: int = 0
    batches: int = 0
    locked_out: bool = False


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [NO_SHOW_LOCK_KEY])
        return cursor.fetchone()[0]


def no_shows_mark(*, now: dt.datetime | None = None, batch: int = BATCH,
                  max_batches: int = 200) -> NoShowResult:
    """Mark as NO_SHOW every BOOKED booking whose office-day has ended by ``now``.

    Works in batches of ``batch``, each its own transaction holding the advisory lock, so a
    large backlog of days never makes one long transaction; stops when a batch comes back
    short, or after ``max_batches`` (the next run continues).
    """
    now = now or timezone.now()
    # No office's day ends before the UTC date it starts on: a cheap bound for the index.
    latest = now.astimezone(dt.UTC).date()
    result = NoShowResult()
    for _ in range(max_batches):
        with transaction.atomic():
            if not _try_lock():
                result.locked_out = True
                return result
            with connection.cursor() as cursor:
                cursor.execute(MARK, {"booked": BookingStatus.BOOKED, "no_show": BookingStatus.NO_SHOW,
                                      "now": now, "latest": latest, "batch": batch})
                rows = cursor.fetchall()
            for ref, office_id, service_date, slot_time in rows:
                event_record(actor=NO_SHOW_ACTOR, action=Action.MARK_NO_SHOW, office=office_id,
                             target_type="booking", target_id=ref,
                             details={"date": service_date, "slot": slot_time.strftime("%H:%M")},
                             at=now)
        result.marked += len(rows)
        result.batches += 1
        if len(rows) < batch:
            break
    return result
