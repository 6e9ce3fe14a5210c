"""Staff endpoints: lists and queues within scope, personal data opening recorded, walk-ins."""

import datetime as dt

from audit.models import Event
from tests.bookings import builders

URL = "/api/v1/bookings/"


def test_officer_lists_own_office_bookings_with_niks_masked(network, api, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day, serial=11)
    response = api.as_user(network.officer_a).get(URL, {"office": "KANIM-A"})
    assert response.data["count"] == 1 and response.data["results"][0]["nik"] == "317401******0011"


def test_officer_of_another_office_sees_none_of_its_bookings(network, api, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    assert api.as_user(network.officer_b).get(URL, {"office": "KANIM-A"}).data["count"] == 0
    assert api.as_user(network.officer_b).get(f"{URL}{booking.code}/").status_code == 404


def test_filters_by_dates_status_channel_and_service(network, api, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day, serial=1, service="RENEWAL")
    builders.booking(applicant_user, network.kanim_a, day + dt.timedelta(days=1), serial=2)
    client = api.as_user(network.head_a)
    assert client.get(URL, {"date_from": (day + dt.timedelta(days=1)).isoformat()}).data["count"] == 1
    assert client.get(URL, {"date_to": day.isoformat(), "service": "RENEWAL"}).data["count"] == 1
    assert client.get(URL, {"status": "CANCELLED"}).data["count"] == 0
    assert client.get(URL, {"channel": "ONLINE"}).data["count"] == 2


def test_opening_a_booking_shows_the_nik_and_records_it(network, api, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day, serial=12)
    response = api.as_user(network.officer_a).get(f"{URL}{booking.code}/")
    event = Event.objects.get(action="VIEW_APPLICANT")
    assert response.data["nik"] == booking.nik
    assert event.actor_id == network.officer_a.staff.nip and event.target_id == booking.ref


def test_supervisor_sees_every_office(network, api, applicant_user, day):
    builders.booking(applicant_user, network.kanim_a, day)
    assert api.as_user(network.supervisor).get(URL).data["count"] == 1


def test_staff_cancel_with_reason(network, api, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    response = api.as_user(network.officer_a).post(f"{URL}{booking.code}/cancel/", {"reason": "duplicate"})
    assert response.status_code == 200 and response.data["status"] == "CANCELLED"


def test_staff_cancel_needs_a_reason(network, api, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    assert api.as_user(network.officer_a).post(f"{URL}{booking.code}/cancel/", {}).status_code == 400


def test_auditor_may_read_but_not_cancel(network, api, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    response = api.as_user(network.auditor).post(f"{URL}{booking.code}/cancel/", {"reason": "x"})
    assert response.status_code == 403


def test_staff_reschedule(network, api, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    response = api.as_user(network.head_a).post(f"{URL}{booking.code}/reschedule/",
                                                {"date": day.isoformat(), "slot": "09:00", "reason": "flood"})
    assert response.status_code == 200 and response.data["slot"] == "09:00"


def test_queue_of_another_office_is_404(network, api):
    response = api.as_user(network.officer_b).get("/api/v1/queue/", {"office": "KANIM-A"})
    assert response.status_code == 404


def test_queue_of_own_office_answers(network, api):
    response = api.as_user(network.officer_a).get("/api/v1/queue/", {"office": "KANIM-A"})
    assert response.status_code == 200 and response.data == []


def test_walk_in_through_the_api(network, api):
    body = {"office": "KANIM-A", "service": "NEW", "channel": "PRIORITY", "slot": "08:00",
            "nik": builders.nik_for(77), "name": "Ibu Hamil", "birth_date": "1990-05-17",
            "phone": "081299990000"}
    response = api.as_user(network.officer_a).post("/api/v1/walk-ins/", body)
    assert response.status_code == 201 and response.data["channel"] == "PRIORITY"


def test_walk_in_at_another_office_is_404(network, api):
    body = {"office": "KANIM-A", "service": "NEW", "nik": builders.nik_for(78), "name": "X",
            "birth_date": "1990-05-17", "phone": "081299990000"}
    assert api.as_user(network.officer_b).post("/api/v1/walk-ins/", body).status_code == 404
