"""Setting a clearance directive from the office page: validation beside the fields, the event written."""

from __future__ import annotations

import datetime as dt

from audit.models import Event
from bookings.models import ClearanceDirective
from tests.pages.office.html import field_errors, figures, form_alerts

FORM = "directive-form"


def post(client, code, **data):
    return client.post(f"/supervision/offices/{code}/directive/", data)


def test_a_directive_is_set_audited_and_shown(network, as_user):
    client = as_user(network.supervisor)
    response = post(client, "KANIM-B", within_days=14, note="Clear within two weeks",
                    extra_service_allowed="on")
    assert response.status_code == 302 and response["Location"] == "/supervision/offices/KANIM-B/"
    directive = ClearanceDirective.objects.get(office=network.kanim_b, superseded_at__isnull=True)
    assert directive.deadline == network.kanim_b.local_date() + dt.timedelta(days=14)
    assert directive.extra_service_allowed and directive.issued_by == network.supervisor.staff
    event = Event.objects.get(action="DIRECTIVE_SET", target_id="KANIM-B")
    assert event.details["deadline"] == directive.deadline.isoformat()
    assert event.details["note"] == "Clear within two weeks"
    html = client.get(response["Location"]).content.decode()
    shown = figures(html)
    assert shown["deadline"] == f"{directive.deadline.day} {directive.deadline:%B %Y}"
    assert "Directive set for KANIM-B" in html


def test_a_kanim_directive_may_cover_its_units(network, as_user):
    deadline = network.kanim_a.local_date() + dt.timedelta(days=10)
    response = post(as_user(network.supervisor), "KANIM-A", deadline=deadline.isoformat(),
                    include_units="on")
    assert response.status_code == 302
    directives = ClearanceDirective.objects.filter(superseded_at__isnull=True)
    assert {(d.office.code, d.deadline) for d in directives} == {("KANIM-A", deadline), ("ULP-A1", deadline)}
    assert set(Event.objects.filter(action="DIRECTIVE_SET").values_list("target_id", flat=True)) == \
        {"KANIM-A", "ULP-A1"}


def test_a_new_directive_replaces_the_one_in_force(network, as_user):
    client = as_user(network.supervisor)
    post(client, "KANIM-B", within_days=14)
    post(client, "KANIM-B", within_days=7)
    assert ClearanceDirective.objects.filter(office=network.kanim_b).count() == 2
    current = ClearanceDirective.objects.get(office=network.kanim_b, superseded_at__isnull=True)
    assert current.deadline == network.kanim_b.local_date() + dt.timedelta(days=7)
    html = client.get("/supervision/offices/KANIM-B/").content.decode()
    assert html.count("<tr>", html.index('id="directive-history"')) == 3  # header and two directives


def test_both_a_date_and_days_is_refused_beside_the_deadline(network, as_user):
    deadline = network.kanim_b.local_date() + dt.timedelta(days=10)
    response = post(as_user(network.supervisor), "KANIM-B", deadline=deadline.isoformat(), within_days=3)
    assert response.status_code == 400
    assert field_errors(response.content.decode(), FORM) == {
        "id_deadline": ["Give either a deadline date or a number of days, not both."]}
    assert not ClearanceDirective.objects.exists() and not Event.objects.filter(action="DIRECTIVE_SET").exists()


def test_neither_a_date_nor_days_is_refused(network, as_user):
    response = post(as_user(network.supervisor), "KANIM-B", note="no date")
    assert response.status_code == 400
    assert "id_deadline" in field_errors(response.content.decode(), FORM)


def test_a_past_deadline_is_refused_naming_the_office(network, as_user):
    yesterday = network.kanim_b.local_date() - dt.timedelta(days=1)
    response = post(as_user(network.supervisor), "KANIM-B", deadline=yesterday.isoformat())
    assert response.status_code == 400
    assert field_errors(response.content.decode(), FORM) == {
        "id_deadline": ["The deadline is already past at: KANIM-B."]}


def test_days_out_of_range_and_a_bad_date_are_refused_by_the_form(network, as_user):
    client = as_user(network.supervisor)
    errors = field_errors(post(client, "KANIM-B", within_days=0).content.decode(), FORM)
    assert errors == {"id_within_days": ["Ensure this value is greater than or equal to 1."]}
    errors = field_errors(post(client, "KANIM-B", deadline="31/12/2030").content.decode(), FORM)
    assert errors == {"id_deadline": ["Give a date as YYYY-MM-DD."]}
    errors = field_errors(post(client, "KANIM-B", within_days=3, note="x" * 2001).content.decode(), FORM)
    assert list(errors) == ["id_note"]
    assert not ClearanceDirective.objects.exists()


def test_a_refused_form_keeps_what_was_typed(network, as_user):
    response = post(as_user(network.supervisor), "KANIM-B", within_days=0, note="Keep this note")
    assert response.status_code == 400 and "Keep this note" in response.content.decode()
    assert form_alerts(response.content.decode(), FORM) == ""
