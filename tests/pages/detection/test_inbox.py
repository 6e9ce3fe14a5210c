"""The inbox: subjects by overall risk, then their findings by score; filters, export, query bound."""

from __future__ import annotations

import re

from audit.detection.services import case_move, case_open
from tests.audit.detection.findings import finding_about
from tests.pages.conftest import csv_export

from .conftest import rebuild_subjects


def _rows(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].page.object_list]


def test_subjects_come_by_overall_risk_then_their_findings_by_score(network, as_user):
    nip = network.officer_a.staff.nip
    # Two detectors agreeing on the officer (0.5 and 0.4 → risk 0.7) outrank one louder finding (0.65).
    first = finding_about(nip=nip, office=network.kanim_a, detector="queue_jumping", score=0.5)
    second = finding_about(nip=nip, office=network.kanim_a, detector="off_hours_and_fast", score=0.4)
    loud = finding_about(office=network.kanim_a, detector="bots", score=0.65)
    rebuild_subjects()
    response = as_user(network.auditor).get("/findings/")
    assert _rows(response) == [first.pk, second.pk, loud.pk]


def test_a_finding_without_a_risk_row_yet_ranks_by_its_own_score(network, as_user):
    low = finding_about(office=network.kanim_a, score=0.2)
    high = finding_about(office=network.kanim_a, score=0.9)
    assert _rows(as_user(network.auditor).get("/findings/")) == [high.pk, low.pk]


def test_the_inbox_filters_by_category_detector_office_and_status(network, as_user):
    nip = network.officer_a.staff.nip
    officer = finding_about(nip=nip, office=network.kanim_a, detector="queue_jumping")
    bot = finding_about(office=network.kanim_b, detector="bots")
    rebuild_subjects()
    case_open(actor=network.admin, title="Queue jumping", findings=[officer])
    client = as_user(network.auditor)
    assert _rows(client.get("/findings/", {"category": "BOT"})) == [bot.pk]
    assert _rows(client.get("/findings/", {"detector": "queue_jumping"})) == [officer.pk]
    assert _rows(client.get("/findings/", {"office": "kanim-b"})) == [bot.pk]
    assert _rows(client.get("/findings/", {"status": "new"})) == [bot.pk]
    assert _rows(client.get("/findings/", {"status": "in_case"})) == [officer.pk]


def test_a_concluded_case_moves_its_findings_to_concluded(network, as_user):
    finding = finding_about(office=network.kanim_a)
    case = case_open(actor=network.admin, title="Bot", findings=[finding])
    case_move(actor=network.admin, case=case, to="INVESTIGATING")
    case_move(actor=network.admin, case=case, to="UNFOUNDED", note="A licensed agency.")
    client = as_user(network.auditor)
    assert _rows(client.get("/findings/", {"status": "concluded"})) == [finding.pk]
    assert _rows(client.get("/findings/", {"status": "in_case"})) == []


def test_an_unknown_filter_value_is_named_and_lists_nothing(network, as_user, planted):
    response = as_user(network.auditor).get("/findings/", {"category": "NONSENSE"})
    assert response.status_code == 200 and _rows(response) == []
    assert "category" in response.context["filter"].errors


def test_the_export_writes_the_same_rows_in_the_same_order_with_plain_values(network, as_user, planted):
    client = as_user(network.auditor)
    response = client.get("/findings/", {"export": "csv"})
    lines = csv_export(response)
    assert lines[0] == ["Subject", "Subject risk", "Score", "Category", "Detector", "Office", "Summary",
                        "Status"]
    nip = network.officer_a.staff.nip
    assert [line[0] for line in lines[1:]] == ["account:" + planted.about_account.subject_id, f"staff:{nip}"]
    assert lines[1][2:] == ["0.8", "BOT", "bots", "KANIM-A", planted.about_account.summary, "new"]


def test_the_inbox_costs_the_same_queries_for_3_or_60_findings(network, as_user, django_assert_max_num_queries):
    client = as_user(network.auditor)
    for _ in range(3):
        finding_about(office=network.kanim_a)
    rebuild_subjects()
    with django_assert_max_num_queries(12):
        assert client.get("/findings/").status_code == 200
    for index in range(57):
        finding_about(nip=network.officer_a.staff.nip if index % 2 else None, office=network.kanim_a)
    rebuild_subjects()
    with django_assert_max_num_queries(12):
        response = client.get("/findings/")
    assert len(_rows(response)) == 50



def test_the_workbench_tabs_mark_the_list_shown(network, as_user):
    client = as_user(network.auditor)
    for path, label in (("/findings/", "Findings"), ("/findings/cases/", "Cases")):
        tabs = re.search(r'<nav class="subnav".*?</nav>', client.get(path).content.decode(), re.S).group(0)
        assert re.findall(r'aria-current="page">([^<]*)</a>', tabs) == [label], path
