"""Office clocks: every page that shows an office's clock shows its own local time beside its zone label."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from offices.choices import OfficeTimezone, OfficeType, Role
from tests import builders


@pytest.fixture
def jayapura(network):
    """A Kanim in Asia/Jayapura (WIT, two hours ahead of the portal's zone), a unit under it, and its head."""
    papua = builders.region("91", "Papua")
    office = builders.office("KANIM-JPR", name="Kanim Jayapura", timezone=OfficeTimezone.WIT, region=papua)
    builders.office("ULP-JPR", type=OfficeType.ULP, parent=office, timezone=OfficeTimezone.WIT, region=papua)
    return office, builders.staff_user(Role.OFFICE_HEAD, office)


def _local(office) -> list[dt.datetime]:
    """The office's local time now and a minute before (the page may have rendered in the minute before)."""
    now = timezone.now().astimezone(office.zone)
    return [now, now - dt.timedelta(minutes=1)]


def _times(office) -> set[str]:
    return {f"{t:%H:%M}" for t in _local(office)} | {f"{t:%H.%M}" for t in _local(office)}


@pytest.mark.parametrize("path", ["/network/KANIM-JPR/", "/office/KANIM-JPR/"])
def test_office_heading_clock_is_on_the_office_own_clock(jayapura, as_user, path):
    office, head = jayapura
    html = as_user(head).get(path).content.decode()
    clock = re.search(r'<div class="clock"[^>]*>.*?</div>', html, re.S).group(0)
    shown = re.search(r'<span class="time">([^<]+)</span> <span class="zone">WIT</span>', clock).group(1)
    assert shown in _times(office)
    date = re.search(r'<span class="date">([^<]+)</span>', clock).group(1)
    assert date in {f"{t:%A}, {t.day} {t:%B %Y}" for t in _local(office)}


def test_office_list_shows_each_office_local_time(jayapura, as_user):
    office, head = jayapura
    response = as_user(head).get("/office/")
    assert response.status_code == 200  # two offices: listed, not redirected to a board
    html = response.content.decode()
    row = re.search(r'<tr><td class="name"><a href="/office/KANIM-JPR/">.*?</tr>', html, re.S).group(0)
    shown = re.search(r'<td class="nowrap">([^<]+) WIT</td>', row).group(1)
    assert shown in _times(office)


def test_home_posting_panel_shows_the_office_local_time(jayapura, as_user):
    office, head = jayapura
    html = as_user(head).get("/").content.decode()
    panel = re.search(r'<section[^>]*aria-labelledby="panel-today".*?</section>', html, re.S).group(0)
    shown = re.search(r"Local time (\S+) WIT", panel).group(1)
    assert shown in _times(office)
