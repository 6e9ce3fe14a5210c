"""Role × endpoint × own office / other office, including ids guessed across offices.

"Own" is office A (where the officer and head A are posted); "other" is office B. Supervisors
and auditors are network-wide. Anything not in scope answers 404, exactly like a missing id.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from offices.access import Passage, applicant_account_of, is_applicant, passage
from offices.choices import Role
from tests import builders
from tests.bookings import builders as bookings_builders
from tests.pages.conftest import sign_in

OFFICER, HEAD, SUPERVISOR, AUDITOR = Role.OFFICER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.AUDITOR


def _office(network, own):
    return network.kanim_a if own else network.kanim_b


@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        (OFFICER, True, 200), (OFFICER, False, 404),
        (HEAD, True, 200), (HEAD, False, 404),
        (SUPERVISOR, True, 200), (SUPERVISOR, False, 200),
        (AUDITOR, True, 200), (AUDITOR, False, 200),
    ],
)
def test_office_detail(network, api, role, own, expected):
    office = _office(network, own)
    response = api.as_user(network.user(role)).get(f"/api/v1/offices/{office.code}/")
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        (OFFICER, True, 403), (OFFICER, False, 404),
        (HEAD, True, 200), (HEAD, False, 404),
        (SUPERVISOR, True, 403), (AUDITOR, True, 403),
    ],
)
def test_office_quota_change(network, api, role, own, expected):
    office = _office(network, own)
    response = api.as_user(network.user(role)).patch(
        f"/api/v1/offices/{office.code}/", {"daily_quota": 150}, format="json")
    assert response.status_code == expected
    office.refresh_from_db()
    assert (office.daily_quota == 150) == (expected == 200)


def test_office_head_reaches_units_of_own_kanim(network, api):
    response = api.as_user(network.head_a).get(f"/api/v1/offices/{network.unit_a.code}/")
    assert response.status_code == 200


def test_officer_does_not_reach_units_of_own_kanim(network, api):
    response = api.as_user(network.officer_a).get(f"/api/v1/offices/{network.unit_a.code}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "expected_codes"),
    [
        (OFFICER, {"KANIM-A"}),
        (HEAD, {"KANIM-A", "ULP-A1"}),
        (SUPERVISOR, {"KANIM-A", "ULP-A1", "KANIM-B"}),
        (AUDITOR, {"KANIM-A", "ULP-A1", "KANIM-B"}),
    ],
)
def test_office_list_is_scoped(network, api, role, expected_codes):
    response = api.as_user(network.user(role)).get("/api/v1/offices/")
    assert {o["code"] for o in response.json()["results"]} == expected_codes


@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        (OFFICER, True, 200), (OFFICER, False, 404),
        (HEAD, True, 200), (HEAD, False, 404),
        (SUPERVISOR, False, 200), (AUDITOR, False, 200),
    ],
)
def test_staff_detail(network, api, role, own, expected):
    colleague = network.officer_a if own else network.officer_b
    response = api.as_user(network.user(role)).get(f"/api/v1/staff/{colleague.staff.nip}/")
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        (OFFICER, True, 403), (OFFICER, False, 404),
        (HEAD, True, 201), (HEAD, False, 404),
        (SUPERVISOR, True, 403), (AUDITOR, True, 403),
    ],
)
def test_posting_an_officer(network, api, role, own, expected):
    newcomer = builders.staff_profile(builders.nip_for(777))
    office = _office(network, own)
    response = api.as_user(network.user(role)).post("/api/v1/assignments/", {
        "staff": newcomer.nip, "office": office.code, "role": "OFFICER", "valid_from": "2025-01-01",
    }, format="json")
    assert response.status_code == expected
    assert newcomer.assignments.exists() == (expected == 201)


@pytest.mark.parametrize("path", ["/api/v1/offices/", "/api/v1/staff/", "/api/v1/assignments/", "/api/v1/me/"])
def test_anonymous_is_refused(network, api, path):
    assert api.get(path).status_code in (401, 403)


def test_ended_posting_gives_no_access(network, api):
    import datetime as dt

    from offices.services import assignment_end

    assignment = network.officer_a.staff.assignments.get()
    assignment_end(actor=builders.SYSTEM, assignment=assignment, valid_until=dt.date(2021, 1, 1))
    response = api.as_user(network.officer_a).get(f"/api/v1/offices/{network.kanim_a.code}/")
    assert response.status_code == 404


# --- applicants and staff --------------------------------------------------------------------
# An applicant (an account with no staff profile) never reaches a staff area; each area still
# opens to a member of staff who uses it; staff and administrators are refused the applicants'
# pages. The rule is offices.access.passage; the boundary middleware only applies it.

APPLICANT, SUPERUSER = "applicant", "superuser"
#: (area, a page of it, a role that uses it)
STAFF_AREAS = [
    ("network", "/network/", OFFICER),
    ("staff", "/staff/", HEAD),
    ("office board", "/office/KANIM-A/", OFFICER),
    ("office capacity", "/office/KANIM-A/capacity/", HEAD),
    ("supervision", "/supervision/", SUPERVISOR),
    ("audit trail", "/audit/", AUDITOR),
    ("findings", "/findings/", AUDITOR),
]


def _person(network, who):
    if who == APPLICANT:
        return bookings_builders.account_user()
    return network.admin if who == SUPERUSER else network.user(who)


@pytest.mark.parametrize(
    ("path", "who", "expected"),
    [case for _, path, role in STAFF_AREAS for case in ((path, APPLICANT, 404), (path, role, 200))],
    ids=[f"{area}-{who}" for area, _, role in STAFF_AREAS for who in (APPLICANT, role)],
)
def test_a_staff_area_is_hidden_from_an_applicant_and_open_to_its_staff(network, client, path, who, expected):
    response = sign_in(client, _person(network, who)).get(path)
    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), [
    (APPLICANT, 200), (OFFICER, 403), (HEAD, 403), (SUPERVISOR, 403), (AUDITOR, 403), (SUPERUSER, 403),
])
def test_the_applicants_pages_are_open_to_an_applicant_and_refused_to_staff(network, client, who, expected):
    client = sign_in(client, _person(network, who))
    for path in ("/apply/bookings/", "/apply/book/"):
        assert client.get(path).status_code == expected, path


@pytest.mark.parametrize(("who", "expected"), [(APPLICANT, 302), (OFFICER, 200), (SUPERUSER, 200)])
def test_the_staff_home_sends_an_applicant_to_their_pages(network, client, who, expected):
    response = sign_in(client, _person(network, who)).get("/")
    assert response.status_code == expected
    assert response.get("Location") == ("/apply/" if who == APPLICANT else None)


@pytest.mark.parametrize(
    ("who", "namespace", "url_name", "path", "expected"),
    [
        (APPLICANT, "applicant", "bookings", "/apply/bookings/", Passage.OPEN),
        (APPLICANT, "", "home", "/", Passage.APPLICANT_HOME),
        (APPLICANT, "", "office-list", "/network/", Passage.HIDDEN),
        (APPLICANT, "audit", "event-search", "/audit/", Passage.HIDDEN),
        (APPLICANT, "", None, "/unnamed/", Passage.HIDDEN),
        (APPLICANT, "", "logout", "/logout/", Passage.OPEN),
        (APPLICANT, "", "set_language", "/i18n/setlang/", Passage.OPEN),
        (APPLICANT, "", "my-bookings-list", "/api/v1/my/bookings/", Passage.OPEN),
        (OFFICER, "applicant", "bookings", "/apply/bookings/", Passage.REFUSED),
        (SUPERUSER, "applicant", "start", "/apply/", Passage.REFUSED),
        (OFFICER, "", "office-list", "/network/", Passage.OPEN),
        (AUDITOR, "audit", "event-search", "/audit/", Passage.OPEN),
        (None, "applicant", "start", "/apply/", Passage.OPEN),
        (None, "", "office-list", "/network/", Passage.OPEN),
    ],
)
def test_the_policy_draws_the_line_between_applicants_and_staff(network, who, namespace, url_name, path,
                                                                 expected):
    user = AnonymousUser() if who is None else _person(network, who)
    assert passage(user, path=path, namespace=namespace, url_name=url_name) is expected


def test_who_is_an_applicant(network):
    applicant = bookings_builders.account_user()
    assert is_applicant(applicant) and applicant_account_of(applicant) == applicant.applicant_account
    for person in (network.officer_a, network.supervisor, network.admin, AnonymousUser()):
        assert not is_applicant(person) and applicant_account_of(person) is None
    applicant.is_active = False
    assert not is_applicant(applicant)
