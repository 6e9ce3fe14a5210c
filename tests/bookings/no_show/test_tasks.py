"""The no-show job on a real worker over the real broker, and its schedule."""

from django.db import connection
from django_celery_beat.models import PeriodicTask

from audit.models import Event
from bookings import tasks
from bookings.models import Booking


def move_into_the_past(zone_day, days: int = 5) -> None:
    """The worker runs on the real clock, which cannot be turned: move the bookings' day back."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_booking SET service_date = service_date - %s WHERE id = ANY(%s)",
                       [days, [b.pk for b in zone_day.bookings.values()]])


def test_the_task_marks_every_zone_whose_day_has_ended(celery_worker, zone_day):
    move_into_the_past(zone_day)
    outcome = tasks.mark_no_shows.delay().get(timeout=60)
    assert outcome == {"marked": 3, "batches": 1, "locked_out": False}
    assert set(Booking.objects.values_list("status", flat=True)) == {"NO_SHOW"}


def test_the_task_run_twice_marks_once(celery_worker, zone_day):
    move_into_the_past(zone_day)
    tasks.mark_no_shows.delay().get(timeout=60)
    assert tasks.mark_no_shows.delay().get(timeout=60)["marked"] == 0
    assert Event.objects.filter(action="MARK_NO_SHOW").count() == 3


def test_the_task_leaves_days_not_yet_ended(celery_worker, zone_day):
    assert tasks.mark_no_shows.delay().get(timeout=60)["marked"] == 0
    assert set(Booking.objects.values_list("status", flat=True)) == {"BOOKED"}


def test_the_job_is_scheduled_every_five_minutes_in_the_database(db):
    entry = PeriodicTask.objects.get(task="bookings.mark_no_shows")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (5, "minutes")
