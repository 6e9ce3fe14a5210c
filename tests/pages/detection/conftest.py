"""Workbench page tests: findings planted through the writer a run uses, subjects rebuilt in SQL."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from audit.detection.base import Context, Draft
from audit.detection.models import Finding
from audit.detection.registry import DETECTORS
from audit.detection.services.findings import findings_store, subject_risk_rebuild
from tests.audit.detection.findings import finding_about
from tests.audit.detection.history import History
from tests.audit.detection.running import WINDOW


@dataclass
class Planted:
    """Findings at Kanim A about its officer and an account, and one about the auditor."""

    about_officer: Finding
    about_account: Finding
    about_auditor: Finding


def rebuild_subjects() -> None:
    with transaction.atomic():
        subject_risk_rebuild()


def cluster_finding(key: str, *, accounts: list[str], bookings: list[str] = (), office=None,
                    score: float = 0.7) -> Finding:
    """A stored broker-cluster finding about ``key`` naming ``accounts`` (as the detector words it)."""
    draft = Draft(key=key, score=score, subject_type="cluster", subject_id=key,
                  summary=f"{len(accounts)} accounts linked by shared phone.",
                  evidence={"accounts": len(accounts), "linked_by": ["phone"],
                            "baseline": {"min_accounts": 3, "identifier_cut_off": 12}},
                  subjects=[{"cluster": key}, *({"account": ref} for ref in accounts)],
                  office_id=office.pk if office is not None else None, account_refs=accounts,
                  booking_refs=list(bookings))
    findings_store(run=None, detector=DETECTORS["broker_clusters"], drafts=[draft],
                   ctx=Context(window_from=WINDOW[0], window_to=WINDOW[1], params={}))
    return Finding.objects.get(detector="broker_clusters", subject_id=key)


@pytest.fixture
def planted(network) -> Planted:
    officer = network.officer_a.staff.nip
    planted = Planted(
        about_officer=finding_about(nip=officer, office=network.kanim_a, detector="queue_jumping", score=0.6),
        about_account=finding_about(office=network.kanim_a, detector="bots", score=0.8),
        about_auditor=finding_about(nip=network.auditor.staff.nip, office=network.kanim_a, score=0.9),
    )
    rebuild_subjects()
    return planted


@pytest.fixture
def history(db) -> History:
    return History()
