"""A task that outlasts Redis's visibility timeout is delivered again while it still runs; the
second delivery must not do the work a second time, nor move the run on twice."""

from __future__ import annotations

import re

from audit.detection.choices import RunKind, RunStatus
from audit.detection.foreground import run_in_foreground
from audit.detection.models import DetectionRun, Finding
from audit.detection.registry import detectors_for
from tests.builders import SYSTEM

from .processes import wait_until

VISIBILITY_TIMEOUT = 2


def _deliveries(log: str, task: str) -> dict[str, int]:
    """How many times each task id of ``task`` was received by the worker."""
    counts: dict[str, int] = {}
    for task_id in re.findall(rf"Task {re.escape(task)}\[([0-9a-f-]+)\] received", log):
        counts[task_id] = counts.get(task_id, 0) + 1
    return counts


def test_a_part_outlasting_the_visibility_timeout_is_worked_once(bots_in_two_regions, processes,
                                                                findings_lock):
    # Five processes: the accounts part (the bots' findings), and the clustered and region parts
    # sent after the network part, can each hold one at the lock; a free one receives the
    # message redelivered.
    processes.worker(concurrency=5, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    findings_lock.take()
    processes.call("detection.run_scheduled", kind="FULL")
    wait_until(findings_lock.waiting, timeout=60, what="a part to store its findings")
    # Held past the visibility timeout, the part's message goes back to the queue and the
    # worker's other process receives it.
    wait_until(lambda: max(_deliveries(processes.log("worker"), "detection.run_part").values()) >= 2,
               timeout=30, what="the broker to deliver a held part a second time")
    findings_lock.release()

    run = wait_until(lambda: DetectionRun.objects.exclude(status=RunStatus.RUNNING).first(), timeout=60,
                     what="the run to end")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert sorted(run.parts_done) == sorted(run.parts) and len(run.parts) == 5
    log = processes.log("worker")
    # Each detector worked each part once: once for the network, the accounts and the clustered
    # part, once per region, once to finish.
    for scope, times in (("network", 1), ("accounts", 1), ("clustered", 1), ("region", 2), ("finish", 1)):
        for detector in detectors_for(scope):
            assert log.count(f"detector {detector.name} found") == times, (detector.name, log)
    findings = dict(Finding.objects.values_list("fingerprint", "score"))
    again = run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, progress=False)
    assert run.counts == again.counts  # nothing counted twice
    assert dict(Finding.objects.values_list("fingerprint", "score")) == findings
