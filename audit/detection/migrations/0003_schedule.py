"""Detection's schedule, kept in the database for django-celery-beat.

An incremental run every five minutes over new events and a full run each night at 18:00 UTC
(01:00 WIB, 02:00 WITA, 03:00 WIT: night in every zone, after the counters close).
Re-running is harmless: each entry is found by name and updated.
"""

from django.db import migrations

INCREMENTAL = "detection: incremental run over new events"
NIGHTLY = "detection: nightly full run"


def schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five, _ = interval_model.objects.get_or_create(every=5, period="minutes")
    task_model.objects.update_or_create(
        name=INCREMENTAL, defaults={"task": "detection.run_scheduled", "interval": every_five,
                                    "crontab": None, "kwargs": '{"kind": "INCREMENTAL"}', "enabled": True})
    nightly, _ = crontab_model.objects.get_or_create(
        minute="0", hour="18", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC")
    task_model.objects.update_or_create(
        name=NIGHTLY, defaults={"task": "detection.run_scheduled", "crontab": nightly, "interval": None,
                                "kwargs": '{"kind": "FULL"}', "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[INCREMENTAL, NIGHTLY]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("detection", "0002_case_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
