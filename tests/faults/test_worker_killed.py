"""A worker killed (SIGKILL) in the middle of a detection run: the run completes on redelivery,
with exactly the findings an uninterrupted run finds: none missing, none twice."""

from __future__ import annotations

import os
import signal

from audit.detection.choices import RunKind, RunStatus
from audit.detection.foreground import run_in_foreground
from audit.detection.models import DetectionRun, Finding
from tests.builders import SYSTEM

from .processes import children_of, wait_until


def _kill_pool_child(worker) -> int:
    """SIGKILL the pool process doing the work (the worker's only child)."""
    [child] = wait_until(lambda: children_of(worker.pid), timeout=10, what="the worker's pool process")
    os.kill(child, signal.SIGKILL)
    return child


def _stop_in_the_middle(findings_lock, worker, seen: set[int]) -> None:
    """Wait for a part to stop while storing findings, kill its process, and let the redelivered
    part reach the same place."""
    [stuck] = wait_until(lambda: [p for p in findings_lock.waiting() if p not in seen], timeout=90,
                         what="a detection part storing its findings")
    seen.add(stuck)
    _kill_pool_child(worker)
    # The killed process's backend waits on the lock and would notice the dead socket only once
    # it got it; end it now, as the server does on its own once TCP tells it.
    findings_lock.terminate(stuck)
    [again] = wait_until(lambda: [p for p in findings_lock.waiting() if p not in seen], timeout=90,
                         what="the redelivered part to reach the same place")
    seen.add(again)


def _findings() -> dict[str, tuple]:
    return {f.fingerprint: (f.detector, f.subject_type, f.subject_id, round(f.score, 9))
            for f in Finding.objects.all()}


def test_a_run_whose_worker_is_killed_twice_finds_what_an_uninterrupted_run_finds(
        scenario, processes, findings_lock):
    worker = processes.worker(concurrency=1)
    findings_lock.take()
    processes.call("detection.run_scheduled", kind="FULL")
    seen: set[int] = set()

    _stop_in_the_middle(findings_lock, worker, seen)  # the network or the accounts part, sent first
    run = DetectionRun.objects.get()
    assert run.parts_done == [] and run.status == RunStatus.RUNNING
    # Let that part store; taking the lock again waits for its commit, so the next writer to
    # stop is another part.
    findings_lock.release()
    findings_lock.take()
    run.refresh_from_db()
    assert len(run.parts_done) == 1 and run.parts_done[0] in ("network", "accounts")

    _stop_in_the_middle(findings_lock, worker, seen)  # the other one, or a region part
    findings_lock.release()

    run = wait_until(lambda: DetectionRun.objects.exclude(status=RunStatus.RUNNING).first(), timeout=120,
                     what="the interrupted run to end")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert sorted(run.parts_done) == sorted(run.parts) and len(run.parts) > 2
    assert processes.log("worker").count("exited with 'signal 9 (SIGKILL)'") == 2
    interrupted = _findings()

    uninterrupted = run_in_foreground(actor=SYSTEM, kind=RunKind.FULL, progress=False)
    assert uninterrupted.counts == run.counts and uninterrupted.findings_total == run.findings_total
    assert _findings() == interrupted
    assert set(Finding.objects.values_list("last_run", flat=True)) == {uninterrupted.pk}
