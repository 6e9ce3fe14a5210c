"""Detection's Celery tasks on a real worker over the real broker, and their schedule."""

import datetime as dt
import importlib
import time

import pytest
from django.apps import apps
from django.db import connection
from django_celery_beat.models import PeriodicTask

from audit.detection import tasks
from audit.detection.choices import RunStatus
from audit.detection.models import DetectionRun, Finding

from .history import MONDAY, History


def _bot_at(office: str, count: int = 15) -> str:
    history = History(office=office)
    bot = history.account()
    created = dt.datetime.combine(MONDAY - dt.timedelta(days=5), dt.time(7, 0), tzinfo=dt.UTC)
    for k in range(count):
        ref = history.booking(bot, MONDAY, status="NO_SHOW",
                              created=(created + dt.timedelta(minutes=k)).isoformat())
    history.serve(ref, MONDAY, history.staff()[0])
    history.load()
    return bot


def _wait_for_end(run_id: int, timeout: float = 60) -> DetectionRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = DetectionRun.objects.get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still running after {timeout}s")


@pytest.fixture
def long_window(settings):
    settings.DETECTION_FULL_WINDOW_DAYS = 3650


def test_a_scheduled_run_fans_out_per_region_and_finishes_on_the_worker(celery_worker, long_window, network):
    bot = _bot_at("KANIM-WIB")
    outcome = tasks.run_scheduled.delay(kind="FULL").get(timeout=30)
    assert outcome["started"] is True
    run = _wait_for_end(outcome["run"])
    assert run.status == RunStatus.SUCCEEDED, run.error
    # The network, accounts and clustered parts, and one part per region with events: DKI Jakarta
    # and Sulawesi Selatan.
    assert sorted(run.parts) == sorted(["network", "accounts", "clustered", f"region:{network.kanim_a.region_id}",
                                        f"region:{network.kanim_b.region_id}"])
    assert sorted(run.parts_done) == sorted(run.parts)
    assert Finding.objects.filter(detector="bots", subject_id=bot, last_run=run).exists()


def test_a_duplicate_trigger_starts_no_second_run(celery_worker, long_window, network):
    _bot_at("KANIM-WIB")
    first = tasks.run_scheduled.delay(kind="FULL")
    second = tasks.run_scheduled.delay(kind="FULL")
    outcomes = [first.get(timeout=30), second.get(timeout=30)]
    assert sorted(o["started"] for o in outcomes) == [False, True]
    _wait_for_end(next(o["run"] for o in outcomes if o["started"]))
    assert DetectionRun.objects.count() == 1


def test_a_part_that_fails_marks_the_run_failed_with_the_error(celery_worker, long_window, network):
    _bot_at("KANIM-WIB")
    from audit.detection.services import detector_settings_sync

    detector_settings_sync()
    with connection.cursor() as cursor:  # a setting broken behind the service's back
        cursor.execute("""UPDATE detection_detectorsetting SET params = '{"peak_hour_min": "many"}'
                          WHERE detector = 'bots'""")
    outcome = tasks.run_scheduled.delay(kind="FULL").get(timeout=30)
    run = _wait_for_end(outcome["run"])
    assert run.status == RunStatus.FAILED and "many" in run.error


def test_tasks_acknowledge_late_and_are_redelivered_when_a_worker_dies():
    for task in (tasks.run_scheduled, tasks.run_part, tasks.run_finish):
        assert task.acks_late and task.reject_on_worker_lost


def test_the_schedule_is_kept_in_the_database_idempotently(db):
    operation = importlib.import_module("audit.detection.migrations.0003_schedule").Migration.operations[0]
    operation.code(apps, None)
    operation.code(apps, None)
    scheduled = PeriodicTask.objects.filter(task="detection.run_scheduled")
    assert sorted((task.kwargs, task.interval_id is not None, task.crontab_id is not None)
                  for task in scheduled) == [('{"kind": "FULL"}', False, True),
                                             ('{"kind": "INCREMENTAL"}', True, False)]
