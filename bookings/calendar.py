"""Office-local time arithmetic for slots: windows of a day, release moments, cut-offs.

Everything here is in the office's own zone (WIB, WITA, WIT) and returns aware datetimes;
storage stays UTC.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from offices.models import Office


def slot_minutes() -> int:
    return settings.BOOKING_SLOT_MINUTES


def slot_windows(office: Office) -> list[tuple[dt.time, dt.time]]:
    """The day's windows inside opening hours, ``BOOKING_SLOT_MINUTES`` long.

    A stub shorter than a slot at closing time is not offered.
    """
    length = dt.timedelta(minutes=slot_minutes())
    day = dt.date(2000, 1, 3)  # any date: only the times matter
    start = dt.datetime.combine(day, office.opens_at)
    close = dt.datetime.combine(day, office.closes_at)
    windows = []
    while start + length <= close:
        windows.append((start.time(), (start + length).time()))
        start += length
    return windows


def spread(total: int, parts: int) -> list[int]:
    """``total`` places over ``parts`` slots as evenly as possible, earlier slots first."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def is_working_day(day: dt.date) -> bool:
    """True on the weekdays offices serve by default (``BOOKING_WORKING_DAYS``)."""
    return day.isoweekday() in settings.BOOKING_WORKING_DAYS


def local_datetime(office: Office, day: dt.date, time: dt.time) -> dt.datetime:
    """``day`` at ``time`` on the office's clock, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=office.zone)


def release_time() -> dt.time:
    return dt.time.fromisoformat(settings.BOOKING_RELEASE_TIME)


def released_at(office: Office, day: dt.date) -> dt.datetime:
    """When slots for ``day`` open: the release time, ``BOOKING_DAYS_AHEAD`` days before."""
    return local_datetime(office, day - dt.timedelta(days=settings.BOOKING_DAYS_AHEAD), release_time())


def cancel_deadline(office: Office, day: dt.date, time: dt.time) -> dt.datetime:
    """The last moment an applicant may cancel or move a booking for that slot."""
    return local_datetime(office, day, time) - dt.timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)
