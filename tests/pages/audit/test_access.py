"""Who reaches the audit pages: auditors, supervisors and administrators; nobody else, not even by URL."""

import pytest

from offices.choices import Role

PAGES = ["/audit/", "/audit/?export=csv", "/audit/bookings/BK-0001/"]


def _staff_timeline(network):
    return f"/audit/staff/{network.officer_a.staff.pk}/"


@pytest.mark.parametrize(("role", "expected"), [
    (Role.OFFICER, 404), (Role.OFFICE_HEAD, 404), (Role.SUPERVISOR, 200), (Role.AUDITOR, 200),
])
def test_only_those_who_audit_open_the_audit_pages(network, trail, as_user, role, expected):
    client = as_user(network.user(role))
    for path in [*PAGES, _staff_timeline(network)]:
        assert client.get(path).status_code == expected, path


def test_an_administrator_opens_the_audit_pages(network, trail, as_user):
    client = as_user(network.admin)
    for path in [*PAGES, _staff_timeline(network)]:
        assert client.get(path).status_code == 200, path


def test_anonymous_visitors_are_sent_to_sign_in(client, trail):
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(("role", "shown"), [
    (Role.OFFICER, False), (Role.OFFICE_HEAD, False), (Role.SUPERVISOR, True), (Role.AUDITOR, True),
])
def test_the_menu_shows_the_audit_trail_by_capability(network, as_user, role, shown):
    html = as_user(network.user(role)).get("/").content.decode()
    assert ('href="/audit/"' in html) is shown


def test_an_office_head_cannot_open_personal_data_through_the_audit_page(network, as_user, trail):
    response = as_user(network.head_a).post("/audit/bookings/BK-0001/")
    assert response.status_code == 404
