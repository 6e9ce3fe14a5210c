import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from audit.detection.choices import CaseStatus
from audit.detection.services import case_add_note, case_assign, case_move, case_open
from audit.models import Event
from offices.choices import Role
from offices.errors import Conflict, NotAllowed
from tests import builders

from ..findings import finding_about


@pytest.fixture
def case(network):
    finding = finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a)
    return case_open(actor=network.auditor, title="Officer A and a ring", findings=[finding])


def test_opening_a_case_takes_the_officers_and_offices_of_its_findings(network, case):
    assert case.status == CaseStatus.OPEN
    assert case.staff_nips == [network.officer_a.staff.nip]
    assert case.office_ids == [network.kanim_a.pk]
    event = Event.objects.get(action="CASE_OPEN", target_id=str(case.pk))
    assert event.actor_id == network.auditor.staff.nip


def test_an_officer_cannot_open_a_case(network):
    finding = finding_about(office=network.kanim_a)
    with pytest.raises(NotAllowed):
        case_open(actor=network.officer_a, title="x", findings=[finding])


def test_nobody_opens_a_case_from_a_finding_about_themselves(network):
    finding = finding_about(nip=network.auditor.staff.nip, office=network.kanim_a)
    with pytest.raises(ValidationError) as error:
        case_open(actor=network.auditor, title="Myself", findings=[finding])
    assert "findings" in error.value.message_dict


def test_nobody_opens_a_case_about_the_office_they_are_posted_at(network):
    finding = finding_about(nip=network.officer_b.staff.nip, office=network.kanim_b)
    with pytest.raises(NotAllowed) as error:
        case_open(actor=network.auditor, title="My office", findings=[finding])
    assert error.value.code == "conflict_of_interest"


def test_a_case_moves_along_its_path_to_closed_with_every_move_audited(network, case):
    case = case_move(actor=network.auditor, case=case, to=CaseStatus.INVESTIGATING)
    case = case_move(actor=network.auditor, case=case, to=CaseStatus.SUBSTANTIATED,
                     note="Officer approved 40 of the ring's 42 bookings.")
    case = case_move(actor=network.auditor, case=case, to=CaseStatus.CLOSED)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseStatus.SUBSTANTIATED)
    moves = Event.objects.filter(action="CASE_STATUS_CHANGE", target_id=str(case.pk)).order_by("id")
    assert [e.details["to"] for e in moves] == ["INVESTIGATING", "SUBSTANTIATED", "CLOSED"]
    assert case.notes.count() == 1


def test_a_case_cannot_jump_from_open_to_closed(network, case):
    with pytest.raises(Conflict):
        case_move(actor=network.auditor, case=case, to=CaseStatus.CLOSED)


def test_a_conclusion_needs_a_note(network, case):
    case = case_move(actor=network.auditor, case=case, to=CaseStatus.INVESTIGATING)
    with pytest.raises(ValidationError) as error:
        case_move(actor=network.auditor, case=case, to=CaseStatus.UNFOUNDED)
    assert "note" in error.value.message_dict


def test_the_database_refuses_a_case_jumping_its_path(network, case):
    with pytest.raises(IntegrityError, match="cannot move"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE detection_case SET status = 'CLOSED' WHERE id = %s", [case.pk])


def test_the_database_refuses_changing_a_note(network, case):
    note = case_add_note(actor=network.auditor, case=case, text="Called the office head.")
    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE detection_casenote SET text = 'nothing' WHERE id = %s", [note.pk])


def test_a_case_is_assigned_to_an_auditor_free_of_interest(network, case):
    other = builders.staff_user(Role.AUDITOR, network.kanim_b)
    case = case_assign(actor=network.auditor, case=case, assignee=other.staff)
    assert case.assignee == other.staff
    assert Event.objects.filter(action="CASE_ASSIGN", target_id=str(case.pk)).exists()


def test_a_case_is_not_assigned_to_an_auditor_posted_at_its_office(network, case):
    insider = builders.staff_user(Role.AUDITOR, network.kanim_a)
    with pytest.raises(ValidationError) as error:
        case_assign(actor=network.auditor, case=case, assignee=insider.staff)
    assert "assignee" in error.value.message_dict


def test_a_case_is_not_assigned_to_someone_who_does_not_audit(network, case):
    with pytest.raises(ValidationError):
        case_assign(actor=network.auditor, case=case, assignee=network.head_b.staff)


def test_an_auditor_posted_at_the_office_cannot_work_the_case(network, case):
    insider = builders.staff_user(Role.AUDITOR, network.kanim_a)
    with pytest.raises(NotAllowed):
        case_add_note(actor=insider, case=case, text="Let me look.")
