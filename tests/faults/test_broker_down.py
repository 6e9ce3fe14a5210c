"""The broker down: bookings, counter work and the audit trail carry on; a run the workers cannot
take fails at once instead of blocking detection; when the broker is back, the scheduled
incremental run catches up on everything since the last successful run, by itself."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from audit.detection.choices import RunKind, RunStatus
from audit.detection.foreground import run_in_foreground
from audit.detection.models import DetectionRun, Finding
from audit.models import Event
from bookings.models import Booking
from tests.bookings.builders import account_user
from tests.builders import SYSTEM

from .conftest import plant_bot
from .processes import ROOT, wait_until

#: The booking calendar of the portal process: every day open, dates on sale at midnight.
CALENDAR = {"BOOKING_WORKING_DAYS": "1,2,3,4,5,6,7", "BOOKING_RELEASE_TIME": "00:00"}


@pytest.fixture
def incremental_every_two_seconds(transactional_db):
    """The schedule's incremental run, every two seconds instead of five minutes; nothing else on it."""
    PeriodicTask.objects.update(enabled=False)
    every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    task, _ = PeriodicTask.objects.update_or_create(
        name="detection: incremental run over new events",
        defaults={"task": "detection.run_scheduled", "interval": every, "crontab": None, "enabled": True,
                  "kwargs": json.dumps({"kind": "INCREMENTAL"})})
    return task


def _portal_requests(processes, plan: dict) -> dict:
    result = subprocess.run([sys.executable, "-m", "tests.faults.without_broker", json.dumps(plan)], cwd=ROOT,
                            env=processes.env(**CALENDAR), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_portal_carries_on_without_its_broker_and_detection_catches_up_after(
        network, redis, processes, incremental_every_two_seconds, settings):
    settings.DETECTION_FULL_WINDOW_DAYS = 36500
    applicant = account_user("antrean@example.invalid")
    plant_bot("KANIM-FAULT-BEFORE", "DKI Jakarta")
    watermark = run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, progress=False).through_event_id
    processes.worker()
    processes.beat()

    redis.kill()
    answers = _portal_requests(processes, {
        "applicant": applicant.username, "officer": network.officer_a.username,
        "auditor": network.auditor.username, "office": network.kanim_a.code,
        "day": (network.kanim_a.local_date() + dt.timedelta(days=3)).isoformat()})
    late_bot = plant_bot("KANIM-FAULT-DURING", "DKI Jakarta")  # an import meanwhile: no broker either

    assert answers["book"][0] == 201 and answers["walk_in"][0] == 201, answers
    assert answers["check_in"] == [200, "CHECKED_IN"] and answers["verify_documents"][0] == 200, answers
    booked, walked_in = answers["book"][1], answers["walk_in"][1]
    refs = dict(Booking.objects.filter(code__in=[booked, walked_in]).values_list("code", "ref"))
    trail = set(Event.objects.filter(target_type="booking", target_id__in=refs.values())
                .values_list("target_id", "action"))
    assert {(refs[booked], "BOOK"), (refs[walked_in], "CHECK_IN"), (refs[walked_in], "VERIFY_DOCUMENTS")} <= trail
    # The auditor's run could not reach the workers: refused with a reason, and failed at once
    # rather than left running, which would block every run until the stale limit.
    assert answers["detection_run"] == [503, "broker_unavailable"]
    refused = DetectionRun.objects.get(status=RunStatus.FAILED)
    assert "broker" in refused.error
    outage_events = Event.objects.filter(id__gt=watermark)
    first_new, last_new = min(e.id for e in outage_events), max(e.id for e in outage_events)

    redis.start()  # the same address: the worker and beat reconnect by themselves
    caught_up = wait_until(lambda: DetectionRun.objects.filter(
        status=RunStatus.SUCCEEDED, kind=RunKind.INCREMENTAL, pk__gt=refused.pk).first(),
        timeout=90, what="the scheduled incremental run after the broker came back")
    assert caught_up.after_event_id == watermark  # from the last successful run: the failed one left no gap
    assert caught_up.after_event_id < first_new and caught_up.through_event_id >= last_new
    assert Finding.objects.filter(detector="bots", subject_id=late_bot, last_run=caught_up).exists()
