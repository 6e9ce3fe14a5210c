"""Meta-test: every workbench page (/findings/) that takes a POST has a test proving it leaves its
audit event (tests/pages/audited.py says how)."""

from __future__ import annotations

import datetime as dt

from audit.detection.models import AllowlistEntry, DetectionRun
from audit.detection.services import case_open
from tests.audit.detection.findings import finding_about
from tests.pages.audited import area_urls, assert_write_pages_listed, each_listed_test_exists

from .conftest import cluster_finding

CASES = "tests.pages.detection.test_cases"
ALLOWLIST = "tests.pages.detection.test_allowlist"
RUNS = "tests.pages.detection.test_runs"
LIFECYCLE = f"{CASES}::test_a_case_goes_from_picked_findings_to_closed_through_the_pages"

#: URL name → "module::test" that posts to the page and asserts its audit event.
WRITE_PAGE_TESTS = {
    "detection:case-open": LIFECYCLE,
    "detection:case-assign": LIFECYCLE,
    "detection:case-move": LIFECYCLE,
    "detection:case-note": LIFECYCLE,
    "detection:allowlist": f"{ALLOWLIST}::test_an_auditor_adds_and_removes_an_entry_through_the_page",
    "detection:allowlist-remove": f"{ALLOWLIST}::test_an_auditor_adds_and_removes_an_entry_through_the_page",
    "detection:runs": f"{RUNS}::test_the_start_button_runs_detection_on_the_worker_and_the_page_follows_it",
}


def _workbench_urls(network) -> dict[str, str]:
    """Every /findings/ URL name with a real address to call it at."""
    finding = finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a)
    cluster_finding("cluster-acc-9", accounts=["acc-9"], office=network.kanim_a)
    case = case_open(actor=network.admin, title="x", findings=[finding])
    entry = AllowlistEntry.objects.create(kind="ip", value="10.9.9.9", reason="test")
    now = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    run = DetectionRun.objects.create(kind="FULL", status="SUCCEEDED", window_from=now, window_to=now,
                                      started_at=now, finished_at=now)
    pks = {"finding-detail": finding.pk, "case-detail": case.pk, "case-assign": case.pk, "case-move": case.pk,
           "case-note": case.pk, "allowlist-remove": entry.pk, "run-progress": run.pk}
    return area_urls("detection", {"pk": pks.__getitem__, "nip": network.officer_a.staff.nip,
                                    "key": "cluster-acc-9"})


def test_every_workbench_page_that_takes_a_post_is_listed_with_its_event_test(network, as_user):
    assert_write_pages_listed(as_user(network.admin), _workbench_urls(network), WRITE_PAGE_TESTS,
                              area="workbench")


test_each_listed_test_exists = each_listed_test_exists(WRITE_PAGE_TESTS)
