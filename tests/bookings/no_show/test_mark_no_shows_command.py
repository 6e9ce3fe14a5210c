"""The mark_no_shows command shares the job's runner."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from bookings.models import Booking
from bookings.services.no_show import NO_SHOW_LOCK_KEY


def run() -> str:
    out = StringIO()
    call_command("mark_no_shows", stdout=out)
    return out.getvalue()


def test_the_command_marks_ended_days(network, zone_day):
    with connection.cursor() as cursor:  # the real clock cannot be turned: move the day back
        cursor.execute("UPDATE bookings_booking SET service_date = service_date - 5")
    assert "3 booking(s) marked NO_SHOW" in run()
    assert set(Booking.objects.values_list("status", flat=True)) == {"NO_SHOW"}


def test_the_command_stops_when_another_run_holds_the_lock(network, zone_day):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [NO_SHOW_LOCK_KEY])
        with pytest.raises(CommandError, match="holds the lock"):
            run()
    finally:
        other.close()
