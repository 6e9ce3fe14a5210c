"""The booking and officer timelines: what they list, in whose zone, and the record of opening personal data."""

import datetime as dt

import pytest
from django.db import transaction

from audit.actions import Action
from audit.models import Event
from audit.trail import Actor, actor_for_user, event_record
from bookings.services import booking_cancel
from offices.choices import Role
from passport_portal.request_meta import RequestMeta
from tests import builders
from tests.bookings import builders as booking_builders

from .conftest import event_ids, record

UTC = dt.UTC


@pytest.fixture
def auditor(network, as_user):
    return as_user(network.auditor)


@pytest.fixture
def booking(network, applicant_user, day):
    """Ani's booking at Kanim A, then cancelled by her: BOOK and BOOKING_CANCEL in the trail."""
    booking = booking_builders.booking(applicant_user, network.kanim_a, day, name="Ani Rahmawati",
                                       phone="0812-1111-2222")
    return booking_cancel(actor=applicant_user, booking=booking)


def _views():
    return Event.objects.filter(action=Action.VIEW_APPLICANT)


def test_a_bookings_timeline_lists_its_events_oldest_first(network, booking, auditor):
    expected = list(Event.objects.filter(target_type="booking", target_id=booking.ref)
                    .order_by("at", "id").values_list("pk", flat=True))
    for value in (booking.code, booking.ref):
        html = auditor.get(f"/audit/bookings/{value}/").content.decode()
        assert event_ids(html) == expected and len(expected) == 2


def test_a_change_made_outside_the_portal_shows_on_the_bookings_timeline(network, booking, auditor):
    # What the backstop writes for a raw UPDATE of the booking's row (tests/audit covers the trigger).
    outside = record(Actor.system("db:postgres"), Action.DATA_CHANGED_OUTSIDE_APP, office=network.kanim_a,
                     target_type="bookings_booking", target_id=booking.ref, details={"operation": "UPDATE"})
    html = auditor.get(f"/audit/bookings/{booking.code}/").content.decode()
    assert event_ids(html)[-1] == outside.pk


def test_opening_a_timeline_shows_no_personal_data_and_records_nothing(network, booking, auditor):
    html = auditor.get(f"/audit/bookings/{booking.code}/").content.decode()
    assert "Ani Rahmawati" not in html and booking.nik not in html and booking.phone not in html
    assert booking.code in html and "KANIM-A" in html
    assert not _views().exists()


def test_showing_the_applicant_records_view_applicant_first(network, booking, auditor):
    response = auditor.post(f"/audit/bookings/{booking.code}/", REMOTE_ADDR="10.7.7.7")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ani Rahmawati" in html and booking.phone in html and booking.nik_masked in html
    assert booking.nik not in html
    view = _views().get()
    assert (view.actor_id, view.actor_role, view.target_id, view.office_id, view.ip) == (
        network.auditor.staff.nip, Role.AUDITOR, booking.ref, network.kanim_a.pk, "10.7.7.7")
    assert view.pk in event_ids(html)


def test_the_applicant_sees_that_an_auditor_opened_their_data(network, booking, auditor, applicant_user, api):
    auditor.post(f"/audit/bookings/{booking.code}/")
    trail = api.as_user(applicant_user).get("/api/v1/my/trail/").json()
    results = trail["results"] if isinstance(trail, dict) else trail
    assert ("VIEW_APPLICANT", "AUDITOR") in {(item["action"], item["by"]) for item in results}


def test_a_ref_known_only_from_imported_events_opens_without_a_booking(network, trail, auditor):
    response = auditor.get("/audit/bookings/BK-0001/")
    assert response.status_code == 200
    assert event_ids(response.content.decode()) == [trail["check_in"].pk]
    assert auditor.post("/audit/bookings/BK-0001/").status_code == 200
    assert not _views().filter(actor_id=network.auditor.staff.nip).exists()


def test_an_unknown_booking_is_not_found(network, auditor):
    assert auditor.get("/audit/bookings/NOSUCHCODE/").status_code == 404


def test_an_officers_timeline_lists_only_their_events_newest_first(network, trail, auditor):
    mine = list(Event.objects.filter(actor_type="staff", actor_id=network.officer_a.staff.nip)
                .order_by("-at", "-id").values_list("pk", flat=True))
    html = auditor.get(f"/audit/staff/{network.officer_a.staff.pk}/").content.decode()
    assert event_ids(html) == mine and trail["check_in"].pk in mine
    assert trail["view"].pk not in event_ids(html)
    assert network.officer_a.staff.name in html and "KANIM-A" in html


def test_an_officers_timeline_filters_by_action_and_time(network, trail, auditor):
    url = f"/audit/staff/{network.officer_a.staff.pk}/?action=CHECK_IN&at_after=2026-03-01T00:00"
    html = auditor.get(url).content.decode()
    assert event_ids(html) == [trail["check_in"].pk]
    assert 'name="actor"' not in html


def test_an_officers_timeline_shows_times_in_the_zone_of_each_office(network, auditor):
    officer = actor_for_user(network.officer_b)
    at = dt.datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
    record(officer, Action.CHECK_IN, office=network.kanim_b, target_type="booking", target_id="BK-B", at=at)
    record(officer, Action.CHECK_IN, office=network.kanim_a, target_type="booking", target_id="BK-A", at=at)
    html = auditor.get(f"/audit/staff/{network.officer_b.staff.pk}/?action=CHECK_IN").content.decode()
    assert "08:30:00</time> <span class=\"zone\">WITA</span>" in html
    assert "07:30:00</time> <span class=\"zone\">WIB</span>" in html


def test_an_unknown_officer_is_not_found(network, auditor):
    assert auditor.get("/audit/staff/987654/").status_code == 404


def test_an_officers_timeline_csv_is_the_officers_events(network, trail, auditor):
    response = auditor.get(f"/audit/staff/{network.officer_a.staff.pk}/?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert network.officer_a.staff.nip in body and network.officer_b.staff.nip not in body


def test_timelines_issue_no_query_per_event(network, booking, auditor, django_assert_max_num_queries):
    officer = actor_for_user(network.officer_a)
    with transaction.atomic():
        for _n in range(60):
            event_record(actor=officer, action=Action.VIEW_APPLICANT, office=network.kanim_a,
                         target_type="booking", target_id=booking.ref, meta=RequestMeta(ip="10.1.1.1"))
    auditor.get("/")
    with django_assert_max_num_queries(12):
        html = auditor.get(f"/audit/bookings/{booking.code}/").content.decode()
    assert len(event_ids(html)) == 50
    with django_assert_max_num_queries(12):
        html = auditor.get(f"/audit/staff/{network.officer_a.staff.pk}/").content.decode()
    assert len(event_ids(html)) == 50


def test_a_supervisor_reads_the_timelines_too(network, booking, as_user):
    client = as_user(network.supervisor)
    assert client.get(f"/audit/bookings/{booking.code}/").status_code == 200
    staff = builders.staff_user(Role.OFFICER, network.kanim_b)
    assert client.get(f"/audit/staff/{staff.staff.pk}/").status_code == 200
