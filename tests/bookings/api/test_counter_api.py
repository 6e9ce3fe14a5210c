import datetime as dt

from bookings.services import walk_in_insert
from tests.bookings import builders

URL = "/api/v1/bookings/"


def walk_in(network, serial=1):
    return walk_in_insert(actor=network.officer_a, office=network.kanim_a, applicant=builders.applicant(serial),
                          service="NEW", slot_time=dt.time(8, 0))


def test_check_in_through_the_api(network, api):
    booking = walk_in(network)
    response = api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/",
                                                   {"step": "check_in", "qr": booking.qr_payload})
    assert response.status_code == 200 and response.data["status"] == "CHECKED_IN"


def test_transition_not_allowed_is_409(network, api):
    booking = walk_in(network)
    response = api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/", {"step": "approve"})
    assert response.status_code == 409 and response.data["code"] == "transition_not_allowed"


def test_unknown_step_is_400(network, api):
    booking = walk_in(network)
    response = api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/", {"step": "fast_track"})
    assert response.status_code == 400 and "step" in response.data


def test_queue_lists_checked_in_priority_first(network, api):
    from bookings.choices import Channel

    first = walk_in(network, 1)
    elder = walk_in_insert(actor=network.officer_a, office=network.kanim_a, applicant=builders.applicant(2),
                           service="NEW", channel=Channel.PRIORITY, slot_time=dt.time(8, 0))
    client = api.as_user(network.officer_a)
    for booking in (first, elder):
        client.post(f"{URL}{booking.code}/steps/", {"step": "check_in"})
    queue = client.get("/api/v1/queue/", {"office": "KANIM-A"}).data
    assert [b["code"] for b in queue] == [elder.code, first.code]


def test_officer_cannot_override_through_the_api(network, api):
    booking = walk_in(network)
    api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/", {"step": "check_in"})
    response = api.as_user(network.officer_a).post(f"{URL}{booking.code}/override/",
                                                   {"step": "approve", "reason": "x"})
    assert response.status_code == 403


def test_head_overrides_through_the_api(network, api):
    booking = walk_in(network)
    api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/", {"step": "check_in"})
    response = api.as_user(network.head_a).post(f"{URL}{booking.code}/override/",
                                                {"step": "capture_biometrics", "reason": "documents seen at desk"})
    assert response.status_code == 200 and response.data["status"] == "BIOMETRICS_CAPTURED"


def test_step_leaves_an_event(network, api):
    from audit.models import Event

    booking = walk_in(network)
    api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/", {"step": "check_in"})
    event = Event.objects.get(action="CHECK_IN", target_id=booking.ref)
    assert event.actor_id == network.officer_a.staff.nip and event.office_id == network.kanim_a.pk


def test_override_leaves_an_event(network, api):
    from audit.models import Event

    booking = walk_in(network)
    api.as_user(network.officer_a).post(f"{URL}{booking.code}/steps/", {"step": "check_in"})
    api.as_user(network.head_a).post(f"{URL}{booking.code}/override/", {"step": "interview", "reason": "urgent"})
    event = Event.objects.get(action="OVERRIDE", target_id=booking.ref)
    assert event.details["skipped"] == ["verify_documents", "capture_biometrics"]
    assert event.actor_id == network.head_a.staff.nip
