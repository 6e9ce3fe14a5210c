"""Bookings moved back past the retention period.

The real clock cannot be turned, so bookings are made through the services for a day on sale
and then moved into the past with SQL (``age``), as the no-show tests do.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from bookings.models import Booking
from bookings.services import booking_cancel
from tests.bookings import builders

DAYS = 100


def today() -> dt.date:
    return timezone.now().date()


def cutoff() -> dt.date:
    """The first service date kept with ``DAYS`` of retention."""
    return today() - dt.timedelta(days=DAYS)


def age(booking: Booking, day: dt.date) -> Booking:
    """Move ``booking`` to ``day``, with its final step (if any) at noon that day (UTC)."""
    noon = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE bookings_booking SET service_date = %s,
                              cancelled_at = CASE WHEN cancelled_at IS NULL THEN NULL ELSE %s END,
                              no_show_at = CASE WHEN no_show_at IS NULL THEN NULL ELSE %s END
                          WHERE id = %s""", [day, noon, noon, booking.pk])
    booking.refresh_from_db()
    return booking


def cancelled(user, office, day: dt.date, *, on: dt.date, **fields) -> Booking:
    """A booking cancelled by its applicant, moved to service date ``on``."""
    booking = builders.booking(user, office, day, **fields)
    booking_cancel(actor=user, booking=booking)
    return age(booking, on)
