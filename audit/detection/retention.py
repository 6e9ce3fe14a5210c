"""Retention of detection's records, and the one runner of every retention kind.

**Cases** closed more than ``CASE_RETENTION_DAYS`` ago are deleted with their notes and their
links to findings. A note may be deleted only with its case, and a case only once closed:
the database holds both rules (migration 0004), so no other path can thin a case's record.

**Findings** in no case that no run has raised again for ``FINDING_RETENTION_DAYS`` are
deleted, and every subject's risk is rebuilt from what is left in the same transaction. A
finding in a case stays as long as the case. Findings are not touched while a detection run
is at work (the run would write its results over the rows being removed).

**Evidence holds.** A booking or an account that a stored finding names is kept whatever its
age: the evidence stays as long as the finding, and so as long as any case the finding is in.

``retention_apply`` takes the kinds in the order that frees the next: cases (releasing their
findings), findings (releasing their bookings and accounts), bookings (detaching accounts),
accounts. The beat task and ``apply_retention`` both call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from audit.retention import (
    DEFAULT_BATCH,
    DEFAULT_MAX_BATCHES,
    RetentionResult,
    cutoff_moment,
    retention_batches,
    retention_cutoff,
)
from bookings.retention import ACCOUNTS, BOOKINGS, Hold, accounts_delete, bookings_anonymise
from passport_portal.model_rows import fetch_row
from passport_portal.retention_settings import retention_problems

from .choices import CaseStatus, RunStatus
from .services.findings import subject_risk_rebuild
from .services.runs import RUN_LOCK_KEY

CASES = "cases"
FINDINGS = "findings"
#: Every kind, in the order a run takes them.
KINDS = (CASES, FINDINGS, BOOKINGS, ACCOUNTS)

# One probe per batch: the findings whose ref arrays overlap the batch's refs (a GIN index
# answers it), and the refs they name.
BOOKING_EVIDENCE = Hold("detection findings", """
    SELECT r.ref FROM detection_finding f CROSS JOIN LATERAL unnest(f.booking_refs) AS r(ref)
    WHERE f.booking_refs && ARRAY(SELECT ref FROM candidates)::varchar(64)[]""")
ACCOUNT_EVIDENCE = Hold("detection findings", """
    SELECT r.ref FROM detection_finding f CROSS JOIN LATERAL unnest(f.account_refs) AS r(ref)
    WHERE f.account_refs && ARRAY(SELECT ref FROM candidates)::varchar(64)[]""")

CASES_DUE = """
FROM detection_case c WHERE c.status = %(closed)s AND c.closed_at < %(cutoff_at)s
"""

DELETE_CASES = """
WITH due AS (SELECT c.id {due} ORDER BY c.id LIMIT %(batch)s FOR UPDATE OF c SKIP LOCKED),
     links AS (DELETE FROM detection_case_findings l USING due WHERE l.case_id = due.id)
DELETE FROM detection_case c USING due WHERE c.id = due.id RETURNING c.id
"""

FINDINGS_DUE = """
FROM detection_finding f WHERE f.updated_at < %(cutoff_at)s
  AND NOT EXISTS (SELECT 1 FROM detection_case_findings l WHERE l.finding_id = f.id)
"""

DELETE_FINDINGS = """
WITH due AS (SELECT f.id {due} ORDER BY f.id LIMIT %(batch)s FOR UPDATE OF f SKIP LOCKED)
DELETE FROM detection_finding f USING due WHERE f.id = due.id
"""


def _count(sql: str, params: dict) -> int:
    return fetch_row(f"SELECT count(*) {sql}", params)[0]  # fragments from this module, values bound


def cases_delete(*, days: int | None = None, today: dt.date | None = None, dry_run: bool = False,
                 batch: int = DEFAULT_BATCH, max_batches: int = DEFAULT_MAX_BATCHES,
                 on_batch: Callable[[int], None] | None = None) -> RetentionResult:
    """Delete cases closed more than ``days`` (CASE_RETENTION_DAYS) ago, with notes and links."""
    days = settings.CASE_RETENTION_DAYS if days is None else days
    if days <= 0:
        return RetentionResult(kind=CASES, cutoff=None, dry_run=dry_run, skipped="kept forever")
    cutoff = retention_cutoff(days, today)
    result = RetentionResult(kind=CASES, cutoff=cutoff, dry_run=dry_run)
    params = {"closed": CaseStatus.CLOSED, "cutoff_at": cutoff_moment(cutoff)}
    if dry_run:
        result.counts = {"cases": _count(CASES_DUE, params)}
        return result

    def step(size: int) -> tuple[dict[str, int], bool]:
        with connection.cursor() as cursor:
            cursor.execute(DELETE_CASES.format(due=CASES_DUE), {**params, "batch": size})
            ids = [row[0] for row in cursor.fetchall()]
            notes = 0
            if ids:
                # A later statement: it sees the cases gone, which is what lets the notes go.
                cursor.execute("DELETE FROM detection_casenote WHERE case_id = ANY(%s)", [ids])
                notes = cursor.rowcount
        return {"cases": len(ids), "notes": notes}, len(ids) == size

    return retention_batches(result=result, step=step, batch=batch, max_batches=max_batches,
                             on_batch=on_batch)


def _run_at_work() -> str:
    """Why findings must wait (a run at work, or one starting), or empty."""
    with connection.cursor() as cursor:
        # Held to the batch's commit: no run starts while findings and risks are being rewritten.
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RUN_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return "a detection run is starting"
        cursor.execute("SELECT EXISTS (SELECT 1 FROM detection_detectionrun WHERE status = %s)",
                       [RunStatus.RUNNING])
        if cursor.fetchone()[0]:
            return "a detection run is at work"
    return ""


def findings_delete(*, days: int | None = None, today: dt.date | None = None, dry_run: bool = False,
                    batch: int = DEFAULT_BATCH, max_batches: int = DEFAULT_MAX_BATCHES,
                    on_batch: Callable[[int], None] | None = None) -> RetentionResult:
    """Delete findings in no case not raised again for ``days`` (FINDING_RETENTION_DAYS)."""
    days = settings.FINDING_RETENTION_DAYS if days is None else days
    if days <= 0:
        return RetentionResult(kind=FINDINGS, cutoff=None, dry_run=dry_run, skipped="kept forever")
    cutoff = retention_cutoff(days, today)
    result = RetentionResult(kind=FINDINGS, cutoff=cutoff, dry_run=dry_run)
    params = {"cutoff_at": cutoff_moment(cutoff)}
    if dry_run:
        result.counts = {"findings": _count(FINDINGS_DUE, params)}
        return result

    def step(size: int) -> tuple[dict[str, int], bool]:
        with connection.cursor() as cursor:
            cursor.execute(DELETE_FINDINGS.format(due=FINDINGS_DUE), {**params, "batch": size})
            deleted = cursor.rowcount
        if deleted:
            subject_risk_rebuild()
        return {"findings": deleted}, deleted == size

    return retention_batches(result=result, step=step, batch=batch, max_batches=max_batches,
                             on_batch=on_batch, before=_run_at_work)


def retention_check_settings() -> None:
    """Refuse to run on retention settings that would not start the portal either."""
    problems = retention_problems(settings)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


def retention_apply(*, kinds: Sequence[str] = KINDS, dry_run: bool = False, today: dt.date | None = None,
                    batch: int = DEFAULT_BATCH, max_batches: int = DEFAULT_MAX_BATCHES,
                    on_batch: Callable[[str, int], None] | None = None) -> list[RetentionResult]:
    """Apply every retention period named in ``kinds`` (in the order of ``KINDS``); one result each.

    ``on_batch(kind, rows)`` is told of each committed batch (the command's progress bar).
    """
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown retention kind(s): {', '.join(unknown)}; known: {', '.join(KINDS)}")
    retention_check_settings()
    runners = {
        CASES: lambda **kw: cases_delete(**kw),
        FINDINGS: lambda **kw: findings_delete(**kw),
        BOOKINGS: lambda **kw: bookings_anonymise(holds=[BOOKING_EVIDENCE], **kw),
        ACCOUNTS: lambda **kw: accounts_delete(holds=[ACCOUNT_EVIDENCE], **kw),
    }
    results = []
    for kind in KINDS:
        if kind not in kinds:
            continue
        told = (lambda rows, kind=kind: on_batch(kind, rows)) if on_batch else None
        results.append(runners[kind](today=today, dry_run=dry_run, batch=batch, max_batches=max_batches,
                                     on_batch=told))
    return results
