"""The network pages on hand-built data: figures shown, drill-down, filters, sorting, CSV, query bounds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.services.backlog import directive_set
from offices.choices import OfficeTimezone, OfficeType
from tests import builders as base_builders
from tests.pages.conftest import csv_export
from tests.pages.office.html import figures, rows

from .conftest import plant_finding


def codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)"', html)


# --- what the pages show ------------------------------------------------------------------------

def test_the_office_page_shows_its_figures(network, as_user, week):
    plant_finding(detector="bots", refs=[week.booked[0].ref, week.booked[1].ref, week.booked[2].ref])
    html = as_user(network.supervisor).get(f"/supervision/offices/{week.counter.office.code}/").content.decode()
    shown = figures(html)
    assert shown["waiting"] == "1"
    assert shown["flagged_share"] == "50.0 %"  # 3 of the 6 bookings made
    assert shown["quota_use"] == f"{5 / (14 * 4700) * 100:.1f} %"
    assert shown["oldest_waiting"] == week.counter.office.local_date().strftime("%-d %B %Y")
    assert shown["next_free"].endswith(week.counter.office.zone_label)


def test_the_overview_sums_the_network_and_each_province(network, as_user, week):
    html = as_user(network.supervisor).get("/supervision/").content.decode()
    assert figures(html)["offices"] == "4" and figures(html)["waiting"] == "1"
    provinces = {r[0]: r for r in rows(html, "province-table")}
    assert set(provinces) == {"DKI Jakarta", "Sulawesi Selatan"}
    assert provinces["DKI Jakarta"][1:4] == ["2", "1", "1"]  # Kanim, units, waiting
    assert 'href="/supervision/provinces/73/"' in html


def test_drill_down_province_to_its_kanim_to_its_units(network, as_user):
    client = as_user(network.supervisor)
    html = client.get("/supervision/provinces/31/").content.decode()
    assert codes(html) == ["KANIM-A"]  # Kanim only: units are one level down
    html = client.get("/supervision/offices/KANIM-A/").content.decode()
    assert codes(html) == ["ULP-A1"] and 'id="family"' in html
    html = client.get("/supervision/offices/ULP-A1/").content.decode()
    assert 'href="/supervision/offices/KANIM-A/"' in html and 'id="units"' not in html


def test_the_auditor_sees_the_flagged_share_the_office_roles_never_reach_it(network, as_user, week):
    plant_finding(detector="bots", refs=[week.booked[0].ref])
    html = as_user(network.auditor).get("/supervision/offices/").content.decode()
    assert "Flagged fictitious or bot" in html


def test_the_trend_charts_carry_their_data_as_json_blocks(network, as_user, week):
    html = as_user(network.supervisor).get("/supervision/").content.decode()
    assert '<script id="trend-counts" type="application/json">' in html
    assert '<script id="trend-flagged" type="application/json">' in html
    assert "<script>" not in html  # no inline code: the security policy forbids it
    assert rows(html, "trend-table")[-1][1:5] == ["6", "1", "0", "1"]  # bookings, decided, no-shows, waiting


def test_directive_times_are_shown_in_each_office_zone(network, as_user):
    from django.utils import timezone

    directive = directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=5)[0]
    html = as_user(network.supervisor).get("/supervision/directives/").content.decode()
    issued = directive.issued_at.astimezone(network.kanim_b.zone)
    assert f"{issued:%H:%M} WITA" in html
    assert timezone.now().astimezone(network.kanim_a.zone).utcoffset() != issued.utcoffset()


# --- the table: filters, sorting, CSV ------------------------------------------------------------

def test_filters_by_province_type_zone_and_kanim(network, as_user):
    client = as_user(network.supervisor)
    assert set(codes(client.get("/supervision/offices/?province=73").content.decode())) == {"KANIM-B"}
    assert set(codes(client.get("/supervision/offices/?type=ULP").content.decode())) == {"ULP-A1"}
    zone = OfficeTimezone.WITA.value
    assert set(codes(client.get(f"/supervision/offices/?timezone={zone}").content.decode())) == {"KANIM-B"}
    assert set(codes(client.get("/supervision/offices/?kanim=KANIM-A").content.decode())) == {"KANIM-A", "ULP-A1"}


def test_filters_by_directive_and_behind_schedule(network, as_user, counter):
    counter.walk_in(301)  # waiting, and nothing decided: at risk under any directive
    directive_set(actor=network.supervisor, offices=[counter.office, network.kanim_b], within_days=10)
    client = as_user(network.supervisor)
    html = client.get("/supervision/offices/?directive=yes").content.decode()
    assert set(codes(html)) == {counter.office.code, "KANIM-B"}
    html = client.get("/supervision/offices/?directive=no").content.decode()
    assert set(codes(html)) == {"KANIM-A", "ULP-A1"}
    html = client.get("/supervision/offices/?status=behind").content.decode()
    assert set(codes(html)) == {counter.office.code}
    html = client.get("/supervision/offices/?status=ON_TRACK").content.decode()
    assert set(codes(html)) == {"KANIM-B"}  # nobody waiting there


def test_sorting_by_waiting_puts_the_largest_backlog_first(network, as_user, counter):
    for serial in range(311, 314):
        counter.walk_in(serial)
    html = as_user(network.supervisor).get("/supervision/offices/?sort=-waiting").content.decode()
    assert codes(html)[0] == counter.office.code


def test_every_sortable_column_sorts(network, as_user, week):
    client = as_user(network.supervisor)
    for column in ("code", "name", "type", "region", "timezone", "waiting", "oldest_waiting", "next_free",
                   "quota_use", "no_show_rate", "flagged_share", "deadline", "directive_status"):
        for order in (column, f"-{column}"):
            response = client.get(f"/supervision/offices/?sort={order}")
            assert response.status_code == 200 and len(codes(response.content.decode())) == 4, order


def test_csv_export_writes_plain_values_of_the_filtered_rows(network, as_user, week):
    directive_set(actor=network.supervisor, offices=[week.counter.office], within_days=10)
    response = as_user(network.supervisor).get(f"/supervision/offices/?q={week.counter.office.code}&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    header, *body = csv_export(response)
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    office = week.counter.office
    assert row["Code"] == office.code and row["Waiting"] == "1"
    assert row["Oldest waiting since"] == office.local_date().isoformat()
    assert row["Directive deadline"] == (office.local_date() + dt.timedelta(days=10)).isoformat()
    assert row["Quota use, next 14 days"] == f"{5 / (14 * 4700) * 100:.1f}"
    assert row["Status"] == "AT_RISK" and row["Zone"] == office.zone_label


# --- query bounds -------------------------------------------------------------------------------

PAGES = ["/supervision/", "/supervision/offices/", "/supervision/offices/?sort=-quota_use",
         "/supervision/offices/?export=csv", "/supervision/provinces/31/", "/supervision/offices/KANIM-A/",
         "/supervision/directives/", "/"]


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, path
    return len(captured)


def test_pages_cost_the_same_queries_for_3_or_153_offices(network, as_user, django_assert_max_num_queries):
    client = as_user(network.supervisor)
    directive_set(actor=network.supervisor, offices=[network.kanim_a, network.kanim_b], within_days=10)
    small = {path: _queries(client, path) for path in PAGES}
    regions = [base_builders.region("51", "Bali"), base_builders.region("94", "Papua"), base_builders.region("31")]
    offices = []
    for n in range(75):
        kanim = base_builders.office(f"K-{n:03d}", region=regions[n % 3], daily_quota=100 + n)
        offices += [kanim, base_builders.office(f"U-{n:03d}", type=OfficeType.LTSP, parent=kanim,
                                                region=regions[n % 3])]
    base_builders.office("U-A2", type=OfficeType.MPP, parent=network.kanim_a)
    directive_set(actor=network.supervisor, offices=offices, within_days=10)
    big = {path: _queries(client, path) for path in PAGES}
    assert big == small, small
    for path in PAGES:
        # sign-in and reach, figures, trends (6: weekly figures, four counts of the weeks not summarised
        # yet, flagged), history; and 3 statements of transaction control (savepoint, SET LOCAL jit,
        # release) around each part planned without JIT
        with django_assert_max_num_queries(25):
            client.get(path)


def test_the_office_clock_and_directive_times_are_on_the_office_own_clock(network, as_user):
    from django.utils import timezone

    directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=5)
    html = as_user(network.supervisor).get("/supervision/offices/KANIM-B/").content.decode()
    local = timezone.now().astimezone(network.kanim_b.zone)
    clock = re.search(r'<span class="time">([^<]+)</span> <span class="zone">WITA</span>', html).group(1)
    # the page may have been rendered in the minute before
    assert clock in {local.strftime("%H:%M"), (local - dt.timedelta(minutes=1)).strftime("%H:%M")}
    issued = re.search(r'id="directive-history".*?<td class="nowrap">([^<]+)</td>', html, re.S).group(1)
    assert issued.endswith(" WITA") and issued.split()[-2] in {
        local.strftime("%H:%M"), (local - dt.timedelta(minutes=1)).strftime("%H:%M")}


@pytest.mark.django_db(transaction=True)  # SET LOCAL ends with the real transaction, not a savepoint
def test_the_network_query_is_planned_without_jit_and_the_setting_ends_with_it():
    from django.db import connection

    from passport_portal.planner import planned_without_jit

    def jit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            return cursor.fetchone()[0]

    before = jit()
    with planned_without_jit():
        assert jit() == "off"
    assert jit() == before
