"""Role × endpoint × own office / other office, including ids guessed across offices.

"Own" is office A (where the officer and head A are posted); "other" is office B. Supervisors
and auditors are network-wide. Anything not in scope answers 404, exactly like a missing id.
"""

import pytest

from offices.choices import Role
from tests import builders

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
