"""``finding`` records: the portal's current findings, written out for people and tools.

Findings are written, never read back: an import skips them with a warning. The reader's
own access decides which findings go out (auditors and the directorate; never a finding
about the reader), through detection's selector.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import BinaryIO

import orjson
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.detection.choices import Category
from audit.detection.models import Finding
from audit.detection.selectors import finding_list
from audit.trail import actor_for_user, event_record
from offices.access import Capability, require_anywhere
from passport_portal.request_meta import NO_REQUEST, RequestMeta

KIND = "finding"
CATEGORIES = frozenset(Category.values)


def findings_export(*, actor, out: BinaryIO, categories: list[str] | None = None,
                    min_score: float | None = None, meta: RequestMeta = NO_REQUEST) -> int:
    """Write the findings ``actor`` may read as records, riskiest first; return how many."""
    require_anywhere(actor, Capability.AUDIT)
    unknown = sorted(set(categories or ()) - CATEGORIES)
    if unknown:
        raise ValidationError({"categories": [_("Unknown category: %(c)s.") % {"c": ", ".join(unknown)}]})
    if min_score is not None and not 0 <= min_score <= 1:
        raise ValidationError({"min_score": [_("A score is between 0 and 1.")]})
    findings = finding_list(user=actor)
    if categories:
        findings = findings.filter(category__in=categories)
    if min_score is not None:
        findings = findings.filter(score__gte=min_score)
    count = 0
    for record in _records(findings):
        out.write(orjson.dumps(record) + b"\n")
        count += 1
    with transaction.atomic():
        event_record(
            actor=actor_for_user(actor), action=Action.RECORDS_EXPORT, target_type="records",
            details={"kinds": [KIND], "categories": categories or [], "min_score": min_score,
                     "counts": {KIND: count}},
            meta=meta,
        )
    return count


def _records(findings) -> Iterator[dict]:
    for finding in findings.iterator(chunk_size=2000):
        yield record_of(finding)


def record_of(finding: Finding) -> dict:
    """One finding in the format: the evidence as stored, with the ids of the events behind it."""
    evidence = dict(finding.evidence or {})
    if finding.event_ids:
        evidence.setdefault("event_ids", list(finding.event_ids))
    return {
        "kind": KIND, "detector": finding.detector, "category": finding.category, "score": finding.score,
        "subjects": finding.subjects,
        "window": {"from": finding.window_from.astimezone(dt.UTC).isoformat(),
                   "to": finding.window_to.astimezone(dt.UTC).isoformat()},
        "summary": finding.summary, "evidence": evidence,
    }
