"""Detection runs: start one (under an advisory lock), work its parts, finish or fail it.

The management command and the Celery tasks call the same functions: the command works the
parts in order in the foreground, the tasks spread them over workers as ``base`` orders them.
Every part is idempotent: its findings are upserted on their fingerprints and its name enters
``parts_done`` in the same transaction, so a part retried after a crash does nothing twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import BOOKING_ACTIONS, Action
from audit.trail import actor_for_user, event_record
from offices.access import Capability, require
from passport_portal.request_meta import NO_REQUEST, RequestMeta

from ..base import (
    FINISH,
    READS_CLUSTERS,
    Context,
    analysis_rows,
    part_region,
    part_scope,
    parts_sent_after,
    run_parts,
)
from ..choices import RunKind, RunStatus
from ..models import ClusterMember, DetectionRun, DetectorSetting, Finding
from .allowlist import allowlist_current
from .findings import findings_store, subject_risk_rebuild
from .settings import detector_params, detector_settings_sync

logger = logging.getLogger(__name__)

#: The advisory lock key of starting a run ("detect" as a 64-bit number, fixed forever).
RUN_LOCK_KEY = 0x6465746563740001
#: Actions whose new events make an incremental run, and set where its window starts.
WINDOW_ACTIONS = tuple(sorted({*(str(action) for action in BOOKING_ACTIONS), "BOOK_REFUSED", "STAFF_LOGIN",
                               "ACCOUNT_LOGIN", "QUOTA_CHANGE"}))


def _analysis_row(sql: str, params: list) -> tuple:
    return analysis_rows(sql, params)[0]


def _regions_with_events(window_from: dt.datetime, window_to: dt.datetime, after_event_id: int) -> list[int]:
    """Regions of the offices that have events in the window (new ones, for an incremental run),
    those with the most such offices first: workers take parts in order, so the last ones to
    finish are small and no worker waits long on another's big region at the end."""
    rows = analysis_rows(
        """SELECT o.region_id FROM offices_office o
           WHERE EXISTS (SELECT 1 FROM audit_event e WHERE e.office_id = o.id
                         AND e.at BETWEEN %s AND %s AND e.id > %s)
           GROUP BY o.region_id ORDER BY count(*) DESC, o.region_id""",
        [window_from, window_to, after_event_id])
    return [row[0] for row in rows]


def _window(kind: str, *, since: dt.datetime | None, everything: bool,
            now: dt.datetime) -> tuple[dt.datetime, dt.datetime, int, int] | None:
    """The run's window and event range; None when an incremental run has nothing new."""
    last_id, last_at = _analysis_row("SELECT coalesce(max(id), 0), max(at) FROM audit_event", [])
    window_to = max(now, last_at) if last_at else now
    if kind == RunKind.FULL:
        if everything:
            first_at = _analysis_row("SELECT min(at) FROM audit_event", [])[0]
            return (first_at or now), window_to, 0, last_id
        if since is not None:
            return since, window_to, 0, last_id
        return now - dt.timedelta(days=settings.DETECTION_FULL_WINDOW_DAYS), window_to, 0, last_id
    previous = (DetectionRun.objects.filter(status=RunStatus.SUCCEEDED)
                .order_by("-through_event_id").values_list("through_event_id", flat=True).first()) or 0
    if since is not None:
        return since, window_to, previous, last_id
    # The window follows the new events detectors read by day (bookings, counter work, sign-ins,
    # quota changes): an imported account registered years ago does not reopen those years.
    # OFFSET 0 keeps the range scan on the new ids: left to itself, PostgreSQL answers min(at) by
    # walking the ``at`` index from the trail's first event (11 s over ten million of them).
    first_new = _analysis_row(
        "SELECT min(at) FROM (SELECT at FROM audit_event WHERE id > %s AND action = ANY(%s) OFFSET 0) AS new",
        [previous, list(WINDOW_ACTIONS)])[0]
    if first_new is None:
        return None
    # Day-level patterns need the whole day around the new events, and baselines need peers.
    lookback = dt.timedelta(days=settings.DETECTION_INCREMENTAL_LOOKBACK_DAYS)
    return first_new - lookback, window_to, previous, last_id


def detection_run_start(*, actor, kind: str = RunKind.INCREMENTAL, since: dt.datetime | None = None,
                        everything: bool = False, once_per: dt.timedelta | None = None,
                        meta: RequestMeta = NO_REQUEST) -> DetectionRun | None:
    """Start a run and return it, or None when another run holds the lock or nothing is new.

    The advisory lock makes two schedulers (or a command beside a scheduler) harmless; the
    partial unique index on running runs holds the same rule in the table itself. A run left
    running past ``DETECTION_RUN_STALE_MINUTES`` (its worker died for good) is marked failed.
    ``once_per`` makes a run of this kind by this actor one per slot: none starts when one that
    did not fail started less than that long ago.
    """
    require(actor, Capability.AUDIT, None)
    if kind not in RunKind.values:
        raise ValidationError({"kind": [_("Unknown run kind.")]})
    if since is not None and timezone.is_naive(since):
        raise ValidationError({"since": [_("Give the time with its zone offset.")]})
    detector_settings_sync()
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RUN_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
        stale = now - dt.timedelta(minutes=settings.DETECTION_RUN_STALE_MINUTES)
        DetectionRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=stale).update(
            status=RunStatus.FAILED, finished_at=now, error="abandoned: no progress before the stale limit")
        if DetectionRun.objects.filter(status=RunStatus.RUNNING).exists():
            return None
        # A second beat (started by mistake) fires the same nightly tick once more, possibly after
        # the first run finished: the lock above no longer sees it, the slot does.
        if once_per is not None and DetectionRun.objects.filter(
                kind=kind, triggered_by=actor_for_user(actor).id or "system", started_at__gt=now - once_per,
        ).exclude(status=RunStatus.FAILED).exists():
            return None
        window = _window(kind, since=since, everything=everything, now=now)
        if window is None:
            return None
        window_from, window_to, after_id, through_id = window
        regions = _regions_with_events(window_from, window_to, after_id)
        run = DetectionRun.objects.create(
            kind=kind, status=RunStatus.RUNNING, window_from=window_from, window_to=window_to,
            after_event_id=after_id, through_event_id=through_id, started_at=now,
            parts=run_parts(regions),
            triggered_by=actor_for_user(actor).id or "system",
        )
        event_record(actor=actor_for_user(actor), action=Action.DETECTION_RUN_START,
                     target_type="detection_run", target_id=str(run.pk),
                     details={"kind": kind, "window_from": window_from, "window_to": window_to,
                              "parts": len(run.parts)}, meta=meta)
    return run


@contextlib.contextmanager
def part_claim(run_id: int, part: str) -> Iterator[bool]:
    """Hold the part's advisory lock while it is worked; yields False when another worker holds it.

    Redis hands a message that outlasts its visibility timeout to a second worker while the first
    still works it; this lock is how the second one knows. A session lock, so it goes with the
    connection of a worker that dies.
    """
    key = f"detection-part:{run_id}:{part}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [key])
        claimed = cursor.fetchone()[0]
    try:
        yield claimed
    finally:
        if claimed:
            # A lost connection has released the lock with itself.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])


def run_next(run_id: int, part: str) -> tuple[list[str], bool]:
    """What a run needs once ``part`` is done: the parts that read the clusters, to send after the
    network part (the clustered part and the region parts; the accounts part went with the network
    part), and whether it is ready to finish. Nothing for a run that is not running or whose part
    is not done."""
    run = DetectionRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING or part not in run.parts_done:
        return [], False
    missing = [name for name in run.parts if name not in run.parts_done]
    return parts_sent_after(part, missing), not missing


def _context(run: DetectionRun, *, office_ids: list[int] | None, clusters: dict[int, str]) -> Context:
    return Context(window_from=run.window_from, window_to=run.window_to, params={},
                   allow=allowlist_current(), office_ids=office_ids, run_id=run.pk, clusters=clusters)


def _settings() -> dict[str, DetectorSetting]:
    return {s.detector: s for s in DetectorSetting.objects.all()}


def _run_detectors(run: DetectionRun, scope: str, ctx: Context) -> dict[str, list]:
    """Each enabled detector's drafts (reads only; the analysis database)."""
    from ..registry import detectors_for

    stored = _settings()
    results = {}
    for detector in detectors_for(scope):
        setting = stored.get(detector.name)
        if setting is not None and not setting.enabled:
            continue
        ctx.params = detector_params(detector.name, setting)
        started = timezone.now()
        results[detector.name] = (detector, list(detector.detect(ctx)), dict(ctx.params))
        logger.info("detector %s found %d in %.1fs", detector.name, len(results[detector.name][1]),
                    (timezone.now() - started).total_seconds())
    return results


def _clusters() -> dict[int, str]:
    return dict(ClusterMember.objects.values_list("account_id", "cluster"))


def run_part(run_id: int, part: str) -> dict[str, int]:
    """Work one part of a run (``network``, ``accounts``, ``clustered`` or ``region:<id>``); a finished
    part is skipped."""
    run = DetectionRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING or part in run.parts_done:
        return {}
    scope, region = part_scope(part), part_region(part)
    office_ids = None
    if region is not None:
        from offices.models import Office

        office_ids = list(Office.objects.filter(region_id=region).values_list("pk", flat=True))
    ctx = _context(run, office_ids=office_ids, clusters=_clusters() if scope in READS_CLUSTERS else {})
    results = _run_detectors(run, scope, ctx)
    counts: dict[str, int] = {}
    with transaction.atomic():
        run = DetectionRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING or part in run.parts_done:
            return {}
        for name, (detector, drafts, params) in results.items():
            ctx.params = params
            counts[name] = findings_store(run=run, detector=detector, drafts=drafts, ctx=ctx)
            detector.persist(ctx)
        merged = dict(run.counts)
        for name, count in counts.items():
            merged[name] = merged.get(name, 0) + count
        run.counts = merged
        run.parts_done = [*run.parts_done, part]
        run.save(update_fields=["counts", "parts_done"])
    return counts


def run_finish(run_id: int) -> DetectionRun:
    """Run the finishing detectors, rebuild every subject's risk, and mark the run succeeded."""
    from ..registry import detectors_for

    with transaction.atomic():
        run = DetectionRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return run
        missing = [part for part in run.parts if part not in run.parts_done]
        if missing:
            raise RuntimeError(f"run {run_id} cannot finish: parts not done: {', '.join(missing)}")
        ctx = _context(run, office_ids=None, clusters=_clusters())
        stored = _settings()
        merged = dict(run.counts)
        # One after another, each storing before the next reads: the ranking reads what every
        # part found.
        for detector in detectors_for(FINISH):
            setting = stored.get(detector.name)
            if setting is not None and not setting.enabled:
                continue
            ctx.params = detector_params(detector.name, setting)
            started = timezone.now()
            drafts = list(detector.detect(ctx))
            logger.info("detector %s found %d in %.1fs", detector.name, len(drafts),
                        (timezone.now() - started).total_seconds())
            merged[detector.name] = merged.get(detector.name, 0) + findings_store(
                run=run, detector=detector, drafts=drafts, ctx=ctx)
        if run.kind == RunKind.FULL:
            _withdraw_unconfirmed(run)
        subject_risk_rebuild()
        run.counts = merged
        run.findings_total = sum(merged.values())
        run.status = RunStatus.SUCCEEDED
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "findings_total", "status", "finished_at"])
    return run


def _withdraw_unconfirmed(run: DetectionRun) -> None:
    """Drop findings a full run over their whole window no longer confirms.

    The detectors' thresholds may have changed, or the allowlist grown: what they no longer
    find should not stay on the list. A finding a case was opened from is kept as evidence.
    """
    (Finding.objects.filter(window_from__gte=run.window_from, window_to__lte=run.window_to)
     .exclude(last_run=run).filter(cases__isnull=True).delete())


def run_fail(run_id: int, error: str) -> None:
    """Mark a run failed with what went wrong (a running run only: a finished one stays as it is)."""
    DetectionRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:4000])
