"""Who reaches the workbench: auditors, supervisors and administrators; nobody else, not even by URL."""

from __future__ import annotations

import pytest

from audit.detection.services import case_open
from offices.choices import Role

from .conftest import cluster_finding

READERS = [Role.AUDITOR, Role.SUPERVISOR, "superuser"]
OFFICE_ROLES = [Role.OFFICER, Role.OFFICE_HEAD]


def _user(network, role):
    return network.admin if role == "superuser" else network.user(role)


@pytest.fixture
def pages(network, planted):
    cluster = cluster_finding("cluster-acc-1", accounts=["acc-1", "acc-2", "acc-3"], office=network.kanim_a)
    case = case_open(actor=network.admin, title="Ring", findings=[planted.about_officer])
    nip = network.officer_a.staff.nip
    return ["/findings/", "/findings/?export=csv", f"/findings/{planted.about_officer.pk}/",
            f"/findings/{cluster.pk}/", f"/findings/officers/{nip}/", "/findings/clusters/cluster-acc-1/",
            "/findings/cases/", "/findings/cases/?export=csv", f"/findings/cases/{case.pk}/",
            f"/findings/cases/new/?finding={planted.about_officer.pk}", "/findings/allowlist/",
            "/findings/runs/"]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", READERS)
def test_auditors_supervisors_and_administrators_open_every_page(network, as_user, pages, role, language):
    client = as_user(_user(network, role))
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    for path in pages:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", OFFICE_ROLES)
def test_officers_and_office_heads_get_404_everywhere(network, as_user, pages, role):
    client = as_user(_user(network, role))
    for path in pages:
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("role", OFFICE_ROLES)
def test_officers_and_office_heads_have_no_workbench_in_their_menu(network, as_user, role):
    html = as_user(_user(network, role)).get("/").content.decode()
    assert "/findings/" not in html


def test_an_auditor_has_findings_and_cases_in_the_menu(network, as_user):
    html = as_user(network.auditor).get("/").content.decode()
    assert 'href="/findings/"' in html and 'href="/findings/cases/"' in html


def test_the_home_page_shows_auditors_the_riskiest_subjects_and_nobody_else(network, as_user, planted):
    html = as_user(network.auditor).get("/").content.decode()
    assert 'id="panel-riskiest"' in html and planted.about_account.subject_id in html
    assert network.auditor.staff.nip not in html.split('id="panel-riskiest"')[1]
    assert 'id="panel-riskiest"' not in as_user(network.head_a).get("/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, planted):
    response = client.get("/findings/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_finding_about_the_auditor_is_a_404_to_them(network, as_user, planted):
    client = as_user(network.auditor)
    assert client.get(f"/findings/{planted.about_auditor.pk}/").status_code == 404
    assert client.get(f"/findings/officers/{network.auditor.staff.nip}/").status_code == 404


def test_a_finding_about_the_auditor_is_left_out_of_their_inbox_and_export(network, as_user, planted):
    client = as_user(network.auditor)
    html = client.get("/findings/").content.decode()
    export = b"".join(client.get("/findings/?export=csv").streaming_content).decode()
    assert planted.about_auditor.summary not in html and planted.about_auditor.summary not in export
    assert planted.about_officer.summary in html and planted.about_officer.summary in export


def test_an_unknown_officer_or_cluster_is_a_404(network, as_user, planted):
    client = as_user(network.auditor)
    assert client.get("/findings/officers/199001012015011999/").status_code == 404
    assert client.get("/findings/clusters/cluster-nobody/").status_code == 404


def test_a_finding_the_auditor_may_not_see_cannot_be_picked_for_a_case(network, as_user, planted):
    client = as_user(network.auditor)
    assert client.get(f"/findings/cases/new/?finding={planted.about_auditor.pk}").status_code == 404
