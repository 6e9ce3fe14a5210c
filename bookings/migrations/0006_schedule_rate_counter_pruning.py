"""The rate-limit counters are pruned every hour (bookings.prune_rate_counters)."""

from django.db import migrations

from passport_portal.beat_schedule import Entry, schedule_operation

SCHEDULE = [
    Entry("bookings: prune closed rate-limit windows", "bookings.prune_rate_counters",
          every=1, period="hours"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0005_schedule"),
    ]

    operations = [schedule_operation(*SCHEDULE)]
