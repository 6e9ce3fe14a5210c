"""Cases worked through the pages: every step through the services, each leaving its audit event;
the services' refusals (conflict of interest, a conclusion without a note) shown on the page."""

from __future__ import annotations

from audit.detection.models import Case, CaseNote
from audit.detection.services import case_open
from audit.models import Event
from tests.audit.detection.findings import finding_about


def _events(case: Case) -> list[tuple[str, str]]:
    return list(Event.objects.filter(target_type="case", target_id=str(case.pk)).order_by("id")
                .values_list("action", "actor_id"))


def test_a_case_goes_from_picked_findings_to_closed_through_the_pages(network, as_user):
    nip = network.officer_a.staff.nip
    first = finding_about(nip=nip, office=network.kanim_a, detector="queue_jumping")
    second = finding_about(nip=nip, office=network.kanim_a, detector="four_eyes_and_skips")
    client = as_user(network.auditor)
    me, supervisor = network.auditor.staff, network.supervisor.staff

    picked = client.get("/findings/cases/new/", {"finding": [first.pk, second.pk]})
    assert picked.status_code == 200 and first.summary in picked.content.decode()
    response = client.post("/findings/cases/new/", {"title": "Officer A skips the queue",
                                                    "finding": [first.pk, second.pk]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/findings/cases/{case.pk}/"
    assert set(case.findings.all()) == {first, second} and case.staff_nips == [nip]

    assert client.post(f"/findings/cases/{case.pk}/assign/", {"assignee": supervisor.pk}).status_code == 302
    assert client.post(f"/findings/cases/{case.pk}/move/", {"status": "INVESTIGATING"}).status_code == 302
    assert client.post(f"/findings/cases/{case.pk}/notes/", {"text": "Pulled the CCTV log."}).status_code == 302
    assert client.post(f"/findings/cases/{case.pk}/move/",
                       {"status": "SUBSTANTIATED", "note": "The log shows the fee."}).status_code == 302
    assert client.post(f"/findings/cases/{case.pk}/move/", {"status": "CLOSED"}).status_code == 302

    case.refresh_from_db()
    assert (case.status, case.outcome, case.assignee) == ("CLOSED", "SUBSTANTIATED", supervisor)
    assert list(case.notes.values_list("text", flat=True)) == ["Pulled the CCTV log.", "The log shows the fee."]
    assert _events(case) == [("CASE_OPEN", me.nip), ("CASE_ASSIGN", me.nip), ("CASE_STATUS_CHANGE", me.nip),
                             ("CASE_NOTE", me.nip), ("CASE_STATUS_CHANGE", me.nip),
                             ("CASE_STATUS_CHANGE", me.nip)]
    page = client.get(f"/findings/cases/{case.pk}/").content.decode()
    assert "Pulled the CCTV log." in page and 'id="move-form"' not in page and "CASE_NOTE" in page


def test_an_auditor_cannot_open_a_case_about_the_office_they_are_posted_at(network, as_user):
    at_own_office = finding_about(office=network.kanim_b)  # the auditor is posted at Kanim B
    response = as_user(network.auditor).post("/findings/cases/new/", {"title": "Kanim B",
                                                                      "finding": [at_own_office.pk]})
    assert response.status_code == 403
    assert "Nobody works a case about an office they are posted at." in response.content.decode()
    assert not Case.objects.exists() and not Event.objects.filter(action="CASE_OPEN").exists()


def test_an_auditor_posted_at_the_case_office_sees_the_refusal_when_adding_a_note(network, as_user):
    case = case_open(actor=network.admin, title="Kanim B", findings=[finding_about(office=network.kanim_b)])
    response = as_user(network.auditor).post(f"/findings/cases/{case.pk}/notes/", {"text": "Mine."})
    assert response.status_code == 403
    assert "Nobody works a case about an office they are posted at." in response.content.decode()
    assert not CaseNote.objects.exists() and not Event.objects.filter(action="CASE_NOTE").exists()


def test_a_conclusion_without_a_note_is_refused_beside_the_note_field(network, as_user):
    case = case_open(actor=network.admin, title="Bot", findings=[finding_about(office=network.kanim_a)])
    client = as_user(network.auditor)
    client.post(f"/findings/cases/{case.pk}/move/", {"status": "INVESTIGATING"})
    response = client.post(f"/findings/cases/{case.pk}/move/", {"status": "UNFOUNDED", "note": " "})
    assert response.status_code == 400
    assert response.context["move_form"].errors["note"] == ["Say what the conclusion rests on."]
    case.refresh_from_db()
    assert case.status == "INVESTIGATING"


def test_a_move_off_the_path_is_named_on_the_status_field(network, as_user):
    case = case_open(actor=network.admin, title="Bot", findings=[finding_about(office=network.kanim_a)])
    response = as_user(network.auditor).post(f"/findings/cases/{case.pk}/move/", {"status": "CLOSED"})
    assert response.status_code == 400 and "status" in response.context["move_form"].errors
    assert not Event.objects.filter(action="CASE_STATUS_CHANGE").exists()


def test_the_officer_named_cannot_be_chosen_as_assignee(network, as_user):
    nip = network.officer_a.staff.nip
    case = case_open(actor=network.admin, title="x", findings=[finding_about(nip=nip, office=network.kanim_a)])
    client = as_user(network.auditor)
    choices = dict(client.get(f"/findings/cases/{case.pk}/").context["assign_form"].fields["assignee"].choices)
    assert network.supervisor.staff.pk in choices and network.officer_a.staff.pk not in choices
    response = client.post(f"/findings/cases/{case.pk}/assign/", {"assignee": network.officer_a.staff.pk})
    assert response.status_code == 400 and "assignee" in response.context["assign_form"].errors


def test_opening_a_case_needs_a_title(network, as_user):
    finding = finding_about(office=network.kanim_a)
    response = as_user(network.auditor).post("/findings/cases/new/", {"title": "", "finding": [finding.pk]})
    assert response.status_code == 400 and "title" in response.context["form"].errors
    assert not Case.objects.exists()


def test_the_case_list_shows_cases_with_their_finding_counts(network, as_user, django_assert_max_num_queries):
    for index in range(5):
        findings = [finding_about(office=network.kanim_a) for _ in range(index + 1)]
        case_open(actor=network.admin, title=f"Case {index}", findings=findings)
    client = as_user(network.auditor)
    with django_assert_max_num_queries(12):
        response = client.get("/findings/cases/")
    counts = {row.record.title: row.record.finding_count for row in response.context["table"].page.object_list}
    assert counts == {f"Case {index}": index + 1 for index in range(5)}


def test_a_case_page_costs_a_fixed_number_of_queries(network, as_user, django_assert_max_num_queries):
    findings = [finding_about(office=network.kanim_a) for _ in range(20)]
    case = case_open(actor=network.admin, title="Many", findings=findings)
    client = as_user(network.auditor)
    for index in range(10):
        client.post(f"/findings/cases/{case.pk}/notes/", {"text": f"Note {index}"})
    with django_assert_max_num_queries(20):
        assert client.get(f"/findings/cases/{case.pk}/").status_code == 200
