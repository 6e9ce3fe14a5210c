"""The audit trail's schedule, kept in the database for django-celery-beat.

Sealing every minute, partitions ahead and retention once a day. Re-running is harmless:
each entry is found by name and updated.
"""

from django.db import migrations

SCHEDULE = [
    # (name, task, every, period)
    ("audit: seal the trail", "audit.seal_trail", 1, "minutes"),
    ("audit: create partitions ahead", "audit.ensure_partitions", 1, "days"),
    ("audit: archive partitions past retention", "audit.retire_partitions", 1, "days"),
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
        ("audit", "0005_backstop"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
