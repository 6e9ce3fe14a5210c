"""The auditors' API: who may read it, what a search finds, masking, CSV and timelines."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.actions import Action
from audit.models import Event
from audit.trail import Actor, actor_for_user, event_record
from offices.choices import Role
from passport_portal.request_meta import RequestMeta

OFFICER, HEAD, SUPERVISOR, AUDITOR = Role.OFFICER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.AUDITOR
NIK = "3171011501900001"


def record(actor, action, **fields):
    with transaction.atomic():
        return event_record(actor=actor, action=action, **fields)


@pytest.fixture
def trail(network):
    """A booking's check-in by officer A at Kanim A, a view at Kanim B, from known addresses."""
    officer = actor_for_user(network.officer_a)
    check_in = record(officer, Action.CHECK_IN, office=network.kanim_a, target_type="booking",
                      target_id="BK-0001", details={"nik": NIK, "note": f"applicant {NIK}"},
                      meta=RequestMeta(ip="10.1.1.1"), at=dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC))
    view = record(actor_for_user(network.officer_b), Action.VIEW_APPLICANT, office=network.kanim_b,
                  target_type="booking", target_id="BK-0002", meta=RequestMeta(ip="10.2.2.2"),
                  at=dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC))
    return {"check_in": check_in, "view": view}


ENDPOINTS = [
    "/api/v1/audit/events/",
    "/api/v1/audit/events/export/",
    "/api/v1/audit/bookings/BK-0001/timeline/",
    "/api/v1/audit/roots/2026-03-02/",
]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(("role", "expected"), [
    (OFFICER, 403), (HEAD, 403), (SUPERVISOR, 200), (AUDITOR, 200),
])
def test_only_auditors_and_supervisors_read_the_trail(network, api, trail, path, role, expected):
    assert api.as_user(network.user(role)).get(path).status_code == expected


@pytest.mark.parametrize(("role", "expected"), [
    (OFFICER, 403), (HEAD, 403), (SUPERVISOR, 200), (AUDITOR, 200),
])
def test_officer_timeline_access(network, api, trail, role, expected):
    nip = network.officer_a.staff.nip
    assert api.as_user(network.user(role)).get(f"/api/v1/audit/staff/{nip}/timeline/").status_code == expected


@pytest.mark.parametrize(("role", "expected"), [(OFFICER, 403), (AUDITOR, 200)])
def test_event_detail_access(network, api, trail, role, expected):
    event = trail["check_in"]
    assert api.as_user(network.user(role)).get(f"/api/v1/audit/events/{event.pk}/").status_code == expected


def test_anonymous_callers_are_refused(api, trail):
    assert api.get("/api/v1/audit/events/").status_code in (401, 403)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_trail_cannot_be_written_through_the_api(network, api, trail, method):
    event = trail["check_in"]
    response = getattr(api.as_user(network.auditor), method)(f"/api/v1/audit/events/{event.pk}/", {})
    assert response.status_code == 405
    assert Event.objects.get(pk=event.pk).action == Action.CHECK_IN


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("booking=BK-0001", ["check_in"]),
    ("office=KANIM-B&target_type=booking", ["view"]),
    ("action=CHECK_IN&action=VIEW_APPLICANT", ["view", "check_in"]),
    ("ip=10.2.2.2", ["view"]),
    ("at_after=2026-03-01T00:00:00Z&at_before=2026-03-03T00:00:00Z", ["check_in"]),
    ("target_type=booking&ordering=at", ["check_in", "view"]),
])
def test_search_filters(network, api, trail, query, expected):
    response = api.as_user(network.auditor).get(f"/api/v1/audit/events/?{query}")
    assert ids(response) == [trail[name].pk for name in expected]


def test_search_by_actor_finds_that_officers_events(network, api, trail):
    nip = network.officer_a.staff.nip
    response = api.as_user(network.auditor).get(f"/api/v1/audit/events/?actor={nip}&target_type=booking")
    assert ids(response) == [trail["check_in"].pk]


@pytest.mark.parametrize(("query", "parameter"), [
    ("ip=not-an-address", "ip"), ("at_after=yesterday", "at"), ("action=DANCE", "action"),
])
def test_bad_search_parameters_are_named_in_a_400(network, api, trail, query, parameter):
    response = api.as_user(network.auditor).get(f"/api/v1/audit/events/?{query}")
    assert response.status_code == 400
    assert any(key.startswith(parameter) for key in response.json())


def test_search_is_paginated(network, api, trail):
    response = api.as_user(network.auditor).get("/api/v1/audit/events/?page_size=1")
    body = response.json()
    assert len(body["results"]) == 1 and body["count"] == Event.objects.count() and body["next"]


def test_auditors_see_officer_names_and_masked_niks(network, api, trail):
    response = api.as_user(network.auditor).get("/api/v1/audit/events/?booking=BK-0001")
    row = response.json()["results"][0]
    assert row["actor_name"] == network.officer_a.staff.name
    assert row["office"] == "KANIM-A"
    assert NIK not in str(row["details"])
    assert row["details"]["nik"] == "317101******0001"


def test_csv_export_streams_the_search_with_niks_masked(network, api, trail):
    response = api.as_user(network.auditor).get("/api/v1/audit/events/export/?target_type=booking&ordering=at")
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(row["id"]) for row in rows] == [trail["check_in"].pk, trail["view"].pk]
    assert rows[0]["actor_name"] == network.officer_a.staff.name
    assert NIK not in body


def test_booking_timeline_is_that_bookings_events_oldest_first(network, api, trail):
    record(actor_for_user(network.officer_a), Action.APPROVE, office=network.kanim_a,
           target_type="booking", target_id="BK-0001", at=dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC))
    response = api.as_user(network.auditor).get("/api/v1/audit/bookings/BK-0001/timeline/")
    assert [row["action"] for row in response.json()["results"]] == ["CHECK_IN", "APPROVE"]


def test_officer_timeline_is_what_that_officer_did(network, api, trail):
    nip = network.officer_b.staff.nip
    response = api.as_user(network.supervisor).get(f"/api/v1/audit/staff/{nip}/timeline/")
    assert ids(response) == [trail["view"].pk]


def test_officer_timeline_of_an_unknown_nip_is_404(network, api, trail):
    assert api.as_user(network.auditor).get("/api/v1/audit/staff/000/timeline/").status_code == 404


def test_root_statement_is_signed(network, api, trail):
    response = api.as_user(network.auditor).get("/api/v1/audit/roots/2026-03-02/")
    body = response.json()
    assert body["date"] == "2026-03-02" and body["signature"].startswith("hmac-sha256:")
    assert body["text"].endswith(f"signature: {body['signature']}\n")


def test_system_events_have_no_officer_name(network, api, db):
    record(Actor.system("nightly"), Action.STAFF_LOGIN)
    response = api.as_user(network.auditor).get("/api/v1/audit/events/?actor=nightly")
    assert response.json()["results"][0]["actor_name"] == ""


def test_search_query_count_does_not_grow_with_results(network, api, trail):
    client = api.as_user(network.auditor)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/audit/events/?target_type=booking")
    for number in range(10):
        record(actor_for_user(network.officer_a), Action.CHECK_IN, office=network.kanim_a,
               target_type="booking", target_id=f"BK-1{number:03d}")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/audit/events/?target_type=booking")
    assert len(many) == len(few)


def test_csv_export_defuses_spreadsheet_formulas(network, api, db):
    record(Actor.system("t"), Action.STAFF_LOGIN, meta=RequestMeta(request_id="=HYPERLINK(1)"))
    response = api.as_user(network.auditor).get("/api/v1/audit/events/export/?actor=t")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["request_id"] == "'=HYPERLINK(1)"
