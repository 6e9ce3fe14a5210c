"""The backlog page: waiting and served figures, the projection against the office's directive,
and open findings touching the office counted by category, never a finding or a name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.formats import date_format

from audit.detection.services.cases import case_move, case_open
from bookings.services import slots_materialise
from bookings.services.backlog import directive_set
from tests.audit.detection.findings import finding_about
from tests.pages.office.conftest import through, walk_in
from tests.pages.office.html import figures, rows

URL = "/office/KANIM-A/backlog/"


@pytest.fixture(autouse=True)
def fortnight(settings):
    settings.BACKLOG_THROUGHPUT_DAYS = 14


def test_backlog_figures_and_projection_against_the_directive(network, as_user, today):
    approved = through(walk_in(network, 1), "check_in", "verify_documents", "capture_biometrics", "interview",
                       actor=network.officer_a)
    through(approved, "approve", actor=network.head_a)
    through(walk_in(network, 2), "check_in", actor=network.officer_a)
    walk_in(network, 3)
    directive_set(actor=network.supervisor, offices=[network.kanim_a], within_days=14,
                  note="Clear before the holidays")
    # Tomorrow's slots are on sale whatever the hour: late in the day, today's are all past.
    slots_materialise(office=network.kanim_a, service_date=today + dt.timedelta(days=1))
    html = as_user(network.head_a).get(URL).content.decode()
    # two waiting at one decided in fourteen days: 2 / (1/14) = 28 days, every day a working day here
    shown = figures(html)
    # the next free slot depends on the time of day the test runs: its form, in the office's zone
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} \d\d:\d\d WIB", shown.pop("next_free"))
    assert shown == {
        "waiting": "2", "served_not_issued": "1", "throughput": "0.07", "oldest_waiting": date_format(today),
        "rate": "0.07 a day", "clearance": date_format(today + dt.timedelta(days=28)),
        "deadline": date_format(today + dt.timedelta(days=14)), "on_track": "no"}
    assert "Clear before the holidays" in html


def test_without_a_directive_the_page_says_so(network, as_user):
    html = as_user(network.head_a).get(URL).content.decode()
    assert 'id="no-directive"' in html and figures(html)["waiting"] == "0"


def _flags(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-category="(\w+)"><td>[^<]*</td><td class="num">(\d+)</td>', html))


def test_open_findings_are_counted_by_category_without_names(network, as_user):
    officer_nip = network.officer_a.staff.nip
    finding_about(office=network.kanim_a, detector="bots")
    finding_about(office=network.kanim_a, detector="bots")
    finding_about(nip=officer_nip, office=network.kanim_a, detector="four_eyes_and_skips")
    finding_about(office=network.kanim_b, detector="bots")  # another office
    concluded = finding_about(office=network.kanim_a, detector="broker_clusters")
    case = case_open(actor=network.auditor, title="Ring at Kanim A", findings=[concluded])
    case_move(actor=network.auditor, case=case, to="INVESTIGATING")
    case_move(actor=network.auditor, case=case, to="UNFOUNDED", note="An agency with a licence")
    html = as_user(network.head_a).get(URL).content.decode()
    assert _flags(html) == {"COLLUSION": "1", "BROKER": "0", "FICTITIOUS": "0", "BOT": "2", "OTHER": "0"}
    assert officer_nip not in html and network.officer_a.staff.name not in html
    assert "Planted finding" not in html  # no summary, no evidence


def test_a_head_is_not_told_of_findings_that_name_them(network, as_user):
    finding_about(nip=network.head_a.staff.nip, office=network.kanim_a, detector="walk_ins_and_quota_raises")
    html = as_user(network.head_a).get(URL).content.decode()
    assert _flags(html)["COLLUSION"] == "0"


def test_backlog_page_queries_are_bounded(network, as_user, django_assert_max_num_queries):
    for _ in range(5):
        finding_about(office=network.kanim_a, detector="bots")
    client = as_user(network.head_a)
    # 13, and 3 statements of transaction control (savepoint, SET LOCAL jit, release) around the
    # backlog figures planned without JIT
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert len(rows(response.content.decode(), "flag-counts")) == 5
