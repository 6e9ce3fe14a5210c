"""Schedule migrations: entries found by name and updated, reversed one by one."""

from __future__ import annotations

from django.apps import apps
from django_celery_beat.models import PeriodicTask

from passport_portal.beat_schedule import Entry, schedule_operation

EVERY_TEN = Entry("test: every ten minutes", "test.ten", every=10, period="minutes", kwargs={"size": 3})
NIGHTLY = Entry("test: nightly", "test.night", crontab={"minute": "5", "hour": "17", "timezone": "UTC"})


def test_scheduling_twice_keeps_one_entry_each_with_its_timing(db):
    operation = schedule_operation(EVERY_TEN, NIGHTLY)
    operation.code(apps, None)
    PeriodicTask.objects.filter(name=EVERY_TEN.name).update(enabled=False, task="test.renamed")
    operation.code(apps, None)
    ten = PeriodicTask.objects.get(name=EVERY_TEN.name)
    night = PeriodicTask.objects.get(name=NIGHTLY.name)
    assert (ten.task, ten.enabled, ten.kwargs) == ("test.ten", True, '{"size": 3}')
    assert (ten.interval.every, ten.interval.period, ten.crontab) == (10, "minutes", None)
    assert (night.crontab.minute, night.crontab.hour, night.interval) == ("5", "17", None)


def test_reversing_removes_its_own_entries_only(db):
    schedule_operation(EVERY_TEN).code(apps, None)
    operation = schedule_operation(NIGHTLY)
    operation.code(apps, None)
    operation.reverse_code(apps, None)
    assert set(PeriodicTask.objects.filter(name__startswith="test:").values_list("name", flat=True)) == {
        EVERY_TEN.name}
