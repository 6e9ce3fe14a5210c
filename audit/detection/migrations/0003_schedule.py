"""Detection's schedule, kept in the database for django-celery-beat.

An incremental run every five minutes over new events and a full run each night at 18:00 UTC
(01:00 WIB, 02:00 WITA, 03:00 WIT: night in every zone, after the counters close).
Re-running is harmless: each entry is found by name and updated.
"""

from django.db import migrations

from passport_portal.beat_schedule import Entry, schedule_operation

SCHEDULE = [
    Entry("detection: incremental run over new events", "detection.run_scheduled", every=5, period="minutes",
          kwargs={"kind": "INCREMENTAL"}),
    Entry("detection: nightly full run", "detection.run_scheduled", kwargs={"kind": "FULL"},
          crontab={"minute": "0", "hour": "18", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*",
                   "timezone": "UTC"}),
]


class Migration(migrations.Migration):

    dependencies = [
        ("detection", "0002_case_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [schedule_operation(*SCHEDULE)]
