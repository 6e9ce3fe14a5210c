"""Each write endpoint of the API leaves its audit event (the meta-test below keeps this complete).

One test per (method, path) of the OpenAPI schema; ``test_write_endpoints_leave_events``
in tests/audit/test_write_endpoint_registry.py fails when a write endpoint has none here.
"""


from django.db.models import Max

from audit.actions import Action
from audit.models import Event
from offices.choices import Role
from offices.models import Assignment
from tests import builders
from tests.bookings import builders as booking_builders
from tests.bookings.conftest import applicant_user, booking_calendar, day  # noqa: F401  (fixtures)


def last_event_id() -> int:
    return Event.objects.aggregate(last=Max("id"))["last"] or 0


def actions_since(last: int) -> set[str]:
    return set(Event.objects.filter(id__gt=last, source="app").values_list("action", flat=True))


def test_office_create_leaves_an_event(network, api):
    last = last_event_id()
    response = api.as_user(network.admin).post("/api/v1/offices/", {
        "code": "KANIM-N", "name": "Kanim N", "type": "KANIM", "region": "31", "city": "Bogor",
        "timezone": "Asia/Jakarta", "daily_quota": 80}, format="json")
    assert response.status_code == 201, response.content
    assert Action.OFFICE_CREATE in actions_since(last)


def test_office_update_leaves_an_event(network, api):
    last = last_event_id()
    response = api.as_user(network.head_a).patch(f"/api/v1/offices/{network.kanim_a.code}/",
                                                 {"daily_quota": 150}, format="json")
    assert response.status_code == 200
    assert Action.OFFICE_UPDATE in actions_since(last)


def test_staff_create_leaves_an_event(network, api):
    last = last_event_id()
    response = api.as_user(network.admin).post("/api/v1/staff/", {
        "nip": builders.nip_for(812), "name": "Petugas Baru"}, format="json")
    assert response.status_code == 201, response.content
    assert Action.STAFF_CREATE in actions_since(last)


def test_assignment_create_leaves_an_event(network, api):
    profile = builders.staff_profile(builders.nip_for(813))
    last = last_event_id()
    response = api.as_user(network.head_a).post("/api/v1/assignments/", {
        "staff": profile.nip, "office": network.kanim_a.code, "role": Role.OFFICER,
        "valid_from": "2026-01-01"}, format="json")
    assert response.status_code == 201, response.content
    assert Action.ASSIGNMENT_CREATE in actions_since(last)


def test_assignment_end_leaves_an_event(network, api):
    assignment = Assignment.objects.get(staff__user=network.officer_a)
    last = last_event_id()
    response = api.as_user(network.head_a).post(f"/api/v1/assignments/{assignment.pk}/end/",
                                                {"valid_until": "2030-01-01"}, format="json")
    assert response.status_code == 200, response.content
    assert Action.ASSIGNMENT_END in actions_since(last)


def test_token_issue_leaves_an_event(network, api):
    last = last_event_id()
    response = api.post("/api/v1/auth/token/", {"username": network.officer_a.username,
                                                "password": builders.PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    assert actions_since(last) & {Action.STAFF_LOGIN}


def test_account_register_leaves_an_event(db, api):
    last = last_event_id()
    response = api.post("/api/v1/accounts/register/", {
        "email": "rina@example.invalid", "phone": "081200001111", "password": builders.PASSWORD})
    assert response.status_code == 201, response.content
    assert Action.ACCOUNT_REGISTER in actions_since(last)


def booking_body(network, day, serial=1):  # noqa: F811
    return {"office": network.kanim_a.code, "date": day.isoformat(), "slot": "08:00",
            "service": "NEW", "nik": booking_builders.nik_for(serial), "name": f"Pemohon {serial}",
            "birth_date": "1990-05-17", "phone": "081234567890"}


def test_my_booking_create_leaves_an_event(network, api, applicant_user, day):  # noqa: F811
    last = last_event_id()
    response = api.as_user(applicant_user).post("/api/v1/my/bookings/", booking_body(network, day))
    assert response.status_code == 201, response.content
    assert Action.BOOK in actions_since(last)


def test_my_booking_cancel_leaves_an_event(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    last = last_event_id()
    response = api.as_user(applicant_user).post(f"/api/v1/my/bookings/{booking.code}/cancel/")
    assert response.status_code == 200, response.content
    assert Action.BOOKING_CANCEL in actions_since(last)


def test_my_booking_reschedule_leaves_an_event(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    last = last_event_id()
    response = api.as_user(applicant_user).post(f"/api/v1/my/bookings/{booking.code}/reschedule/",
                                                {"date": day.isoformat(), "slot": "10:30"})
    assert response.status_code == 200, response.content
    assert Action.BOOKING_RESCHEDULE in actions_since(last)


def test_staff_booking_cancel_leaves_an_event(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    last = last_event_id()
    response = api.as_user(network.officer_a).post(f"/api/v1/bookings/{booking.code}/cancel/",
                                                   {"reason": "duplicate"})
    assert response.status_code == 200, response.content
    assert Action.CANCEL in actions_since(last)


def test_staff_booking_reschedule_leaves_an_event(network, api, applicant_user, day):  # noqa: F811
    booking = booking_builders.booking(applicant_user, network.kanim_a, day)
    last = last_event_id()
    response = api.as_user(network.head_a).post(f"/api/v1/bookings/{booking.code}/reschedule/",
                                                {"date": day.isoformat(), "slot": "09:00",
                                                 "reason": "flood"})
    assert response.status_code == 200, response.content
    assert Action.RESCHEDULE in actions_since(last)


def test_capacity_change_leaves_an_event(network, api, day):  # noqa: F811
    last = last_event_id()
    response = api.as_user(network.head_a).post("/api/v1/capacity/", {
        "office": "KANIM-A", "date": day.isoformat(), "slot": "08:00", "capacity": 20,
        "reason": "extra desk"})
    assert response.status_code == 200, response.content
    assert Action.QUOTA_CHANGE in actions_since(last)


def test_day_closure_leaves_an_event(network, api, day):  # noqa: F811
    last = last_event_id()
    response = api.as_user(network.head_a).post("/api/v1/capacity/closures/", {
        "office": "KANIM-A", "date": day.isoformat(), "reason": "Nyepi"})
    assert response.status_code == 200, response.content
    assert "DAY_CLOSE" in actions_since(last)


def test_day_reopening_leaves_an_event(network, api, day):  # noqa: F811
    client = api.as_user(network.head_a)
    client.post("/api/v1/capacity/closures/", {"office": "KANIM-A", "date": day.isoformat(),
                                               "reason": "Nyepi"})
    last = last_event_id()
    response = client.delete("/api/v1/capacity/closures/", {"office": "KANIM-A", "date": day.isoformat()})
    assert response.status_code == 200, response.content
    assert "DAY_REOPEN" in actions_since(last)


def test_walk_in_leaves_an_event(network, api):
    last = last_event_id()
    response = api.as_user(network.officer_a).post("/api/v1/walk-ins/", {
        "office": "KANIM-A", "service": "NEW", "channel": "PRIORITY", "slot": "08:00",
        "nik": booking_builders.nik_for(77), "name": "Ibu Hamil", "birth_date": "1990-05-17",
        "phone": "081299990000"})
    assert response.status_code == 201, response.content
    assert Action.WALK_IN_INSERT in actions_since(last)




def open_case(api, network) -> int:
    from tests.audit.detection.findings import finding_about

    finding = finding_about(nip=network.officer_a.staff.nip, office=network.kanim_a)
    response = api.as_user(network.auditor).post("/api/v1/detection/cases/",
                                                 {"title": "Ring at Kanim A", "findings": [finding.pk]})
    assert response.status_code == 201, response.content
    return response.data["id"]


def test_case_assign_leaves_an_event(network, api):
    case = open_case(api, network)
    last = last_event_id()
    response = api.as_user(network.supervisor).post(f"/api/v1/detection/cases/{case}/assign/",
                                                    {"assignee": network.auditor.staff.nip})
    assert response.status_code == 200, response.content
    assert "CASE_ASSIGN" in actions_since(last)


def test_case_move_leaves_an_event(network, api):
    case = open_case(api, network)
    last = last_event_id()
    response = api.as_user(network.auditor).post(f"/api/v1/detection/cases/{case}/move/",
                                                 {"status": "INVESTIGATING"})
    assert response.status_code == 200, response.content
    assert "CASE_STATUS_CHANGE" in actions_since(last)


def test_case_note_leaves_an_event(network, api):
    case = open_case(api, network)
    last = last_event_id()
    response = api.as_user(network.auditor).post(f"/api/v1/detection/cases/{case}/notes/",
                                                 {"text": "Pulled the CCTV log."})
    assert response.status_code == 201, response.content
    assert "CASE_NOTE" in actions_since(last)


def test_detection_run_start_leaves_an_event(network, api):
    from tests.audit.detection.history import MONDAY, History

    history = History()
    history.booking(history.account(), MONDAY)
    history.load()
    last = last_event_id()
    response = api.as_user(network.auditor).post("/api/v1/detection/runs/", {"kind": "FULL"})
    assert response.status_code == 202, response.content
    assert "DETECTION_RUN_START" in actions_since(last)
