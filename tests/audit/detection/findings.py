"""Findings for tests of cases, access and the API, stored by the same writer a run uses."""

from __future__ import annotations

import itertools

from audit.detection.base import Context, Draft
from audit.detection.models import Finding
from audit.detection.registry import DETECTORS
from audit.detection.services.findings import findings_store

from .running import WINDOW

_serial = itertools.count(1)


def finding_about(*, nip: str | None = None, office=None, account: str | None = None,
                  detector: str = "bots", score: float = 0.7) -> Finding:
    """One stored finding naming the officer ``nip`` (if given) at ``office``."""
    serial = next(_serial)
    subjects = ([{"staff": nip}] if nip else []) + [{"account": account or f"acc-f{serial}"}]
    draft = Draft(key=f"test:{serial}", score=score, subject_type="staff" if nip else "account",
                  subject_id=nip or subjects[-1]["account"], summary=f"Planted finding {serial}.",
                  evidence={"planted": serial}, subjects=subjects,
                  office_id=office.pk if office is not None else None,
                  staff_nips=[nip] if nip else [], account_refs=[subjects[-1]["account"]])
    ctx = Context(window_from=WINDOW[0], window_to=WINDOW[1], params={})
    findings_store(run=None, detector=DETECTORS[detector], drafts=[draft], ctx=ctx)
    return Finding.objects.get(evidence__planted=serial)
