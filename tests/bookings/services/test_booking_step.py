"""The counter path through the services: order, four eyes, overrides, and the trail."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import Event
from bookings.choices import BookingStatus, Channel
from bookings.errors import Conflict
from bookings.services import booking_override, booking_step, walk_in_insert
from offices.choices import Role
from offices.errors import NotAllowed
from tests import builders as base
from tests.bookings import builders


@pytest.fixture
def second_officer(network):
    return base.staff_user(Role.OFFICER, network.kanim_a)


def walk_in(network, serial, channel=Channel.WALK_IN):
    return walk_in_insert(actor=network.officer_a, office=network.kanim_a, applicant=builders.applicant(serial),
                          service="NEW", channel=channel, slot_time=dt.time(8, 0))


def through(booking, *steps, actor):
    for step in steps:
        booking = booking_step(actor=actor, booking=booking, step=step)
    return booking


def test_full_path_keeps_every_officer_and_time(network, second_officer):
    booking = walk_in(network, 1)
    booking = through(booking, "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    booking = through(booking, "approve", "print", actor=second_officer)
    booking = booking_step(actor=second_officer, booking=booking, step="hand_over", collected_by="applicant")
    assert booking.status == BookingStatus.ISSUED and booking.collected_by == "applicant"
    assert booking.verified_by == network.officer_a.staff and booking.approved_by == second_officer.staff
    actions = list(Event.objects.filter(target_id=booking.ref).order_by("id").values_list("action", flat=True))
    assert actions == ["WALK_IN_INSERT", "CHECK_IN", "VERIFY_DOCUMENTS", "CAPTURE_BIOMETRICS", "INTERVIEW",
                       "APPROVE", "PRINT", "HAND_OVER"]


def test_step_out_of_order_is_409(network):
    booking = through(walk_in(network, 2), "check_in", actor=network.officer_a)
    with pytest.raises(Conflict) as exc:
        booking_step(actor=network.officer_a, booking=booking, step="interview")
    assert exc.value.code == "transition_not_allowed"


def test_same_step_twice_is_409(network):
    booking = through(walk_in(network, 3), "check_in", actor=network.officer_a)
    with pytest.raises(Conflict):
        booking_step(actor=network.officer_a, booking=booking, step="check_in")


def test_approver_cannot_be_the_verifier(network):
    booking = through(walk_in(network, 4), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    with pytest.raises(Conflict) as exc:
        booking_step(actor=network.officer_a, booking=booking, step="approve")
    assert exc.value.code == "four_eyes"


def test_priority_is_served_first(network):
    first = through(walk_in(network, 5), "check_in", actor=network.officer_a)
    elder = through(walk_in(network, 6, Channel.PRIORITY), "check_in", actor=network.officer_a)
    with pytest.raises(Conflict) as exc:
        booking_step(actor=network.officer_a, booking=first, step="verify_documents")
    assert exc.value.code == "out_of_order"
    assert booking_step(actor=network.officer_a, booking=elder, step="verify_documents").status == "DOCUMENTS_VERIFIED"


def test_earlier_check_in_is_served_first(network):
    first = through(walk_in(network, 7), "check_in", actor=network.officer_a)
    second = through(walk_in(network, 8), "check_in", actor=network.officer_a)
    with pytest.raises(Conflict):
        booking_step(actor=network.officer_a, booking=second, step="verify_documents")
    assert booking_step(actor=network.officer_a, booking=first, step="verify_documents").verified_by_id


def test_reject_needs_a_reason_and_records_it(network):
    booking = through(walk_in(network, 9), "check_in", actor=network.officer_a)
    with pytest.raises(ValidationError):
        booking_step(actor=network.officer_a, booking=booking, step="reject")
    booking = booking_step(actor=network.officer_a, booking=booking, step="reject", reason="forged KK")
    assert booking.status == BookingStatus.REJECTED
    assert Event.objects.get(action="REJECT").details == {"reason": "forged KK"}


def test_hand_over_to_someone_else_needs_their_nik(network, second_officer):
    booking = through(walk_in(network, 10), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    booking = through(booking, "approve", "print", actor=second_officer)
    with pytest.raises(ValidationError):
        booking_step(actor=second_officer, booking=booking, step="hand_over", collected_by="my cousin")
    collector = builders.nik_for(555)
    booking_step(actor=second_officer, booking=booking, step="hand_over", collected_by=collector)
    assert Event.objects.get(action="HAND_OVER").details == {"collected_by": collector}


def test_check_in_only_on_the_booked_day(network, applicant_user, day):
    booking = builders.booking(applicant_user, network.kanim_a, day)
    with pytest.raises(Conflict) as exc:
        booking_step(actor=network.officer_a, booking=booking, step="check_in")
    assert exc.value.code == "not_today"


def test_check_in_with_another_bookings_qr_is_refused(network):
    booking = walk_in(network, 11)
    other = walk_in(network, 12)
    with pytest.raises(ValidationError):
        booking_step(actor=network.officer_a, booking=booking, step="check_in", qr_payload=other.qr_payload)
    assert booking_step(actor=network.officer_a, booking=booking, step="check_in",
                        qr_payload=booking.qr_payload).status == "CHECKED_IN"


def test_officer_of_another_office_cannot_step(network):
    booking = walk_in(network, 13)
    with pytest.raises(NotAllowed):
        booking_step(actor=network.officer_b, booking=booking, step="check_in")


def test_issued_booking_frees_the_accounts_place(network, applicant_user, second_officer, settings):
    today = network.kanim_a.local_date()
    booking = builders.booking(applicant_user, network.kanim_a, today + dt.timedelta(days=1))
    from bookings.models import Booking

    Booking.objects.filter(pk=booking.pk).update(service_date=today)  # as if the day had come
    booking.refresh_from_db()
    booking = through(booking, "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    booking = through(booking, "approve", "print", actor=second_officer)
    booking_step(actor=second_officer, booking=booking, step="hand_over", collected_by="applicant")
    assert builders.account_of(applicant_user).active_bookings == 0


def test_head_overrides_a_skipped_interview_and_the_trail_says_so(network):
    booking = through(walk_in(network, 14), "check_in", "verify_documents", "capture_biometrics",
                      actor=network.officer_a)
    booking = booking_override(actor=network.head_a, booking=booking, step="approve",
                               reason="interview done by phone")
    override = Event.objects.get(action="OVERRIDE")
    assert booking.status == BookingStatus.APPROVED
    assert override.details["skipped"] == ["interview"] and override.details["reason"] == "interview done by phone"
    assert Event.objects.get(action="APPROVE").details == {"override": True}


def test_head_overrides_four_eyes(network):
    booking = through(walk_in(network, 15), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.head_a)
    booking_override(actor=network.head_a, booking=booking, step="approve", reason="only one officer today")
    assert Event.objects.get(action="OVERRIDE").details["skipped"] == ["four_eyes"]


def test_officer_cannot_override(network):
    booking = through(walk_in(network, 16), "check_in", actor=network.officer_a)
    with pytest.raises(NotAllowed):
        booking_override(actor=network.officer_a, booking=booking, step="approve", reason="broker pays")


def test_override_needs_a_reason(network):
    booking = through(walk_in(network, 17), "check_in", actor=network.officer_a)
    with pytest.raises(ValidationError):
        booking_override(actor=network.head_a, booking=booking, step="approve", reason="")


def test_override_cannot_go_back(network, second_officer):
    booking = through(walk_in(network, 18), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    booking = through(booking, "approve", "print", actor=second_officer)
    with pytest.raises(Conflict):
        booking_override(actor=network.head_a, booking=booking, step="interview", reason="again")


def test_override_of_a_step_with_nothing_to_set_aside_is_refused(network):
    booking = through(walk_in(network, 19), "check_in", "verify_documents", actor=network.officer_a)
    with pytest.raises(ValidationError):
        booking_override(actor=network.head_a, booking=booking, step="capture_biometrics", reason="speed")
    assert not Event.objects.filter(action="OVERRIDE").exists()


def test_head_overrides_the_serving_order(network):
    through(walk_in(network, 20), "check_in", actor=network.officer_a)
    second = through(walk_in(network, 21), "check_in", actor=network.officer_a)
    booking_override(actor=network.head_a, booking=second, step="verify_documents", reason="interpreter here now")
    assert Event.objects.get(action="OVERRIDE").details["skipped"] == ["serving_order"]
