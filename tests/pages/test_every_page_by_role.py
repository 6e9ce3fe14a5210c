"""Every page of the frame opens for every role, in both languages: no role meets a broken page."""

from __future__ import annotations

import pytest

from offices.choices import Role

ROLES = [Role.OFFICER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.AUDITOR, "superuser"]
PAGES = ["/", "/network/", "/network/?sort=-daily_quota&page=1", "/network/provinces/", "/network/KANIM-A/",
         "/staff/", "/network/?export=csv", "/staff/?export=csv"]


def _user(network, role):
    return network.admin if role == "superuser" else network.user(role)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens(network, as_user, role, language):
    client = as_user(_user(network, role))
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path


@pytest.mark.parametrize("role", ROLES)
def test_staff_detail_of_a_colleague_at_kanim_a_opens(network, as_user, role):
    client = as_user(_user(network, role))
    assert client.get(f"/staff/{network.officer_a.staff.pk}/").status_code == 200
