import datetime as dt

import pytest
from django.db import transaction

from audit.detection.models import Finding
from audit.detection.services.findings import subject_risk_rebuild
from audit.models import Event
from offices.choices import Role

from ..findings import finding_about

URL = "/api/v1/detection/findings/"


def test_an_auditor_lists_findings_riskiest_first(api, network):
    low = finding_about(office=network.kanim_a, score=0.3)
    high = finding_about(office=network.kanim_a, score=0.9)
    response = api.as_user(network.auditor).get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [high.pk, low.pk]


def test_nobody_sees_findings_about_themselves(api, network):
    about_auditor = finding_about(nip=network.auditor.staff.nip, office=network.kanim_a)
    other = finding_about(office=network.kanim_a)
    rows = api.as_user(network.auditor).get(URL).data["results"]
    assert [row["id"] for row in rows] == [other.pk]
    assert api.as_user(network.auditor).get(f"{URL}{about_auditor.pk}/").status_code == 404


def test_a_supervisor_does_not_see_findings_naming_them(api, network):
    finding_about(nip=network.supervisor.staff.nip, office=network.kanim_b)
    assert api.as_user(network.supervisor).get(URL).data["count"] == 0


@pytest.mark.parametrize("role", [Role.OFFICER, Role.OFFICE_HEAD])
def test_officers_and_office_heads_see_no_findings(api, network, role):
    finding = finding_about(office=network.kanim_a)
    user = network.user(role)
    assert api.as_user(user).get(URL).data["count"] == 0
    assert api.as_user(user).get(f"{URL}{finding.pk}/").status_code == 404


def test_findings_filter_by_category_and_minimum_score(api, network):
    finding_about(office=network.kanim_a, detector="bots", score=0.9)
    finding_about(office=network.kanim_a, detector="fictitious_applications", score=0.9)
    finding_about(office=network.kanim_a, detector="bots", score=0.2)
    rows = api.as_user(network.auditor).get(URL, {"category": "BOT", "min_score": 0.5}).data["results"]
    assert [(row["category"], row["score"]) for row in rows] == [("BOT", 0.9)]


def test_a_finding_lists_the_events_behind_it(api, network, history):
    bot = history.account()
    history.booking(bot, dt.date(2025, 3, 3))
    history.load()
    event = Event.objects.filter(action="BOOK").first()
    finding = finding_about(office=network.kanim_a)
    Finding.objects.filter(pk=finding.pk).update(event_ids=[event.pk])
    rows = api.as_user(network.auditor).get(f"{URL}{finding.pk}/events/").data["results"]
    assert [row["id"] for row in rows] == [event.pk]


def test_subjects_are_listed_by_overall_risk_without_the_viewer(api, network):
    finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a, score=0.8)
    finding_about(nip=network.auditor.staff.nip, office=network.kanim_a, score=0.9)
    with transaction.atomic():
        subject_risk_rebuild()
    rows = api.as_user(network.auditor).get("/api/v1/detection/subjects/", {"subject_type": "staff"}).data
    assert [row["subject_id"] for row in rows["results"]] == [network.officer_a.staff.nip]


def test_findings_filter_by_the_officer_they_name(api, network):
    nip = network.officer_a.staff.nip
    named = finding_about(nip=nip, office=network.kanim_a)
    finding_about(office=network.kanim_a)
    rows = api.as_user(network.auditor).get(URL, {"staff": nip}).data["results"]
    assert [row["id"] for row in rows] == [named.pk]
