"""Findings in no case, not raised again for FINDING_RETENTION_DAYS, are deleted; risks follow."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from audit.detection.choices import RunKind, RunStatus
from audit.detection.models import DetectionRun, Finding, SubjectRisk
from audit.detection.retention import findings_delete
from audit.detection.services.findings import subject_risk_rebuild
from audit.retention import cutoff_moment

from .conftest import DAYS, before_cutoff, case_about, cutoff, finding_naming, last_seen


def run(**kwargs):
    return findings_delete(days=DAYS, **kwargs)


def test_a_finding_last_raised_before_the_cutoff_goes_and_one_raised_on_the_day_stays(network):
    last_seen(finding_naming(office=network.kanim_a), cutoff_moment(cutoff()) - dt.timedelta(seconds=1))
    kept = last_seen(finding_naming(office=network.kanim_a), cutoff_moment(cutoff()))
    assert run().counts == {"findings": 1}
    assert set(Finding.objects.values_list("pk", flat=True)) == {kept.pk}


def test_the_subjects_risk_is_rebuilt_from_what_is_left(network):
    gone = last_seen(finding_naming(office=network.kanim_a), before_cutoff())
    subject_risk_rebuild()
    subject = gone.subjects[-1]["account"]
    assert SubjectRisk.objects.filter(subject_id=subject).exists()
    run()
    assert not SubjectRisk.objects.filter(subject_id=subject).exists()


def test_a_finding_in_a_case_stays_as_long_as_the_case(network):
    finding = finding_naming(office=network.kanim_a)
    case_about(network, finding, closed_at=before_cutoff(days=5))
    last_seen(finding, before_cutoff(days=400))
    assert run().counts == {"findings": 0}
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_findings_wait_while_a_detection_run_is_at_work(network):
    finding = last_seen(finding_naming(office=network.kanim_a), before_cutoff())
    now = timezone.now()
    DetectionRun.objects.create(kind=RunKind.INCREMENTAL, status=RunStatus.RUNNING, window_from=now,
                                window_to=now, started_at=now)
    result = run()
    assert result.skipped == "a detection run is at work" and result.batches == 0
    assert Finding.objects.filter(pk=finding.pk).exists()
