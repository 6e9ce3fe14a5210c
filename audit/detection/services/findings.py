"""Storing findings (an upsert on the fingerprint) and rebuilding the per-subject risk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection

from ..base import Context, Detector, Draft
from ..models import DetectionRun, Finding

#: Most ids kept per finding: enough to open every booking of a large cluster, bounded all the same.
MAX_REFS = 20_000
MAX_EVENTS = 2_000
UPDATED_FIELDS = ["score", "subject_type", "subject_id", "subjects", "summary", "evidence", "office",
                  "staff_nips", "account_refs", "booking_refs", "event_ids", "window_from", "window_to",
                  "last_run", "category", "updated_at"]


def fingerprint(detector: str, key: str) -> str:
    """The finding's identity: the detector and what it is about, hashed."""
    return hashlib.sha256(f"{detector}\x1f{key}".encode()).hexdigest()


def findings_store(*, run: DetectionRun | None, detector: Detector, drafts: Iterable[Draft],
                   ctx: Context) -> int:
    """Insert new findings and update those already known; returns how many were written.

    Called inside the part's transaction; the fingerprint makes a retried part or a re-run
    rewrite the same rows instead of adding duplicates.
    """
    rows: dict[str, Finding] = {}
    for draft in drafts:
        key = fingerprint(detector.name, draft.key)
        rows[key] = Finding(
            fingerprint=key, detector=detector.name, category=draft.category or detector.category,
            score=min(max(float(draft.score), 0.0), 1.0), subject_type=draft.subject_type,
            subject_id=draft.subject_id[:128], subjects=draft.subjects, summary=draft.summary,
            evidence=draft.evidence, office_id=draft.office_id,
            staff_nips=sorted(set(draft.staff_nips)), account_refs=sorted(set(draft.account_refs))[:MAX_REFS],
            booking_refs=sorted(set(draft.booking_refs))[:MAX_REFS],
            event_ids=sorted(set(draft.event_ids))[:MAX_EVENTS],
            window_from=draft.window_from or ctx.window_from, window_to=draft.window_to or ctx.window_to,
            first_run=run, last_run=run,
        )
    if rows:
        Finding.objects.bulk_create(rows.values(), batch_size=1000, update_conflicts=True,
                                    unique_fields=["fingerprint"], update_fields=UPDATED_FIELDS)
    return len(rows)


SUBJECT_RISK_SQL = """
WITH named AS (
    -- Every subject a finding names, with the finding's score.
    SELECT kv.key AS subject_type, kv.value AS subject_id, f.detector, f.category, f.score,
           f.office_id, f.staff_nips
    FROM detection_finding f
    CROSS JOIN LATERAL jsonb_array_elements(f.subjects) AS el
    CROSS JOIN LATERAL jsonb_each_text(el) AS kv
), per_detector AS (
    -- One detector shouting many times counts once: its strongest finding.
    SELECT subject_type, subject_id, detector, min(category) AS category, max(score) AS score,
           count(*) AS findings, mode() WITHIN GROUP (ORDER BY office_id) AS office_id
    FROM named GROUP BY subject_type, subject_id, detector
), officers AS (
    -- The officers named by any finding about the subject: none of them may see it.
    SELECT subject_type, subject_id, array_agg(DISTINCT nip ORDER BY nip) AS nips
    FROM named CROSS JOIN LATERAL unnest(named.staff_nips) AS nip
    GROUP BY subject_type, subject_id
)
INSERT INTO detection_subjectrisk (subject_type, subject_id, risk, finding_count, detectors, categories,
                                   staff_nips, office_id, updated_at)
SELECT p.subject_type, p.subject_id,
       -- Independent signals: 1 - prod(1 - score).
       1 - exp(sum(ln(1 - least(p.score, 0.999)))),
       sum(p.findings), array_agg(p.detector ORDER BY p.detector),
       array_agg(DISTINCT p.category ORDER BY p.category),
       coalesce(min(o.nips), '{}'),
       mode() WITHIN GROUP (ORDER BY p.office_id), now()
FROM per_detector p
LEFT JOIN officers o ON o.subject_type = p.subject_type AND o.subject_id = p.subject_id
GROUP BY p.subject_type, p.subject_id
"""


def subject_risk_rebuild() -> None:
    """Recompute every subject's overall risk from the findings (inside the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM detection_subjectrisk")
        cursor.execute(SUBJECT_RISK_SQL)
