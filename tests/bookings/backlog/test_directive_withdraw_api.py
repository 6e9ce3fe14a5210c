"""POST /api/v1/backlog/directives/{id}/withdraw/: supervisors withdraw, with a reason, once."""

from __future__ import annotations

import pytest

from audit.models import Event
from bookings.services.backlog import directive_set


def url(directive) -> str:
    return f"/api/v1/backlog/directives/{directive.pk}/withdraw/"


@pytest.fixture
def directive(network):
    return directive_set(actor=network.supervisor, offices=[network.kanim_a], within_days=14)[0]


def test_directive_withdraw_leaves_an_event(network, api, directive):
    response = api.as_user(network.supervisor).post(url(directive), {"reason": "Backlog cleared"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["in_force"] is False and body["withdraw_reason"] == "Backlog cleared"
    assert body["withdrawn_by"] == network.supervisor.staff.nip and body["withdrawn_at"]
    event = Event.objects.get(action="DIRECTIVE_WITHDRAW")
    assert event.target_id == "KANIM-A" and event.details["directive"] == directive.pk


def test_a_withdrawn_directive_is_listed_as_not_in_force(network, api, directive):
    client = api.as_user(network.supervisor)
    client.post(url(directive), {"reason": "Backlog cleared"}, format="json")
    directive_set(actor=network.supervisor, offices=[network.kanim_b], within_days=14)
    in_force = client.get("/api/v1/backlog/directives/", {"in_force": "true"}).json()["results"]
    assert [d["office"] for d in in_force] == ["KANIM-B"]
    ended = client.get("/api/v1/backlog/directives/", {"in_force": "false"}).json()["results"]
    assert [(d["office"], d["withdraw_reason"]) for d in ended] == [("KANIM-A", "Backlog cleared")]
    backlog = client.get("/api/v1/backlog/", {"has_directive": "true"}).json()["results"]
    assert [row["code"] for row in backlog] == ["KANIM-B"]


def test_a_reason_is_required(network, api, directive):
    response = api.as_user(network.supervisor).post(url(directive), {"reason": " "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()


def test_withdrawing_twice_is_a_conflict(network, api, directive):
    client = api.as_user(network.supervisor)
    assert client.post(url(directive), {"reason": "Cleared"}, format="json").status_code == 200
    response = client.post(url(directive), {"reason": "Again"}, format="json")
    assert response.status_code == 409 and "directive_not_in_force" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("head_a", 403), ("officer_a", 403), ("auditor", 403),
                                             ("head_b", 404), ("officer_b", 404)])
def test_who_may_not_withdraw_is_refused_and_out_of_scope_is_404(network, api, directive, who, status):
    response = api.as_user(getattr(network, who)).post(url(directive), {"reason": "Cleared"}, format="json")
    assert response.status_code == status
    directive.refresh_from_db()
    assert directive.in_force and not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()
