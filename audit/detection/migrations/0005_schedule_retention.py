"""Retention runs once a day (retention.apply) at 21:00 UTC: 04:00 WIB, 05:00 WITA, 06:00 WIT.

After the nightly full detection run (18:00 UTC) has had three hours, and before any office
opens. Re-running is harmless: the entry is found by name and updated.
"""

from django.db import migrations

from passport_portal.beat_schedule import Entry, schedule_operation

SCHEDULE = [
    Entry("retention: anonymise and delete personal data past its period", "retention.apply",
          crontab={"minute": "0", "hour": "21", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*",
                   "timezone": "UTC"}),
]


class Migration(migrations.Migration):

    dependencies = [
        ("detection", "0004_case_retention_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [schedule_operation(*SCHEDULE)]
