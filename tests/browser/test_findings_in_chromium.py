"""The auditors' workbench in a real Chromium: an auditor signs in with a TOTP code, opens a
finding, makes a case from it and adds a note; the cluster graph and the officer's workload chart
are drawn under the strict security policy. Screenshots: artifacts/screenshots/findings-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from audit.detection.models import Case, Finding
from audit.models import Event
from tests.audit.detection.findings import finding_about
from tests.audit.detection.history import MONDAY, History
from tests.audit.detection.running import clusters_now
from tests.browser.conftest import screenshot, sign_in
from tests.builders import PASSWORD
from tests.pages.conftest import current_code, enrol
from tests.pages.detection.conftest import cluster_finding, rebuild_subjects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def indonesian_default():
    """Run the live server with the production default language."""
    with override_settings(LANGUAGE_CODE="id"):
        yield


def _verified_auditor(page, network):
    device = enrol(network.auditor)
    sign_in(page, network.auditor, PASSWORD)
    page.fill("#code", current_code(device, steps_ahead=1))
    page.click(".code-form button")
    page.wait_for_load_state("networkidle")


def test_an_auditor_opens_a_finding_makes_a_case_from_it_and_adds_a_note(network, page):
    nip = network.officer_a.staff.nip
    finding = finding_about(nip=nip, office=network.kanim_a, detector="queue_jumping", score=0.8)
    Finding.objects.filter(pk=finding.pk).update(
        summary="Served 9 applicants before their turn on 3 March.",
        evidence={"jumped": 9, "counters": 2, "baseline": "check-in order at the office that day"})
    finding_about(office=network.kanim_a, detector="bots", score=0.6)
    rebuild_subjects()
    _verified_auditor(page, network)

    page.click("nav.mainnav a[href='/findings/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#findings tbody tr").count() == 2
    page.check("#findings tbody tr:nth-child(1) input[name=finding]")
    page.check("#findings tbody tr:nth-child(2) input[name=finding]")
    screenshot(page, "findings-inbox")
    page.click("#case-from-findings button")
    page.wait_for_url("**/findings/cases/new/?finding=*&finding=*")
    assert page.locator("#picked + ul li").count() == 2
    page.go_back()
    page.wait_for_load_state("networkidle")

    page.click("#findings >> text=Served 9 applicants before their turn")
    page.wait_for_url(f"**/findings/{finding.pk}/")
    assert "check-in order at the office that day" in page.locator("#baseline").inner_text()
    assert "jumped" in page.locator("#evidence").inner_text()
    screenshot(page, "findings-detail")

    page.fill("#open-case input[name=title]", "Queue jumping at Kanim A")
    page.click("#open-case button[type=submit]")
    page.wait_for_url("**/findings/cases/*/")
    case = Case.objects.get()
    assert case.status == "OPEN" and page.locator("#case-status.badge-open").is_visible()
    screenshot(page, "findings-case")

    page.fill("#note-form textarea[name=text]", "Asked the office for the CCTV of 3 March.")
    page.click("#note-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Asked the office for the CCTV of 3 March." in page.locator("#notes").inner_text()
    screenshot(page, "findings-case-note")

    actions = list(Event.objects.filter(target_type="case", target_id=str(case.pk)).order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["CASE_OPEN", "CASE_NOTE"]
    assert page.console_errors == []


def test_the_cluster_graph_and_the_workload_chart_are_drawn(network, page):
    history = History()
    refs = [history.account(phone="081299990000") for _ in range(4)]
    officer, peer = history.staff(2)
    for index, ref in enumerate(refs):
        for day in range(3):
            booking = history.booking(ref, MONDAY + dt.timedelta(days=day))
            history.serve(booking, MONDAY + dt.timedelta(days=day), officer if index else peer,
                          start=f"08:{10 * index:02d}")
    history.load()
    key = next(iter(set(clusters_now().values())))
    cluster_finding(key, accounts=refs, office=network.kanim_a)
    finding_about(nip=officer, office=network.kanim_a, detector="queue_jumping")
    _verified_auditor(page, network)

    page.goto(f"/findings/clusters/{key}/")
    page.wait_for_selector("figure.graph svg")
    assert page.locator("figure.graph svg .node-account").count() == 4
    assert page.locator("figure.graph svg .node-phone").count() == 1
    screenshot(page, "findings-cluster")

    page.goto(f"/findings/officers/{officer}/")
    page.wait_for_selector("figure.chart .uplot")
    screenshot(page, "findings-officer")

    page.goto("/findings/runs/")
    screenshot(page, "findings-runs")
    page.goto("/findings/allowlist/")
    screenshot(page, "findings-allowlist")
    assert page.console_errors == []
