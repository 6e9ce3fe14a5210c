"""The audit trail's schedule, kept in the database for django-celery-beat.

Sealing every minute, partitions ahead and retention once a day. Re-running is harmless:
each entry is found by name and updated.
"""

from django.db import migrations

from passport_portal.beat_schedule import Entry, schedule_operation

SCHEDULE = [
    Entry("audit: seal the trail", "audit.seal_trail", every=1, period="minutes"),
    Entry("audit: create partitions ahead", "audit.ensure_partitions", every=1, period="days"),
    Entry("audit: archive partitions past retention", "audit.retire_partitions", every=1, period="days"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_backstop"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [schedule_operation(*SCHEDULE)]
