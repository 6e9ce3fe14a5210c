"""Withdrawing a clearance directive: DIRECT at its office, a reason, once, recorded with the change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.models import Event
from bookings.errors import Conflict
from bookings.models import ClearanceDirective
from bookings.selectors_backlog import backlog_offices
from bookings.selectors_network import directives_in_force, network_offices
from bookings.services.backlog import directive_set, directive_withdraw
from offices.errors import NotAllowed

WHO = ["supervisor", "admin", "auditor", "head_a", "officer_a", "head_b", "officer_b"]
#: Who may withdraw at either office: DIRECT reaches the network; nobody else holds it.
MAY = {"supervisor", "admin"}


def _issue(network, office):
    return directive_set(actor=network.supervisor, offices=[office], within_days=14, note="Clear it")[0]


@pytest.mark.parametrize("office", ["kanim_a", "kanim_b"])
@pytest.mark.parametrize("who", WHO)
def test_only_those_who_direct_withdraw_at_any_office(network, who, office):
    directive = _issue(network, getattr(network, office))
    actor = getattr(network, who)
    if who in MAY:
        directive = directive_withdraw(actor=actor, directive=directive, reason="Backlog cleared early")
        assert directive.withdrawn_at is not None and not directive.in_force
        assert directive.withdrawn_by == getattr(actor, "staff", None)
        assert Event.objects.filter(action="DIRECTIVE_WITHDRAW").count() == 1
    else:
        with pytest.raises(NotAllowed):
            directive_withdraw(actor=actor, directive=directive, reason="Backlog cleared early")
        directive.refresh_from_db()
        assert directive.in_force and not Event.objects.filter(action="DIRECTIVE_WITHDRAW").exists()


def test_the_event_says_which_directive_and_why(network):
    directive = _issue(network, network.kanim_b)
    directive_withdraw(actor=network.supervisor, directive=directive, reason="  Office flooded  ")
    event = Event.objects.get(action="DIRECTIVE_WITHDRAW")
    assert (event.office_id, event.target_type, event.target_id) == (network.kanim_b.pk, "office", "KANIM-B")
    assert event.details["directive"] == directive.pk and event.details["reason"] == "Office flooded"
    assert event.details["deadline"] == directive.deadline.isoformat()
    assert event.actor_id == network.supervisor.staff.nip
    directive.refresh_from_db()
    assert directive.withdraw_reason == "Office flooded" and event.at == directive.withdrawn_at


@pytest.mark.django_db(transaction=True)  # the service's own transaction, not a test savepoint
def test_the_event_is_written_by_the_withdrawing_transaction(network):
    directive = _issue(network, network.kanim_a)
    directive_withdraw(actor=network.supervisor, directive=directive, reason="Cleared")
    event = Event.objects.get(action="DIRECTIVE_WITHDRAW")
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text::bigint FROM bookings_clearancedirective WHERE id = %s", [directive.pk])
        (row_xid,) = cursor.fetchone()
    assert event.txid % 2**32 == row_xid  # txid carries the epoch above the 32-bit xid


def test_a_failed_event_leaves_the_directive_in_force(network, monkeypatch):
    directive = _issue(network, network.kanim_a)

    def refuse(**kwargs):
        raise RuntimeError("trail unavailable")

    monkeypatch.setattr("bookings.services.backlog.event_record", refuse)
    with pytest.raises(RuntimeError):
        directive_withdraw(actor=network.supervisor, directive=directive, reason="Cleared")
    directive.refresh_from_db()
    assert directive.in_force and directive.withdraw_reason == ""


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reason_is_required_and_bounded(network, reason):
    directive = _issue(network, network.kanim_a)
    with pytest.raises(ValidationError) as exc:
        directive_withdraw(actor=network.supervisor, directive=directive, reason=reason)
    assert list(exc.value.message_dict) == ["reason"]
    directive.refresh_from_db()
    assert directive.in_force


def test_a_withdrawn_directive_cannot_be_withdrawn_again(network):
    directive = _issue(network, network.kanim_a)
    directive_withdraw(actor=network.supervisor, directive=directive, reason="Cleared")
    with pytest.raises(Conflict) as exc:
        directive_withdraw(actor=network.supervisor, directive=directive, reason="Again")
    assert exc.value.code == "directive_not_in_force"
    assert Event.objects.filter(action="DIRECTIVE_WITHDRAW").count() == 1


def test_a_superseded_directive_cannot_be_withdrawn(network):
    first = _issue(network, network.kanim_a)
    _issue(network, network.kanim_a)
    with pytest.raises(Conflict):
        directive_withdraw(actor=network.supervisor, directive=first, reason="Wrong one")
    first.refresh_from_db()
    assert first.withdrawn_at is None and first.superseded_at is not None
    assert ClearanceDirective.objects.in_force().filter(office=network.kanim_a).count() == 1


def test_a_stale_copy_of_a_superseded_directive_is_refused_by_the_update(network):
    stale = _issue(network, network.kanim_a)  # read before another supervisor issued a new one
    _issue(network, network.kanim_a)
    assert stale.superseded_at is None  # the copy in hand still looks in force
    with pytest.raises(Conflict):
        directive_withdraw(actor=network.supervisor, directive=stale, reason="Cleared")


def test_after_a_withdrawal_a_new_directive_is_in_force_and_the_withdrawn_stays_withdrawn(network):
    withdrawn = directive_withdraw(actor=network.supervisor, directive=_issue(network, network.kanim_a),
                                   reason="Cleared")
    new = _issue(network, network.kanim_a)
    withdrawn.refresh_from_db()
    assert withdrawn.superseded_at is None and withdrawn.withdrawn_at is not None
    assert list(ClearanceDirective.objects.in_force().filter(office=network.kanim_a)) == [new]
    assert Event.objects.filter(action="DIRECTIVE_SET").last().details["previous_deadline"] is None


def test_selectors_treat_a_withdrawn_directive_as_absent(network):
    directive = _issue(network, network.kanim_a)
    _issue(network, network.kanim_b)
    directive_withdraw(actor=network.supervisor, directive=directive, reason="Cleared")
    rows = {row.code: row for row in backlog_offices(network.supervisor)}
    assert rows["KANIM-A"].deadline is None and rows["KANIM-A"].directive_id is None
    assert rows["KANIM-B"].deadline is not None
    assert [row.code for row in directives_in_force(network_offices(network.supervisor))] == ["KANIM-B"]
    assert list(network_offices(network.supervisor).filter(deadline__isnull=False)
                .values_list("code", flat=True)) == ["KANIM-B"]


def test_database_lets_a_new_directive_stand_beside_a_withdrawn_one_but_not_two_in_force(network):
    directive = directive_withdraw(actor=network.supervisor, directive=_issue(network, network.kanim_a),
                                   reason="Cleared")
    copy = ("INSERT INTO bookings_clearancedirective (office_id, deadline, note, extra_service_allowed,"
            " issued_at, withdraw_reason) SELECT office_id, deadline, note, extra_service_allowed, issued_at, ''"
            " FROM bookings_clearancedirective WHERE id = %s")
    with connection.cursor() as cursor:
        cursor.execute(copy, [directive.pk])  # the withdrawn one is not in force: allowed
        with pytest.raises(IntegrityError, match="directive_one_current_per_office"), transaction.atomic():
            cursor.execute(copy, [directive.pk])


@pytest.mark.parametrize(("assignment", "constraint"), [
    ("superseded_at = withdrawn_at", "directive_ends_once"),
    ("withdrawn_at = issued_at - interval '1 day'", "directive_withdrawn_after_issue"),
    ("withdraw_reason = ''", "directive_withdrawal_has_reason"),
])
def test_database_refuses_an_inconsistent_withdrawal(network, assignment, constraint):
    directive = directive_withdraw(actor=network.supervisor, directive=_issue(network, network.kanim_a),
                                   reason="Cleared")
    with pytest.raises(IntegrityError, match=constraint), connection.cursor() as cursor:
        cursor.execute(f"UPDATE bookings_clearancedirective SET {assignment} WHERE id = %s",
                       [directive.pk])


def test_database_refuses_a_reason_without_a_withdrawal(network):
    directive = _issue(network, network.kanim_a)
    with pytest.raises(IntegrityError, match="directive_withdrawal_has_reason"), connection.cursor() as cursor:
        cursor.execute("UPDATE bookings_clearancedirective SET withdraw_reason = 'x' WHERE id = %s",
                       [directive.pk])
