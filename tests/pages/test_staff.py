"""Staff pages: list and detail in scope, posting an officer and ending a posting through services."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from audit.models import Event
from offices.choices import Role
from offices.models import Assignment
from tests import builders
from tests.pages.conftest import csv_export


def _names(html: str) -> set[str]:
    return set(re.findall(r'<a href="/staff/\d+/">([^<]+)</a>', html))


def _today(office) -> dt.date:
    return office.local_date()


# --- list and detail --------------------------------------------------------------------------

def test_office_head_lists_staff_of_their_kanim_only(network, as_user):
    html = as_user(network.head_a).get("/staff/").content.decode()
    assert _names(html) == {network.officer_a.staff.name, network.head_a.staff.name}


def test_supervisor_lists_staff_everywhere(network, as_user):
    html = as_user(network.supervisor).get("/staff/").content.decode()
    assert network.officer_b.staff.name in _names(html) and network.officer_a.staff.name in _names(html)


def test_staff_list_filters_by_role(network, as_user):
    html = as_user(network.supervisor).get("/staff/?role=AUDITOR").content.decode()
    assert _names(html) == {network.auditor.staff.name}


def test_staff_list_searches_by_nip_prefix(network, as_user):
    nip = network.officer_b.staff.nip
    html = as_user(network.supervisor).get(f"/staff/?q={nip}").content.decode()
    assert _names(html) == {network.officer_b.staff.name}


def test_staff_list_shows_today_posting_without_a_query_per_row(network, as_user,
                                                                 django_assert_max_num_queries):
    for _ in range(40):
        builders.staff_user(Role.OFFICER, network.unit_a)
    client = as_user(network.head_a)
    client.get("/")
    with django_assert_max_num_queries(14):
        html = client.get("/staff/").content.decode()
    assert len(_names(html)) == 42
    assert html.count("Counter officer · ULP-A1") == 40


def test_staff_csv_export_keeps_the_scope(network, as_user):
    response = as_user(network.head_a).get("/staff/?export=csv")
    rows = csv_export(response)
    assert rows[0] == ["Name", "NIP", "Current posting", "Portal login"]
    assert {r[1] for r in rows[1:]} == {network.officer_a.staff.nip, network.head_a.staff.nip}


def test_staff_detail_shows_the_postings(network, as_user):
    html = as_user(network.head_a).get(f"/staff/{network.officer_a.staff.pk}/").content.decode()
    assert network.kanim_a.name in html and "Counter officer" in html


@pytest.mark.parametrize("role", [Role.OFFICER, Role.OFFICE_HEAD])
def test_staff_of_another_office_is_404_like_a_missing_id(network, as_user, role):
    client = as_user(network.user(role))
    assert client.get(f"/staff/{network.officer_b.staff.pk}/").status_code == 404
    assert client.get("/staff/999999/").status_code == 404


# --- posting an officer -----------------------------------------------------------------------

def _post_form(network, nip, *, office="ULP-A1", role=Role.OFFICER, start=None, until=""):
    return {"nip": nip, "office": office, "role": role,
            "valid_from": (start or _today(network.kanim_a)).isoformat(), "valid_until": until}


def test_office_head_posts_an_officer_at_a_unit_of_their_kanim(network, as_user):
    newcomer = builders.staff_profile(builders.nip_for(901), "Nina Baru")
    response = as_user(network.head_a).post("/network/KANIM-A/postings/", _post_form(network, newcomer.nip))
    assert response.status_code == 302
    posting = Assignment.objects.get(staff=newcomer)
    assert posting.office == network.unit_a and posting.role == Role.OFFICER
    event = Event.objects.get(action="ASSIGNMENT_CREATE", target_id=newcomer.nip)
    assert event.actor_id == network.head_a.staff.nip and event.ip == "127.0.0.1"


def test_office_head_is_not_offered_senior_roles(network, as_user):
    newcomer = builders.staff_profile(builders.nip_for(902), "Nina Baru")
    response = as_user(network.head_a).post("/network/KANIM-A/postings/",
                                            _post_form(network, newcomer.nip, role=Role.SUPERVISOR))
    assert response.status_code == 400
    assert 'name="role"' in response.content.decode()
    assert not Assignment.objects.filter(staff=newcomer).exists()


def test_posting_at_another_kanim_is_404(network, as_user):
    newcomer = builders.staff_profile(builders.nip_for(903), "Nina Baru")
    response = as_user(network.head_a).post("/network/KANIM-B/postings/",
                                            _post_form(network, newcomer.nip, office="KANIM-B"))
    assert response.status_code == 404
    assert not Assignment.objects.filter(staff=newcomer).exists()


def test_officer_gets_no_posting_form_and_cannot_post(network, as_user):
    client = as_user(network.officer_a)
    assert 'name="nip"' not in client.get("/network/KANIM-A/").content.decode()
    newcomer = builders.staff_profile(builders.nip_for(904), "Nina Baru")
    response = client.post("/network/KANIM-A/postings/", _post_form(network, newcomer.nip, office="KANIM-A"))
    assert response.status_code == 400
    assert not Assignment.objects.filter(staff=newcomer).exists()


def test_overlapping_posting_is_refused_with_the_reason_on_the_form(network, as_user):
    response = as_user(network.head_a).post("/network/KANIM-A/postings/",
                                            _post_form(network, network.officer_a.staff.nip))
    assert response.status_code == 400
    assert re.search(r'<div class="msg msg-error" role="alert">[^<]*already has an assignment',
                     response.content.decode())
    assert Assignment.objects.filter(staff=network.officer_a.staff).count() == 1


def test_unknown_nip_is_an_error_on_the_nip_field(network, as_user):
    response = as_user(network.head_a).post("/network/KANIM-A/postings/",
                                            _post_form(network, builders.nip_for(905)))
    assert response.status_code == 400
    assert "No member of staff has this NIP." in response.content.decode()


# --- ending a posting -------------------------------------------------------------------------

def test_office_head_ends_an_officer_posting(network, as_user):
    posting = Assignment.objects.get(staff=network.officer_a.staff)
    last_day = _today(network.kanim_a) + dt.timedelta(days=7)
    response = as_user(network.head_a).post(
        f"/staff/{network.officer_a.staff.pk}/postings/{posting.pk}/end/", {"valid_until": last_day.isoformat()})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.valid_until == last_day
    assert Event.objects.filter(action="ASSIGNMENT_END", target_id=network.officer_a.staff.nip).exists()


def test_officer_sees_no_end_form_and_is_refused(network, as_user):
    client = as_user(network.officer_a)
    colleague = builders.staff_user(Role.OFFICER, network.kanim_a)
    posting = Assignment.objects.get(staff=colleague.staff)
    assert "End posting" not in client.get(f"/staff/{colleague.staff.pk}/").content.decode()
    response = client.post(f"/staff/{colleague.staff.pk}/postings/{posting.pk}/end/",
                           {"valid_until": _today(network.kanim_a).isoformat()})
    assert response.status_code == 403
    posting.refresh_from_db()
    assert posting.valid_until is None


def test_ending_before_the_start_is_an_error_on_the_date(network, as_user):
    posting = Assignment.objects.get(staff=network.officer_a.staff)
    response = as_user(network.head_a).post(
        f"/staff/{network.officer_a.staff.pk}/postings/{posting.pk}/end/", {"valid_until": "2019-01-01"})
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    posting.refresh_from_db()
    assert posting.valid_until is None


def test_ending_a_posting_of_another_office_is_404(network, as_user):
    posting = Assignment.objects.get(staff=network.officer_b.staff)
    response = as_user(network.head_a).post(
        f"/staff/{network.officer_b.staff.pk}/postings/{posting.pk}/end/", {"valid_until": "2030-01-01"})
    assert response.status_code == 404
