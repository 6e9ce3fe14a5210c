"""The benchmarks' "trail off" switch: a sale's statement run without the event it writes."""

from __future__ import annotations

# The tables whose backstop trigger the "off" case disables.
GUARDED = ("bookings_booking", "bookings_slot")


def statement_alone(statement: str, params: list, _draft):
    """``audit.trail.event_record_with`` without its event: runs the statement alone and returns
    its first row (None when it returned none), which is all the caller asks of it."""
    from passport_portal.prepared import prepared_cursor

    with prepared_cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()
