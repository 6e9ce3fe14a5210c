"""Who reaches which office page: OPERATE for the board and walk-ins, MANAGE for capacity and the
backlog; anyone else, and any other office, gets 404 exactly like an office that does not exist."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from audit.models import Event
from bookings.models import Booking, Slot
from offices.choices import OfficeType, Role
from tests import builders
from tests.bookings.builders import BIRTH, nik_for

OPERATE_PAGES = ["/office/{code}/", "/office/{code}/queue/", "/office/{code}/walk-ins/"]
MANAGE_PAGES = ["/office/{code}/capacity/", "/office/{code}/backlog/"]
WHO = ["officer_a", "head_a", "officer_b", "head_b", "supervisor", "auditor", "admin"]
#: Who opens Kanim A's pages: officers and heads there (the head also its unit), and the superuser.
OPENS = {
    "operate": {"officer_a", "head_a", "admin"},
    "manage": {"head_a", "admin"},
}


def _pages(kind: str, code: str = "KANIM-A") -> list[str]:
    return [p.format(code=code) for p in (OPERATE_PAGES if kind == "operate" else MANAGE_PAGES)]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("kind", ["operate", "manage"])
def test_office_pages_open_only_for_those_who_work_there(network, as_user, who, kind):
    client = as_user(getattr(network, who))
    expected = 200 if who in OPENS[kind] else 404
    for path in _pages(kind):
        assert client.get(path).status_code == expected, path


@pytest.mark.parametrize("kind", ["operate", "manage"])
def test_a_head_reaches_the_units_of_their_kanim_but_an_officer_does_not(network, as_user, kind):
    for path in _pages(kind, "ULP-A1"):
        assert as_user(network.head_a).get(path).status_code == 200, path
        assert as_user(network.officer_a).get(path).status_code == 404, path


def test_an_office_that_does_not_exist_is_404_like_one_out_of_reach(network, as_user):
    client = as_user(network.admin)
    assert client.get("/office/NOWHERE/").status_code == 404
    assert client.get("/office/NOWHERE/capacity/").status_code == 404


@pytest.mark.parametrize("who", ["officer_a", "head_b", "supervisor", "auditor"])
def test_capacity_forms_of_someone_without_manage_there_are_404_and_change_nothing(network, as_user, who):
    client = as_user(getattr(network, who))
    day = (network.kanim_a.local_date() + dt.timedelta(days=2)).isoformat()
    for action, data in [("change", {"date": day, "slot": "08:00", "capacity": "50", "reason": "x"}),
                         ("close", {"date": day, "reason": "x"}), ("reopen", {"date": day, "reason": "x"})]:
        assert client.post(f"/office/KANIM-A/capacity/{action}/", data).status_code == 404, action
    assert not Slot.objects.exists()
    assert not Event.objects.filter(action__in=["QUOTA_CHANGE", "DAY_CLOSE", "DAY_REOPEN"]).exists()


@pytest.mark.parametrize("who", ["officer_b", "head_b", "supervisor", "auditor"])
def test_a_walk_in_at_an_office_out_of_reach_is_404_and_books_nothing(network, as_user, who):
    response = as_user(getattr(network, who)).post("/office/KANIM-A/walk-ins/", {
        "nik": nik_for(900), "name": "X", "birth_date": BIRTH.isoformat(), "phone": "081211112222",
        "service": "NEW", "channel": "WALK_IN", "slot": "08:00"})
    assert response.status_code == 404
    assert not Booking.objects.exists() and not Event.objects.filter(action="BOOK_REFUSED").exists()


def test_forms_only_accept_posts(network, as_user):
    client = as_user(network.head_a)
    assert client.get("/office/KANIM-A/capacity/change/").status_code == 405
    assert client.put("/office/KANIM-A/walk-ins/").status_code == 405


def test_pages_require_sign_in(db, client):
    response = client.get("/office/KANIM-A/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_officer_goes_straight_to_the_one_office_they_work_at(network, as_user):
    response = as_user(network.officer_a).get("/office/")
    assert response.status_code == 302 and response["Location"] == "/office/KANIM-A/"


def test_a_head_picks_among_their_kanim_and_its_units(network, as_user):
    html = as_user(network.head_a).get("/office/").content.decode()
    listed = re.findall(r'<td class="name"><a href="/office/([\w-]+)/"', html)
    assert listed == ["KANIM-A", "ULP-A1"]
    assert '<a href="/office/ULP-A1/capacity/">' in html


@pytest.mark.parametrize("who", ["supervisor", "auditor"])
def test_network_roles_have_no_office_to_pick(network, as_user, who):
    assert as_user(getattr(network, who)).get("/office/").status_code == 404


def test_an_officer_sees_no_capacity_or_backlog_tabs(network, as_user):
    officer = as_user(network.officer_a).get("/office/KANIM-A/").content.decode()
    assert "/office/KANIM-A/capacity/" not in officer and "/office/KANIM-A/walk-ins/" in officer
    head = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    assert "/office/KANIM-A/capacity/" in head and "/office/KANIM-A/backlog/" in head


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(0)) if nav else []


@pytest.mark.parametrize(("role", "has_entry"), [(Role.OFFICER, True), (Role.OFFICE_HEAD, True),
                                                  (Role.SUPERVISOR, False), (Role.AUDITOR, False)])
def test_the_menu_entry_follows_the_operate_capability(network, as_user, role, has_entry):
    html = as_user(network.user(role)).get("/").content.decode()
    assert ("/office/" in _menu(html)) is has_entry


def test_the_menu_marks_the_office_entry_on_every_office_page(network, as_user):
    client = as_user(network.head_a)
    for path in ["/office/KANIM-A/", "/office/KANIM-A/capacity/", "/office/KANIM-A/walk-ins/",
                 "/office/KANIM-A/backlog/"]:
        assert '<a href="/office/" aria-current="page">' in client.get(path).content.decode(), path


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_office_page_renders_in_both_languages(network, as_user, language):
    client = as_user(network.head_a)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    for path in ["/office/", *_pages("operate"), *_pages("manage")]:
        response = client.get(path)
        assert response.status_code == 200, path
        if path != "/office/KANIM-A/queue/":
            assert f'<html lang="{language}">' in response.content.decode(), path


def test_the_pick_list_issues_no_query_per_office(network, as_user, django_assert_max_num_queries):
    client = as_user(network.head_a)
    client.get("/office/")
    with django_assert_max_num_queries(12) as few:
        assert client.get("/office/").status_code == 200
    baseline = len(few.captured_queries)  # read now: the next request resets the log
    for number in range(2, 8):
        builders.office(f"ULP-A{number}", type=OfficeType.ULP, parent=network.kanim_a)
        builders.staff_user(Role.OFFICER, network.kanim_a)
    with django_assert_max_num_queries(baseline):
        html = client.get("/office/").content.decode()
    assert html.count('<td class="name">') == 8
