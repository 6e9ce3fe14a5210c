from audit.models import Event
from offices.choices import Role
from offices.services import assignment_create, assignment_end
from tests import builders

from ..findings import finding_about

URL = "/api/v1/detection/cases/"


def _open(api, network):
    finding = finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a)
    return api.as_user(network.auditor).post(URL, {"title": "Ring at Kanim A", "findings": [finding.pk]})


def test_an_auditor_opens_a_case_from_findings(api, network):
    response = _open(api, network)
    assert response.status_code == 201
    assert response.data["status"] == "OPEN" and len(response.data["findings"]) == 1
    assert Event.objects.filter(action="CASE_OPEN", target_id=str(response.data["id"])).exists()


def test_a_case_cannot_be_opened_from_a_finding_the_auditor_cannot_see(api, network):
    finding = finding_about(nip=network.auditor.staff.nip, office=network.kanim_a)
    response = api.as_user(network.auditor).post(URL, {"title": "x", "findings": [finding.pk]})
    assert response.status_code == 404


def test_a_case_moves_and_takes_notes_through_the_api(api, network):
    case = _open(api, network).data["id"]
    client = api.as_user(network.auditor)
    assert client.post(f"{URL}{case}/move/", {"status": "INVESTIGATING"}).status_code == 200
    assert client.post(f"{URL}{case}/notes/", {"text": "Pulled the CCTV log."}).status_code == 201
    response = client.post(f"{URL}{case}/move/", {"status": "UNFOUNDED", "note": "Overtime was ordered."})
    assert response.data["status"] == "UNFOUNDED" and len(response.data["notes"]) == 2


def test_an_illegal_move_is_a_conflict(api, network):
    case = _open(api, network).data["id"]
    response = api.as_user(network.auditor).post(f"{URL}{case}/move/", {"status": "CLOSED"})
    assert response.status_code == 409


def test_an_officer_cannot_see_cases(api, network):
    case = _open(api, network).data["id"]
    assert api.as_user(network.officer_a).get(f"{URL}{case}/").status_code == 404
    assert api.as_user(network.officer_a).get(URL).data["count"] == 0


def test_the_officer_named_in_a_case_never_sees_it_even_as_an_auditor(api, network):
    case = _open(api, network).data["id"]
    # The officer later joins internal audit: still no case about themselves.
    officer = network.officer_a
    assignment = officer.staff.assignments.get()
    assignment_end(actor=builders.SYSTEM, assignment=assignment, valid_until=assignment.valid_from)
    assignment_create(actor=builders.SYSTEM, staff=officer.staff, office=network.kanim_b,
                      role=Role.AUDITOR, valid_from=assignment.valid_from.replace(year=2021))
    assert api.as_user(officer).get(f"{URL}{case}/").status_code == 404
