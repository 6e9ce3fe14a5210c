"""Detection's Celery tasks: thin, idempotent shells over ``services.runs``.

``detection.run_scheduled`` (from beat) starts a run under the advisory lock and dispatches
it: the network part first, then every region part in parallel as a chord whose body finishes
the run. More workers take more region parts at once. Every task acknowledges late, is
redelivered if its worker dies, and retries on a lost database connection; a part that gives
up marks the run failed with the error.
"""

from __future__ import annotations

from celery import chain, chord, shared_task
from django.db import InterfaceError, OperationalError

from offices.access import SystemActor

from .base import NETWORK
from .models import DetectionRun
from .services import runs

RETRYABLE = (OperationalError, InterfaceError)
TASK = {"acks_late": True, "reject_on_worker_lost": True, "bind": True, "max_retries": 5}
SCHEDULER = SystemActor("detection")


def _retry_or_fail(task, run_id: int, exc: Exception):
    if isinstance(exc, RETRYABLE) and task.request.retries < task.max_retries:
        raise task.retry(exc=exc, countdown=min(2 ** task.request.retries, 60))
    runs.run_fail(run_id, f"{type(exc).__name__}: {exc}")
    raise exc


@shared_task(name="detection.run_part", **TASK)
def run_part(self, run_id: int, part: str) -> dict:
    """Work one part of a run; a part already done is skipped."""
    try:
        return runs.run_part(run_id, part)
    except Exception as exc:
        _retry_or_fail(self, run_id, exc)


@shared_task(name="detection.run_finish", **TASK)
def run_finish(self, _results=None, run_id: int | None = None) -> dict:
    """Finish a run once every part is done (the chord's body)."""
    try:
        run = runs.run_finish(run_id)
    except Exception as exc:
        _retry_or_fail(self, run_id, exc)
    return {"run": run.pk, "status": run.status, "findings": run.findings_total}


def dispatch(run: DetectionRun):
    """Send a started run's parts to the workers: network, then the regions in parallel, then finish."""
    regions = [part for part in run.parts if part != NETWORK]
    finish = run_finish.s(run_id=run.pk)
    network = run_part.si(run.pk, NETWORK)
    if regions:
        canvas = chain(network, chord([run_part.si(run.pk, part) for part in regions], finish))
    else:
        canvas = chain(network, finish)
    return canvas.apply_async()


@shared_task(name="detection.run_scheduled", **TASK)
def run_scheduled(self, kind: str = "INCREMENTAL") -> dict:
    """Start a run of ``kind`` and dispatch it; a duplicate trigger finds the lock taken and stops."""
    try:
        run = runs.detection_run_start(actor=SCHEDULER, kind=kind)
    except RETRYABLE as exc:
        raise self.retry(exc=exc, countdown=5) from exc
    if run is None:
        return {"started": False}
    dispatch(run)
    return {"started": True, "run": run.pk, "parts": len(run.parts)}
