"""The network pages: office list (filter, sort, page, CSV), provinces, office detail; scope and 404s."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from offices.choices import Role
from tests import builders
from tests.pages.conftest import csv_export


def _codes(html: str) -> set[str]:
    return set(re.findall(r'<td class="code nowrap"><a href="/network/([^/]+)/">', html))


# --- the list ---------------------------------------------------------------------------------

def test_office_head_sees_their_kanim_and_its_units_only(network, as_user):
    html = as_user(network.head_a).get("/network/").content.decode()
    assert _codes(html) == {"KANIM-A", "ULP-A1"}


def test_officer_sees_only_the_office_they_are_posted_at(network, as_user):
    html = as_user(network.officer_a).get("/network/").content.decode()
    assert _codes(html) == {"KANIM-A"}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
def test_network_wide_roles_see_every_office(network, as_user, role):
    html = as_user(network.user(role)).get("/network/").content.decode()
    assert _codes(html) == {"KANIM-A", "ULP-A1", "KANIM-B"}


def test_filter_by_type(network, as_user):
    html = as_user(network.supervisor).get("/network/?type=ULP").content.decode()
    assert _codes(html) == {"ULP-A1"}


def test_filter_by_province_and_zone(network, as_user):
    client = as_user(network.supervisor)
    assert _codes(client.get("/network/?province=73").content.decode()) == {"KANIM-B"}
    assert _codes(client.get("/network/?timezone=Asia/Makassar").content.decode()) == {"KANIM-B"}


def test_filter_by_parent_kanim(network, as_user):
    html = as_user(network.supervisor).get("/network/?parent=KANIM-A").content.decode()
    assert _codes(html) == {"ULP-A1"}


def test_filter_by_active(network, as_user):
    from offices.services import office_update

    office_update(actor=builders.SYSTEM, office=network.kanim_b, is_active=False)
    client = as_user(network.supervisor)
    assert _codes(client.get("/network/?is_active=no").content.decode()) == {"KANIM-B"}
    assert "KANIM-B" not in _codes(client.get("/network/?is_active=yes").content.decode())


def test_search_by_name_code_or_city(network, as_user):
    html = as_user(network.supervisor).get("/network/?q=ulp a1").content.decode()
    assert _codes(html) == {"ULP-A1"}


def test_an_invalid_filter_says_so_and_shows_nothing(network, as_user):
    response = as_user(network.supervisor).get("/network/?type=NOPE")
    html = response.content.decode()
    assert "NOPE" in html and _codes(html) == set()


def test_parent_filter_offers_only_visible_kanim(network, as_user):
    html = as_user(network.head_a).get("/network/").content.decode()
    select = re.search(r'<select name="parent".*?</select>', html, re.S).group(0)
    assert "KANIM-A" in select and "KANIM-B" not in select


def test_sort_by_quota_descending(big_network, as_user):
    html = as_user(big_network.supervisor).get("/network/?type=KANIM&sort=-daily_quota").content.decode()
    codes = re.findall(r'<td class="code nowrap"><a href="/network/([^/]+)/">', html)
    assert codes[:3] == ["K-074", "K-073", "K-072"]


def test_pages_hold_fifty_rows(big_network, as_user):
    client = as_user(big_network.supervisor)
    first = _codes(client.get("/network/").content.decode())
    second = _codes(client.get("/network/?page=2").content.decode())
    assert len(first) == 50 and len(second) == 50 and not first & second


def test_list_of_150_offices_issues_no_query_per_row(big_network, as_user, django_assert_max_num_queries):
    client = as_user(big_network.supervisor)
    client.get("/network/")  # warm the session and the menu registry
    with django_assert_max_num_queries(12):
        response = client.get("/network/?sort=parent")
    assert len(_codes(response.content.decode())) == 50


# --- CSV export -------------------------------------------------------------------------------

def test_csv_export_streams_every_filtered_row_with_a_header(big_network, as_user):
    response = as_user(big_network.supervisor).get("/network/?type=LTSP&export=csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_export(response)
    assert rows[0][:3] == ["Code", "Name", "Type"]
    assert len(rows) == 1 + 75 and {r[2] for r in rows[1:]} == {"LTSP"}


def test_csv_export_keeps_the_scope(network, as_user):
    rows = csv_export(as_user(network.head_a).get("/network/?export=csv"))
    assert {r[0] for r in rows[1:]} == {"KANIM-A", "ULP-A1"}


def test_csv_export_writes_plain_values(network, as_user):
    rows = csv_export(as_user(network.supervisor).get("/network/?q=KANIM-B&export=csv"))
    header, row = rows[0], rows[1]
    values = dict(zip(header, row, strict=True))
    assert values["Zone"] == "WITA" and values["Hours (local)"] == "08:00-16:00"
    assert values["Active"] == "yes" and values["Parent Kanim"] == ""


def test_csv_export_queries_do_not_grow_with_rows(big_network, as_user, django_assert_max_num_queries):
    client = as_user(big_network.supervisor)
    client.get("/network/")
    with django_assert_max_num_queries(10):
        rows = csv_export(client.get("/network/?export=csv"))
    assert len(rows) == 1 + 153


# --- provinces --------------------------------------------------------------------------------

def test_provinces_count_kanim_and_units_in_scope(network, as_user):
    html = as_user(network.head_a).get("/network/provinces/").content.decode()
    assert "DKI Jakarta" in html and "Sulawesi Selatan" not in html
    assert "/network/?province=31&amp;type=KANIM" in html


def test_provinces_page_is_one_query_for_any_size(big_network, as_user, django_assert_max_num_queries):
    client = as_user(big_network.supervisor)
    client.get("/")
    # session, user, device, staff, postings, the summary, session save (3)
    with django_assert_max_num_queries(9):
        html = client.get("/network/provinces/").content.decode()
    assert "Bali" in html and "Papua" in html


# --- office detail ----------------------------------------------------------------------------

def test_office_detail_shows_units_hours_quota_and_staff_on_duty(network, as_user):
    html = as_user(network.head_a).get("/network/KANIM-A/").content.decode()
    assert "ULP-A1" in html and "WIB" in html
    assert network.officer_a.staff.name in html and network.head_a.staff.name in html
    assert network.officer_b.staff.name not in html


def test_office_detail_shows_hours_in_the_office_own_zone(network, as_user):
    html = as_user(network.supervisor).get("/network/KANIM-B/").content.decode()
    assert "08.00–16.00 WITA" in html or "08:00–16:00 WITA" in html
    assert '<span class="zone">WITA</span>' in html


def test_staff_whose_posting_ended_are_not_on_duty(network, as_user):
    gone = builders.staff_user(Role.OFFICER, network.kanim_a, valid_until=dt.date(2021, 1, 1))
    html = as_user(network.head_a).get("/network/KANIM-A/").content.decode()
    assert gone.staff.name not in html


@pytest.mark.parametrize("role", [Role.OFFICER, Role.OFFICE_HEAD])
def test_another_office_is_404_like_a_missing_one(network, as_user, role):
    client = as_user(network.user(role))
    assert client.get("/network/KANIM-B/").status_code == 404
    assert client.get("/network/NO-SUCH-OFFICE/").status_code == 404


def test_officer_cannot_open_a_unit_of_their_kanim(network, as_user):
    assert as_user(network.officer_a).get("/network/ULP-A1/").status_code == 404


def test_office_detail_needs_a_bounded_number_of_queries(big_network, as_user,
                                                        django_assert_max_num_queries):
    client = as_user(big_network.supervisor)
    client.get("/")
    with django_assert_max_num_queries(13):
        assert client.get("/network/K-001/").status_code == 200


def test_provinces_page_totals_the_network_in_scope(big_network, as_user):
    html = as_user(big_network.supervisor).get("/network/provinces/").content.decode()
    footer = re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0)
    assert re.findall(r'<td class="num">([\d.,]+)</td>', footer)[:2] == ["77", "76"]


def test_csv_export_defuses_spreadsheet_formulas(network, as_user):
    from offices.services import office_update

    office_update(actor=builders.SYSTEM, office=network.kanim_b, name="=HYPERLINK(\"http://x\")")
    rows = csv_export(as_user(network.supervisor).get("/network/?q=KANIM-B&export=csv"))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"
