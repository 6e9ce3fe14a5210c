"""Scheduled audit tasks, run by a real worker over the real broker, and their schedule."""

from django_celery_beat.models import PeriodicTask

from audit import tasks
from audit.models import Event, SealBlock
from tests.audit.conftest import offices_with_events


def test_sealing_task_seals_through_a_real_worker(celery_worker):
    offices_with_events(2)
    outcome = tasks.seal_trail.delay().get(timeout=30)
    assert outcome == {"blocks": 1, "events": Event.objects.count(), "locked_out": False}
    assert SealBlock.objects.count() == 1


def test_sealing_task_run_twice_seals_once(celery_worker):
    offices_with_events(2)
    tasks.seal_trail.delay().get(timeout=30)
    assert tasks.seal_trail.delay().get(timeout=30)["blocks"] == 0
    assert SealBlock.objects.count() == 1


def test_partition_task_is_idempotent(celery_worker):
    tasks.ensure_partitions.delay().get(timeout=30)
    assert tasks.ensure_partitions.delay().get(timeout=30) == 0


def test_tasks_acknowledge_late_and_retry_on_database_outages():
    for task in (tasks.seal_trail, tasks.ensure_partitions, tasks.retire_partitions):
        assert task.acks_late
        assert task.autoretry_for


def test_the_schedule_lives_in_the_database(db):
    scheduled = dict(PeriodicTask.objects.filter(task__startswith="audit.")
                     .values_list("task", "interval__period"))
    assert scheduled == {"audit.seal_trail": "minutes", "audit.ensure_partitions": "days",
                         "audit.retire_partitions": "days"}
