"""Withdrawing a clearance directive from the office page: a reason, the event written, the office
then under none; refusals shown on the form; who may not, refused as the access policy says."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from audit.models import Event
from bookings.models import ClearanceDirective
from bookings.services.backlog import directive_set
from tests.pages.conftest import sign_in
from tests.pages.office.html import field_errors, figures, form_alerts

FORM = "withdraw-form"


def post(client, code, directive, **data):
    return client.post(f"/supervision/offices/{code}/directive/withdraw/",
                       {"directive": directive.pk if directive else "", **data})


@pytest.fixture
def directive(network):
    return directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=14)[0]


def test_a_directive_is_withdrawn_audited_and_shown(network, as_user, directive):
    client = as_user(network.supervisor)
    assert f'id="{FORM}"' in client.get("/supervision/offices/KANIM-B/").content.decode()
    response = post(client, "KANIM-B", directive, reason="Backlog cleared early")
    assert response.status_code == 302 and response["Location"] == "/supervision/offices/KANIM-B/"
    directive.refresh_from_db()
    assert directive.withdrawn_by == network.supervisor.staff and not directive.in_force
    event = Event.objects.get(action="DIRECTIVE_WITHDRAW", target_id="KANIM-B")
    assert event.details == {"directive": directive.pk, "deadline": directive.deadline.isoformat(),
                             "issued_at": event.details["issued_at"], "reason": "Backlog cleared early"}
    assert event.request_id  # the request's metadata travels with the event
    html = client.get(response["Location"]).content.decode()
    assert "Directive withdrawn for KANIM-B" in html and 'id="no-directive"' in html
    assert f'id="{FORM}"' not in html and "deadline" not in figures(html)
    history = html[html.index('id="directive-history"'):]
    assert 'data-end="withdrawn"' in history and "Backlog cleared early" in history
    assert network.supervisor.staff.name in history


def test_a_reason_is_required_beside_its_field(network, as_user, directive):
    response = post(as_user(network.supervisor), "KANIM-B", directive, reason="  ")
    assert response.status_code == 400
    assert field_errors(response.content.decode(), FORM) == {"id_reason": ["Say why the directive is withdrawn."]}
    directive.refresh_from_db()
    assert directive.in_force and not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()


def test_a_form_sent_after_the_directive_was_replaced_is_refused_and_withdraws_nothing(network, as_user,
                                                                                       directive):
    new = directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=7)[0]
    response = post(as_user(network.supervisor), "KANIM-B", directive, reason="Cleared")
    assert response.status_code == 409
    assert "no longer in force" in form_alerts(response.content.decode(), FORM)
    new.refresh_from_db()
    assert new.in_force and not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()


def test_the_auditor_sees_no_withdraw_form_and_is_refused(network, as_user, directive):
    client = as_user(network.auditor)
    assert f'id="{FORM}"' not in client.get("/supervision/offices/KANIM-B/").content.decode()
    response = post(client, "KANIM-B", directive, reason="Cleared")
    assert response.status_code == 403
    assert "You may not do this at this office." in response.content.decode()
    directive.refresh_from_db()
    assert directive.in_force and not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()


@pytest.mark.parametrize("who", ["officer_a", "head_a", "officer_b", "head_b"])
def test_office_roles_get_404_and_withdraw_nothing(network, as_user, directive, who):
    assert post(as_user(getattr(network, who)), "KANIM-B", directive, reason="Cleared").status_code == 404
    directive.refresh_from_db()
    assert directive.in_force


def test_a_directive_of_another_office_or_none_is_404(network, as_user, directive):
    client = as_user(network.supervisor)
    assert post(client, "KANIM-A", directive, reason="Cleared").status_code == 404  # KANIM-B's directive
    assert post(client, "NOPE", directive, reason="Cleared").status_code == 404
    assert post(client, "KANIM-B", None, reason="Cleared").status_code == 400  # no directive named
    directive.refresh_from_db()
    assert directive.in_force


def test_the_form_carries_csrf_and_a_post_without_it_is_refused(network, directive):
    client = sign_in(Client(enforce_csrf_checks=True), network.supervisor)
    html = client.get("/supervision/offices/KANIM-B/").content.decode()
    form = re.search(rf'<form[^>]*id="{FORM}".*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form
    assert post(client, "KANIM-B", directive, reason="Cleared").status_code == 403
    directive.refresh_from_db()
    assert directive.in_force


def test_the_directives_page_no_longer_counts_a_withdrawn_directive(network, as_user, directive):
    client = as_user(network.supervisor)
    assert figures(client.get("/supervision/directives/").content.decode())["in_force"] == "1"
    post(client, "KANIM-B", directive, reason="Cleared")
    html = client.get("/supervision/directives/").content.decode()
    assert figures(html)["in_force"] == "0" and "No directive is in force." in html
    assert 'data-end="withdrawn"' in html[html.index('id="directive-history"'):]
    assert ClearanceDirective.objects.count() == 1
