"""Who opens the supervisors' pages: supervisors (DIRECT) and, read-only, auditors; nobody else."""

from __future__ import annotations

import pytest

from bookings.models import ClearanceDirective
from offices.choices import Role

READ_PAGES = ["/supervision/", "/supervision/offices/", "/supervision/offices/?export=csv",
              "/supervision/offices/KANIM-A/", "/supervision/offices/ULP-A1/", "/supervision/provinces/31/",
              "/supervision/directives/"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.OFFICE_HEAD])
def test_office_roles_get_404_everywhere(network, as_user, role):
    client = as_user(network.user(role))
    for path in READ_PAGES:
        assert client.get(path).status_code == 404, path
    response = client.post("/supervision/offices/KANIM-A/directive/", {"within_days": 14})
    assert response.status_code == 404
    assert not ClearanceDirective.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR, "superuser"])
def test_network_roles_read_every_page(network, as_user, role):
    client = as_user(network.admin if role == "superuser" else network.user(role))
    for path in READ_PAGES:
        assert client.get(path).status_code == 200, path


def test_an_office_or_province_that_does_not_exist_is_404(network, as_user):
    client = as_user(network.supervisor)
    assert client.get("/supervision/offices/NOPE/").status_code == 404
    assert client.get("/supervision/provinces/99/").status_code == 404


def test_the_supervisor_has_the_menu_entry_and_the_home_panel(network, as_user):
    html = as_user(network.supervisor).get("/").content.decode()
    assert 'href="/supervision/"' in html and 'id="panel-directives"' in html


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.OFFICE_HEAD, Role.OFFICER])
def test_others_have_neither(network, as_user, role):
    html = as_user(network.user(role)).get("/").content.decode()
    assert 'href="/supervision/"' not in html and 'id="panel-directives"' not in html


def test_the_auditor_reads_without_the_directive_form(network, as_user):
    html = as_user(network.auditor).get("/supervision/offices/KANIM-A/").content.decode()
    assert 'id="directive-form"' not in html and 'data-figure="flagged_share"' in html


def test_the_auditor_may_not_set_a_directive(network, as_user):
    response = as_user(network.auditor).post("/supervision/offices/KANIM-A/directive/", {"within_days": 14})
    assert response.status_code == 403
    assert "You may not do this at this office." in response.content.decode()
    assert not ClearanceDirective.objects.exists()


def test_the_supervisor_sees_the_directive_form(network, as_user):
    html = as_user(network.supervisor).get("/supervision/offices/KANIM-A/").content.decode()
    assert 'id="directive-form"' in html and 'name="include_units"' in html  # KANIM-A has a unit
    html = as_user(network.supervisor).get("/supervision/offices/KANIM-B/").content.decode()
    assert 'id="directive-form"' in html and 'name="include_units"' not in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_opens_in_both_languages(network, as_user, language):
    client = as_user(network.supervisor)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    for path in READ_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        if not response.streaming:
            assert f'<html lang="{language}">' in response.content.decode()
