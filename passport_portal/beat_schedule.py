"""Periodic tasks kept in the database for django-celery-beat, written by data migrations.

Each app's schedule migration names its entries and returns ``schedule_operation(...)``.
Entries are found by name and updated, so re-running a migration is harmless, and reversing
it removes exactly its own entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import migrations


@dataclass(frozen=True)
class Entry:
    """One periodic task: every ``every`` ``period`` (an interval), or on a ``crontab``."""

    name: str
    task: str
    every: int | None = None
    period: str | None = None  # "seconds", "minutes", "hours", "days"
    crontab: dict = field(default_factory=dict)  # minute, hour, …, timezone
    kwargs: dict = field(default_factory=dict)


def _schedule(entries: tuple[Entry, ...]):
    def forward(apps, schema_editor):
        interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
        crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
        task_model = apps.get_model("django_celery_beat", "PeriodicTask")
        for entry in entries:
            when = {"interval": None, "crontab": None}
            if entry.crontab:
                when["crontab"], _ = crontab_model.objects.get_or_create(**entry.crontab)
            else:
                when["interval"], _ = interval_model.objects.get_or_create(
                    every=entry.every, period=entry.period)
            task_model.objects.update_or_create(name=entry.name, defaults={
                "task": entry.task, "kwargs": json.dumps(entry.kwargs), "enabled": True, **when})

    return forward


def _unschedule(entries: tuple[Entry, ...]):
    def backward(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
            name__in=[entry.name for entry in entries]).delete()

    return backward


def schedule_operation(*entries: Entry) -> migrations.RunPython:
    """The migration operation that puts ``entries`` in the beat schedule (and takes them out)."""
    return migrations.RunPython(_schedule(entries), _unschedule(entries))
