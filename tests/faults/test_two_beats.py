"""Two beat processes started by mistake: each fires the nightly full run, and it still runs once,
even when the second fires after the first run has finished (the lock alone no longer sees it).

django-celery-beat saves a beat's first firing at once but later ones only every few minutes,
so a second beat reading the schedule in between fires the same tick again, minutes late. The
first tick comes from a real beat; the second beat's copy of it is sent the way beat sends it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from audit.detection.choices import RunKind, RunStatus
from audit.detection.models import DetectionRun

from .processes import wait_until


def _full_run_due_now() -> PeriodicTask:
    """The nightly full run, due at once: last run two hours ago on an hourly schedule."""
    PeriodicTask.objects.update(enabled=False)
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    task, _ = PeriodicTask.objects.update_or_create(
        name="detection: nightly full run",
        defaults={"task": "detection.run_scheduled", "interval": hourly, "crontab": None, "enabled": True,
                  "kwargs": json.dumps({"kind": RunKind.FULL}),
                  "last_run_at": timezone.now() - dt.timedelta(hours=2)})
    return task


def _outcomes(log: str) -> list[str]:
    # The duration may carry a run of 16 digits ("0.0170410000005131s"), which the log's NIK mask
    # turns into asterisks: the pattern takes those too.
    return re.findall(r"Task detection\.run_scheduled\[[0-9a-f-]+\] succeeded in [0-9.*]+s: (\{[^}]*\})", log)


def test_a_second_beat_firing_the_same_tick_starts_no_second_run(bots_in_two_regions, processes):
    _full_run_due_now()
    processes.worker()
    processes.beat()
    first = wait_until(lambda: DetectionRun.objects.filter(status=RunStatus.SUCCEEDED).first(), timeout=60,
                       what="the first beat's full run")

    processes.call("detection.run_scheduled", kind=RunKind.FULL)  # the second beat's copy of the tick
    outcomes = wait_until(lambda: len(_outcomes(processes.log("worker"))) >= 2 and _outcomes(processes.log("worker")),
                          timeout=120, what="the worker to take the second tick")  # slow on a loaded host

    assert "'started': True" in outcomes[0] and outcomes[1] == "{'started': False}"
    assert list(DetectionRun.objects.values_list("pk", "kind")) == [(first.pk, RunKind.FULL)]
