"""Home page and menu: each role sees its own panels and only the entries its capabilities allow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.translation import gettext_lazy as _

from offices.access import Capability
from offices.choices import Role
from passport_portal import navigation
from tests import builders


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(0)) if nav else []


AUDIT_ENTRIES = ["/audit/", "/findings/", "/findings/cases/"]


@pytest.mark.parametrize(("role", "more"), [(Role.OFFICER, ["/office/"]), (Role.OFFICE_HEAD, ["/office/"]),
                                            (Role.SUPERVISOR, ["/supervision/", *AUDIT_ENTRIES]),
                                            (Role.AUDITOR, AUDIT_ENTRIES)])
def test_every_role_gets_home_network_and_staff_in_the_menu(network, as_user, role, more):
    html = as_user(network.user(role)).get("/").content.decode()
    assert _menu(html) == ["/", "/network/", "/staff/", *more]


def test_a_login_without_posting_gets_no_menu_and_says_why(network, as_user):
    nobody = builders.staff_user(Role.OFFICER, network.kanim_a, valid_until=dt.date(2020, 12, 31))
    html = as_user(nobody).get("/").content.decode()
    assert _menu(html) == []
    assert "no posting today" in html


def test_menu_entries_follow_capabilities_not_role_names(network, as_user):
    item = navigation.register(navigation.NavItem(
        key="test-audit-only", label=_("Findings"), url_name="offices:province-list",
        capabilities=(Capability.AUDIT,), order=90))
    try:
        assert "/network/provinces/" in _menu(as_user(network.auditor).get("/").content.decode())
        assert "/network/provinces/" not in _menu(as_user(network.head_a).get("/").content.decode())
    finally:
        navigation._items.pop(item.key)


def test_current_menu_entry_is_marked_on_detail_pages(network, as_user):
    html = as_user(network.head_a).get(f"/network/{network.kanim_a.code}/").content.decode()
    assert '<a href="/network/" aria-current="page">' in html


def test_officer_home_shows_the_posting_in_the_office_zone(network, as_user):
    html = as_user(network.officer_a).get("/").content.decode()
    assert "panel-today" in html and network.kanim_a.name in html and "WIB" in html
    assert "panel-network" not in html and "panel-managed" not in html


def test_office_head_home_lists_the_offices_they_run_with_staff_on_duty(network, as_user):
    html = as_user(network.head_a).get("/").content.decode()
    assert "panel-managed" in html
    assert network.kanim_a.name in html and network.unit_a.code in html
    assert network.kanim_b.name not in html
    assert "panel-network" not in html


def test_the_offices_you_run_link_to_their_board_and_then_to_the_network(network, as_user):
    client = as_user(network.head_a)
    html = client.get("/").content.decode()
    panel = re.search(r'<section[^>]*aria-labelledby="panel-managed".*?</section>', html, re.S).group(0)
    rows = re.findall(r"<tr><td>(.*?)</td>", panel, re.S)
    assert len(rows) == 2
    for office, cell in zip([network.kanim_a, network.unit_a], rows, strict=True):
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', cell)
        assert links == [(f"/office/{office.code}/", office.name), (f"/network/{office.code}/", "Network")]
        assert client.get(links[0][0]).status_code == 200  # the head works at each board


def test_supervisor_home_shows_the_whole_network(network, as_user):
    html = as_user(network.supervisor).get("/").content.decode()
    assert "panel-network" in html and "panel-managed" not in html
    counts = re.findall(r"<dd>(\d+)</dd>", html)
    assert counts[:2] == ["3", "2"]  # offices and units, Kanim


def test_home_needs_a_bounded_number_of_queries(network, as_user, django_assert_max_num_queries):
    client = as_user(network.head_a)
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200


def test_home_requires_sign_in(db, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
