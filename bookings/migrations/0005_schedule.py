"""The bookings schedule, kept in the database for django-celery-beat.

Ballots whose window closed are drawn within a minute; no-shows are marked every five
minutes, so each office's day is closed off soon after it ends in its own zone. Re-running
is harmless: each entry is found by name and updated.
"""

from django.db import migrations

SCHEDULE = [
    # (name, task, every, period)
    ("bookings: draw ballots whose window closed", "bookings.draw_due_ballots", 1, "minutes"),
    ("bookings: mark no-shows after each office's day", "bookings.mark_no_shows", 5, "minutes"),
]


def schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period in SCHEDULE:
        interval, _ = interval_model.objects.get_or_create(every=every, period=period)
        task_model.objects.update_or_create(
            name=name, defaults={"task": task, "interval": interval, "enabled": True})


def unschedule(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    task_model.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0004_ballots_and_directives"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
