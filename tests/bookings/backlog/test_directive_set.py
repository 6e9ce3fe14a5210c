import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from audit.models import Event
from bookings.models import ClearanceDirective
from bookings.services.backlog import directive_set
from offices.errors import NotAllowed


def test_a_supervisor_orders_many_offices_at_once(network):
    directives = directive_set(actor=network.supervisor, offices=[network.kanim_a, network.kanim_b],
                               within_days=14, note="Clear the backlog within two weeks",
                               extra_service_allowed=True)
    events = Event.objects.filter(action="DIRECTIVE_SET")
    assert len(directives) == 2 and {e.target_id for e in events} == {"KANIM-A", "KANIM-B"}
    assert all(d.issued_by == network.supervisor.staff and d.extra_service_allowed for d in directives)


def test_days_count_from_each_office_own_date(network):
    directives = {d.office.code: d for d in directive_set(
        actor=network.supervisor, offices=[network.kanim_a, network.kanim_b], within_days=14)}
    for office in (network.kanim_a, network.kanim_b):
        assert directives[office.code].deadline == office.local_date() + dt.timedelta(days=14)


def test_a_new_directive_supersedes_the_current_one(network):
    first = directive_set(actor=network.supervisor, offices=[network.kanim_a], within_days=14)[0]
    directive_set(actor=network.supervisor, offices=[network.kanim_a], within_days=7)
    first.refresh_from_db()
    current = ClearanceDirective.objects.filter(office=network.kanim_a, superseded_at__isnull=True)
    assert first.superseded_at is not None and current.count() == 1
    assert Event.objects.filter(action="DIRECTIVE_SET").last().details["previous_deadline"] == \
        first.deadline.isoformat()


def test_an_office_head_may_not_set_a_directive(network):
    with pytest.raises(NotAllowed):
        directive_set(actor=network.head_a, offices=[network.kanim_a], within_days=14)
    assert not ClearanceDirective.objects.exists()


def test_deadline_or_days_not_both(network):
    with pytest.raises(ValidationError) as exc:
        directive_set(actor=network.supervisor, offices=[network.kanim_a], within_days=14,
                      deadline=dt.date(2030, 1, 1))
    assert "deadline" in exc.value.message_dict


def test_a_past_deadline_is_refused_naming_the_office(network):
    with pytest.raises(ValidationError) as exc:
        directive_set(actor=network.supervisor, offices=[network.kanim_a],
                      deadline=network.kanim_a.local_date() - dt.timedelta(days=1))
    assert "KANIM-A" in exc.value.message_dict["deadline"][0]


def test_database_refuses_two_directives_in_force(network):
    directive = directive_set(actor=network.supervisor, offices=[network.kanim_a], within_days=14)[0]
    with pytest.raises(IntegrityError, match="directive_one_current_per_office"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookings_clearancedirective (office_id, deadline, note, extra_service_allowed,"
            " issued_at) SELECT office_id, deadline, note, extra_service_allowed, issued_at"
            " FROM bookings_clearancedirective WHERE id = %s", [directive.pk])
