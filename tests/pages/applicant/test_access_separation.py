"""Applicants and staff never use each other's pages: applicants reach /apply/ (and the API, the
language switch, signing out), every staff page answers them 404 and the staff home sends them to
/apply/; staff and administrators are refused the applicants' pages (403)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from offices.choices import Role
from tests.bookings import builders

APPLICANT_PAGES = ["/apply/", "/apply/book/", "/apply/bookings/", "/apply/register/", "/apply/sign-in/"]
STAFF = [Role.OFFICER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.AUDITOR, "superuser"]
# Outside /apply/, what an applicant may open (the rest is staff pages).
OPEN = {"login", "logout", "set_language", "home"}


def _pages_without_arguments(resolver=None, prefix="", namespace=""):
    """(URL name, path) of every named page that takes no argument, outside the API and admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("api/", "admin/")):
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            yield from _pages_without_arguments(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name and "<" not in route and "(" not in route:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), "/" + route


STAFF_PAGES = sorted({path for name, path in _pages_without_arguments()
                      if not name.startswith("applicant:") and name not in OPEN})


def _staff(network, role):
    return network.admin if role == "superuser" else network.user(role)


def test_the_staff_pages_are_discovered():
    assert {"/network/", "/staff/", "/office/"} <= set(STAFF_PAGES)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_every_staff_page_answers_an_applicant_404(network, applicant_client, path):
    response = applicant_client.get(path)
    assert response.status_code == 404, path


def test_the_staff_home_and_sign_in_send_an_applicant_to_their_pages(network, applicant_client):
    assert applicant_client.get("/")["Location"] == "/apply/"
    assert applicant_client.get("/login/")["Location"] == "/"
    assert applicant_client.get("/apply/")["Location"] == "/apply/bookings/"


def test_a_staff_page_of_one_office_answers_an_applicant_404(network, applicant_client):
    assert applicant_client.get("/network/KANIM-A/").status_code == 404
    assert applicant_client.get(f"/staff/{network.officer_a.staff.pk}/").status_code == 404


def test_the_applicant_s_frame_has_their_own_menu_and_no_staff_entry(network, applicant_client, applicant_user):
    html = applicant_client.get("/apply/bookings/").content.decode()
    assert '<a href="/apply/bookings/" aria-current="page">My bookings</a>' in html
    assert '<a href="/apply/book/">Book</a>' in html
    assert "/network/" not in html and "/office/" not in html
    assert applicant_user.email in html  # shown as the signed-in name


def test_the_api_and_the_language_switch_stay_open_to_applicants(network, applicant_client, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    response = applicant_client.get("/api/v1/my/bookings/")
    assert response.status_code == 200 and response.json()["results"][0]["code"] == booking.code
    response = applicant_client.post("/i18n/setlang/", {"language": "id", "next": "/apply/bookings/"})
    assert response.status_code == 302 and response["Location"] == "/apply/bookings/"


@pytest.mark.parametrize("role", STAFF)
def test_staff_are_refused_the_applicants_pages(network, as_user, role):
    client = as_user(_staff(network, role))
    for path in APPLICANT_PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert 'id="staff-refused"' in response.content.decode()
    assert client.post("/apply/book/submit/", {"office": "KANIM-A"}).status_code == 403


@pytest.mark.parametrize("role", STAFF)
def test_staff_keep_their_own_pages(network, as_user, role):
    client = as_user(_staff(network, role))
    assert client.get("/").status_code == 200
    assert client.get("/network/").status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_applicants_sign_in(db, client):
    for path in ("/apply/book/", "/apply/bookings/", "/apply/bookings/ABC/"):
        response = client.get(path)
        assert response["Location"].startswith("/apply/sign-in/?next="), path
    assert client.get("/apply/").status_code == 200
