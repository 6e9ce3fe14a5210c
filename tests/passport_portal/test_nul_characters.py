"""A NUL character in any input is refused with 400, never a 500 (PostgreSQL cannot compare text
holding one). Found by the API fuzz test: a walk-in naming its office with a NUL answered 500."""

from __future__ import annotations

import pytest

from tests.passport_portal.world import open_calendar

WALK_IN = {"office": "KANIM-A", "service": "NEW", "nik": "3174011705900001", "name": "Ani",
           "birth_date": "1990-05-17", "phone": "081234567890", "channel": "WALK_IN"}


@pytest.mark.parametrize("format", ["json", "multipart"])
def test_an_object_named_by_code_with_a_nul_is_an_invalid_field(network, api, settings, format):
    open_calendar(settings)
    response = api.as_user(network.officer_a).post("/api/v1/walk-ins/", WALK_IN | {"office": "KANIM\x00A"},
                                                   format=format)
    assert response.status_code == 400
    assert list(response.json()) == ["office"]


def test_every_write_naming_an_object_by_code_refuses_a_nul(network, api):
    client = api.as_user(network.admin)
    nul = "KANIM\x00A"
    for path, body in [
        ("/api/v1/offices/", {"code": "NEW-1", "name": "New", "type": "KANIM", "region": nul, "city": "X",
                              "timezone": "Asia/Jakarta", "daily_quota": 10}),
        ("/api/v1/assignments/", {"staff": nul, "office": "KANIM-A", "role": "OFFICER", "valid_from": "2030-01-01"}),
    ]:
        response = client.post(path, body, format="json")
        assert response.status_code == 400, (path, response.content)


@pytest.mark.parametrize("path", ["/api/v1/offices/KANIM%00A/", "/api/v1/bookings/AB%00CD/",
                                  "/api/v1/staff/1985%0001/", "/api/v1/offices/?parent=KANIM%00A",
                                  "/api/v1/audit/staff/1985%0001/timeline/", "/network/KANIM%00A/"])
def test_a_nul_in_the_address_answers_400(network, api, path):
    assert api.as_user(network.supervisor).get(path).status_code == 400
