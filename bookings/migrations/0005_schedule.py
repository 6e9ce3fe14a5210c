"""The bookings schedule, kept in the database for django-celery-beat.

Ballots whose window closed are drawn within a minute; no-shows are marked every five
minutes, so each office's day is closed off soon after it ends in its own zone. Re-running
is harmless: each entry is found by name and updated.
"""

from django.db import migrations

from passport_portal.beat_schedule import Entry, schedule_operation

SCHEDULE = [
    Entry("bookings: draw ballots whose window closed", "bookings.draw_due_ballots", every=1, period="minutes"),
    Entry("bookings: mark no-shows after each office's day", "bookings.mark_no_shows", every=5, period="minutes"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0004_ballots_and_directives"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [schedule_operation(*SCHEDULE)]
