"""Detection's Celery tasks: thin, idempotent shells over ``services.runs``.

``detection.run_scheduled`` (from beat) starts a run under the advisory lock and dispatches
it: the network part (broker clusters) and beside it the accounts part (bots, fictitious
applications); the network part, once done, sends the parts that read its clusters (the
clustered part, officer-cluster affinity, and every region part), and the part that completes
the run sends its finish. More workers take more region parts at
once. Every task acknowledges late, is redelivered if its worker dies, and retries on a lost
database connection; a part that gives up marks the run failed with the error.

Any message may arrive twice: Redis hands a task that outlasts its visibility timeout to
another worker, and a worker killed after committing is redelivered. So each step decides what
comes next from the run's committed state (not from counting deliveries, as a chord would, which
a duplicate fools into finishing early), a part in progress elsewhere is not worked twice, and
whatever is sent twice finds its work done.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import group, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerUnavailable

from offices.access import SystemActor

from .base import STARTING_PARTS
from .choices import RunKind
from .models import DetectionRun
from .services import runs

logger = logging.getLogger(__name__)
RETRYABLE = (OperationalError, InterfaceError)
TASK = {"acks_late": True, "reject_on_worker_lost": True, "bind": True, "max_retries": 5}
SCHEDULER = SystemActor("detection")
#: How long a duplicate of a part in progress keeps coming back to see it done (see ``run_part``).
BUSY_PATIENCE = dt.timedelta(hours=4)


def _retry_or_fail(task, run_id: int, exc: Exception):
    if isinstance(exc, RETRYABLE) and task.request.retries < task.max_retries:
        raise task.retry(exc=exc, countdown=min(2 ** task.request.retries, 60))
    runs.run_fail(run_id, f"{type(exc).__name__}: {exc}")
    raise exc


def _busy_countdown() -> int:
    # A message waiting for its countdown is held unacknowledged, so it too is redelivered after
    # the visibility timeout: come back well within it.
    visibility = (getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}).get("visibility_timeout")
    return max(1, min(30, int(visibility or 60) // 2))


# Parts and the finish keep no result: the run record holds their outcome, and a call that waits
# for no result needs nothing but the broker (the Redis result backend would otherwise be
# subscribed to first, and retried for twenty seconds when it is down).
@shared_task(name="detection.run_part", ignore_result=True, **TASK)
def run_part(self, run_id: int, part: str) -> dict:
    """Work one part of a run (a part already done is skipped), then send what the run needs next."""
    try:
        with runs.part_claim(run_id, part) as claimed:
            counts = runs.run_part(run_id, part) if claimed else None
    except Exception as exc:
        _retry_or_fail(self, run_id, exc)
    if counts is None:
        # Another worker is working this very part (this is a redelivery of a message that
        # outlasted the visibility timeout). Come back to move the run on once it is done, or to
        # take the part over if that worker dies: its lock goes with its connection.
        countdown = _busy_countdown()
        try:
            raise self.retry(countdown=countdown, max_retries=int(BUSY_PATIENCE.total_seconds() // countdown))
        except self.MaxRetriesExceededError:
            logger.warning("detection run %s: part %s still in progress elsewhere; left to that worker",
                           run_id, part)
            return {"busy": True}
    # Whether this delivery did the work or found it done (its first worker died after
    # committing), move the run on: what is sent twice finds its work done.
    following, ready = runs.run_next(run_id, part)
    if following:
        group(run_part.si(run_id, name) for name in following).apply_async()
    if ready:
        run_finish.delay(run_id=run_id)
    return counts


@shared_task(name="detection.run_finish", ignore_result=True, **TASK)
def run_finish(self, _results=None, run_id: int | None = None) -> dict:
    """Finish a run once every part is done (sent by the part that completed it; a second one
    finds the run finished)."""
    try:
        run = runs.run_finish(run_id)
    except Exception as exc:
        _retry_or_fail(self, run_id, exc)
    return {"run": run.pk, "status": run.status, "findings": run.findings_total}


def dispatch(run: DetectionRun) -> bool:
    """Send a started run's network and accounts parts to the workers (the network part sends the
    rest once its clusters are stored); False if the broker is down.

    Called after the run's start has committed, from a request or a task. Without a broker the
    run could never progress and would block every other run until the stale limit, so it is
    marked failed at once: the next scheduled incremental run covers its events (its window
    starts after the last run that succeeded).
    """
    try:
        group(run_part.si(run.pk, part) for part in STARTING_PARTS).apply_async()
    except BrokerUnavailable as exc:
        logger.error("detection run %s not dispatched, broker unavailable: %s", run.pk, exc)
        runs.run_fail(run.pk, f"not dispatched: the task broker was unavailable ({exc})")
        return False
    return True


@shared_task(name="detection.run_scheduled", **TASK)
def run_scheduled(self, kind: str = "INCREMENTAL") -> dict:
    """Start a run of ``kind`` and dispatch it; a duplicate trigger finds the lock taken and stops.

    A full run is one per nightly slot: a second beat firing the same tick (even after the
    first run finished) starts nothing.
    """
    once_per = dt.timedelta(hours=settings.DETECTION_FULL_SLOT_HOURS) if kind == RunKind.FULL else None
    try:
        run = runs.detection_run_start(actor=SCHEDULER, kind=kind, once_per=once_per)
    except RETRYABLE as exc:
        raise self.retry(exc=exc, countdown=5) from exc
    if run is None:
        return {"started": False}
    return {"started": dispatch(run), "run": run.pk, "parts": len(run.parts)}


@shared_task(name="retention.apply", **TASK)
def apply_retention(self, kinds: list[str] | None = None) -> list[dict]:
    """Apply the retention periods (cases, findings, bookings, accounts), as ``apply_retention`` does.

    Idempotent: a redelivered or duplicate message finds the work done, or the retention lock
    held and stops. Each kind takes at most a bounded number of batches (well under the
    visibility timeout); what is left waits for the next day.
    """
    from .retention import KINDS, retention_apply

    try:
        results = retention_apply(kinds=kinds or KINDS)
    except RETRYABLE as exc:
        raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 60)) from exc
    for result in results:
        logger.info("retention %s: %s (cut-off %s)%s", result.kind, result.counts or "nothing due",
                    result.cutoff, f"; {result.skipped}" if result.skipped else "")
    return [result.as_dict() for result in results]
