"""The board's counter buttons: each step through the page writes its event, refusals are shown on
the board (never a 500), an office head overrides with a reason, and only those who work at the
office reach them."""

from __future__ import annotations

import datetime as dt
import html as html_text
import re

import pytest
from django.test import Client

from audit.models import Event
from bookings.choices import BookingStatus
from bookings.models import Booking
from tests.pages.conftest import sign_in
from tests.pages.office.conftest import through, walk_in

STEP = "/office/{code}/queue/step/"
OVERRIDE = "/office/{code}/queue/override/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def step(client, booking, name, *, code="KANIM-A", htmx=False, ip="127.0.0.1", **data):
    return client.post(STEP.format(code=code), {"booking": booking.code, "step": name, **data},
                       REMOTE_ADDR=ip, **(HTMX if htmx else {}))


def override(client, booking, name, *, reason="", htmx=False):
    return client.post(OVERRIDE.format(code="KANIM-A"), {"booking": booking.code, "step": name, "reason": reason},
                       **(HTMX if htmx else {}))


def status_of(booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


def refusal(html: str) -> str:
    found = re.search(r'<p class="msg msg-error" role="alert" id="counter-refusal">(.*?)</p>', html, re.S)
    return html_text.unescape(found.group(1).strip()) if found else ""


def actions(html: str, booking) -> str:
    """The counter buttons shown for ``booking``."""
    found = re.search(rf'<div class="counter-actions" data-booking="{booking.code}">(.*?)\n</div>', html, re.S)
    return found.group(1) if found else ""


# --- each step, recorded --------------------------------------------------------------------------

def test_each_step_through_the_page_writes_its_event(network, as_user):
    booking = walk_in(network, 1)
    officer = as_user(network.officer_a)
    path = [("check_in", "CHECK_IN", {}), ("verify_documents", "VERIFY_DOCUMENTS", {}),
            ("capture_biometrics", "CAPTURE_BIOMETRICS", {}), ("interview", "INTERVIEW", {})]
    for name, action, data in path:
        response = step(officer, booking, name, ip="10.1.2.3", **data)
        assert response.status_code == 302 and response["Location"] == "/office/KANIM-A/", name
        event = Event.objects.get(action=action, target_id=booking.ref)
        assert (event.actor_id, event.ip, event.office_id) == (network.officer_a.staff.nip, "10.1.2.3",
                                                              network.kanim_a.pk)
    head = as_user(network.head_a)  # four eyes: the approver neither verified nor interviewed
    for name, action, data in [("approve", "APPROVE", {}), ("print", "PRINT", {}),
                               ("hand_over", "HAND_OVER", {"collected_by": "applicant"})]:
        response = step(head, booking, name, **data)
        assert response.status_code == 302, name
        assert Event.objects.get(action=action, target_id=booking.ref).actor_id == network.head_a.staff.nip
    assert status_of(booking) == BookingStatus.ISSUED
    assert Event.objects.get(action="HAND_OVER").details == {"collected_by": "applicant"}
    html = head.get("/office/KANIM-A/").content.decode()
    assert f"{booking.code}: Hand-over recorded." in html


def test_a_rejection_through_the_page_records_its_reason(network, as_user):
    booking = through(walk_in(network, 2), "check_in", actor=network.officer_a)
    response = step(as_user(network.officer_a), booking, "reject", reason="Forged birth certificate")
    assert response.status_code == 302 and status_of(booking) == BookingStatus.REJECTED
    assert Event.objects.get(action="REJECT", target_id=booking.ref).details == {
        "reason": "Forged birth certificate"}


def test_with_htmx_the_answer_is_the_queue_with_the_outcome(network, as_user):
    booking = walk_in(network, 3)
    response = step(as_user(network.officer_a), booking, "check_in", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="queue"') and "<html" not in html
    assert f"{booking.code}: Check-in recorded." in html
    assert f'<tr data-code="{booking.code}">' in html  # now in the queue, with its next step
    assert 'data-step="verify_documents"' in actions(html, booking)
    assert Event.objects.filter(action="CHECK_IN", target_id=booking.ref).count() == 1


# --- the buttons shown ----------------------------------------------------------------------------

def test_each_booking_shows_its_next_step(network, as_user):
    approved = through(walk_in(network, 6), "check_in", "verify_documents", "capture_biometrics", "interview",
                       actor=network.officer_a)
    approved = through(approved, "approve", actor=network.head_a)
    waiting = through(walk_in(network, 5), "check_in", actor=network.officer_a)
    booked = walk_in(network, 4)
    html = as_user(network.officer_a).get("/office/KANIM-A/").content.decode()
    assert re.findall(r'data-step="(\w+)"', actions(html, booked)) == ["check_in"]
    assert re.findall(r'data-step="(\w+)"', actions(html, waiting)) == ["verify_documents", "reject"]
    assert re.findall(r'data-step="(\w+)"', actions(html, approved)) == ["print"]
    queue = html[html.index('id="serving-order"'):html.index('id="slot-table"')]
    assert f'data-booking="{waiting.code}"' in queue and f'data-booking="{booked.code}"' not in queue
    assert "data-override" not in html  # an officer does not override


def test_an_office_head_is_offered_overrides_up_to_the_decision(network, as_user):
    waiting = through(walk_in(network, 7), "check_in", actor=network.officer_a)
    html = as_user(network.head_a).get("/office/KANIM-A/").content.decode()
    form = re.search(rf'<form[^>]*data-override="{waiting.code}".*?</form>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', form) == [
        "verify_documents", "capture_biometrics", "interview", "approve"]


def test_the_forms_carry_csrf_and_a_post_without_it_is_refused(network):
    booking = walk_in(network, 8)
    client = sign_in(Client(enforce_csrf_checks=True), network.officer_a)
    html = client.get("/office/KANIM-A/").content.decode()
    forms = re.findall(r'<form method="post" action="/office/KANIM-A/queue/[^"]*".*?</form>', html, re.S)
    assert forms and all('name="csrfmiddlewaretoken"' in form for form in forms)
    assert step(client, booking, "check_in").status_code == 403
    assert status_of(booking) == BookingStatus.BOOKED and not Event.objects.filter(action="CHECK_IN").exists()


# --- refusals shown -------------------------------------------------------------------------------

def test_serving_order_is_refused_on_the_board_and_the_head_is_offered_the_override(network, as_user):
    first = through(walk_in(network, 9), "check_in", actor=network.officer_a)
    second = through(walk_in(network, 10), "check_in", actor=network.officer_a)
    response = step(as_user(network.officer_a), second, "verify_documents")
    assert response.status_code == 409
    assert refusal(response.content.decode()).startswith("Serve the applicant at the head of the queue first")
    assert '<div id="queue"' in response.content.decode() and "<html" in response.content.decode()
    assert status_of(second) == BookingStatus.CHECKED_IN and not Event.objects.filter(
        action="VERIFY_DOCUMENTS").exists()

    response = step(as_user(network.head_a), second, "verify_documents", htmx=True)
    html = response.content.decode()
    assert response.status_code == 409 and response["X-Swap-Refusal"] == "true"
    assert refusal(html).startswith("Serve the applicant at the head of the queue first")
    offered = re.search(rf'<details class="counter-more" open>\s*<summary>Override…</summary>\s*'
                        rf'<form[^>]*data-override="{second.code}".*?</form>', html, re.S)
    assert offered and '<option value="verify_documents" selected>' in offered.group(0)
    assert status_of(first) == BookingStatus.CHECKED_IN


def test_four_eyes_is_refused_on_the_board(network, as_user):
    booking = through(walk_in(network, 11), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    response = step(as_user(network.officer_a), booking, "approve", htmx=True)
    assert response.status_code == 409
    assert "four eyes" in refusal(response.content.decode())
    assert status_of(booking) == BookingStatus.INTERVIEWED and not Event.objects.filter(action="APPROVE").exists()


def test_a_step_that_is_not_next_is_refused_on_the_board(network, as_user):
    booking = walk_in(network, 12)
    response = step(as_user(network.officer_a), booking, "interview")
    assert response.status_code == 409
    assert refusal(response.content.decode()) == "A booking that is BOOKED cannot go to interview."


@pytest.mark.parametrize(("name", "data", "message"), [
    ("reject", {"reason": "  "}, "Say why the application is rejected."),
    ("fly", {}, "Step: Select a valid choice. fly is not one of the available choices."),
])
def test_input_the_service_or_form_refuses_is_shown(network, as_user, name, data, message):
    booking = through(walk_in(network, 13), "check_in", actor=network.officer_a)
    response = step(as_user(network.officer_a), booking, name, **data)
    assert response.status_code == 400 and refusal(response.content.decode()) == message
    assert status_of(booking) == BookingStatus.CHECKED_IN


def test_hand_over_to_someone_else_needs_a_valid_nik(network, as_user):
    booking = through(walk_in(network, 14), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.officer_a)
    booking = through(booking, "approve", "print", actor=network.head_a)
    response = step(as_user(network.officer_a), booking, "hand_over", collected_by="my cousin")
    assert response.status_code == 400
    assert refusal(response.content.decode()) == "Say 'applicant', or give the NIK of who collects it."
    assert status_of(booking) == BookingStatus.PRINTED


# --- the override ---------------------------------------------------------------------------------

def test_the_head_overrides_four_eyes_with_a_reason(network, as_user):
    booking = through(walk_in(network, 15), "check_in", "verify_documents", "capture_biometrics", "interview",
                      actor=network.head_a)
    client = as_user(network.head_a)
    response = override(client, booking, "approve", reason="Only officer on duty", htmx=True)
    assert response.status_code == 200 and f"{booking.code}: Approval recorded by override." in \
        response.content.decode()
    event = Event.objects.get(action="OVERRIDE", target_id=booking.ref)
    assert event.details == {"step": "approve", "skipped": ["four_eyes"], "reason": "Only officer on duty",
                             "from": "INTERVIEWED"}
    assert Event.objects.get(action="APPROVE", target_id=booking.ref).details == {"override": True}
    assert status_of(booking) == BookingStatus.APPROVED


def test_an_override_without_a_reason_is_refused_and_the_form_stays_open(network, as_user):
    booking = through(walk_in(network, 16), "check_in", actor=network.officer_a)
    response = override(as_user(network.head_a), booking, "interview", htmx=True)
    html = response.content.decode()
    assert response.status_code == 400 and refusal(html) == "Say why the rule is set aside."
    assert re.search(rf'<details class="counter-more" open>\s*<summary>Override…</summary>\s*'
                     rf'<form[^>]*data-override="{booking.code}"', html)
    assert not Event.objects.filter(action="OVERRIDE").exists()


def test_an_officer_may_not_override(network, as_user):
    booking = through(walk_in(network, 17), "check_in", actor=network.officer_a)
    response = override(as_user(network.officer_a), booking, "interview", reason="Hurry")
    assert response.status_code == 403
    assert refusal(response.content.decode()) == "You may not do this at this office."
    assert status_of(booking) == BookingStatus.CHECKED_IN and not Event.objects.filter(action="OVERRIDE").exists()


# --- who reaches the buttons ----------------------------------------------------------------------

@pytest.mark.parametrize(("who", "answer"), [
    ("officer_a", 302), ("head_a", 302), ("admin", 302),
    ("officer_b", 404), ("head_b", 404), ("supervisor", 404), ("auditor", 404),
])
def test_only_those_who_operate_at_the_office_take_a_step(network, as_user, who, answer):
    booking = walk_in(network, 18)
    assert step(as_user(getattr(network, who)), booking, "check_in").status_code == answer
    assert status_of(booking) == (BookingStatus.CHECKED_IN if answer == 302 else BookingStatus.BOOKED)
    assert Event.objects.filter(action="CHECK_IN").exists() is (answer == 302)


@pytest.mark.parametrize(("who", "answer"), [
    ("head_a", 200), ("admin", 200), ("officer_a", 403),
    ("officer_b", 404), ("head_b", 404), ("supervisor", 404), ("auditor", 404),
])
def test_only_the_office_head_overrides_and_others_are_refused_as_the_policy_says(network, as_user, who,
                                                                                   answer):
    booking = through(walk_in(network, 19), "check_in", actor=network.officer_a)
    response = override(as_user(getattr(network, who)), booking, "interview", reason="Urgent travel", htmx=True)
    assert response.status_code == answer
    assert Event.objects.filter(action="OVERRIDE").exists() is (answer == 200)


def test_a_head_takes_steps_at_a_unit_of_the_kanim_but_its_officer_does_not(network, as_user):
    booking = walk_in(network, 20, office=network.unit_a, actor=network.head_a)
    assert step(as_user(network.officer_a), booking, "check_in", code="ULP-A1").status_code == 404
    assert step(as_user(network.head_a), booking, "check_in", code="ULP-A1").status_code == 302
    assert status_of(booking) == BookingStatus.CHECKED_IN


def test_a_booking_of_another_office_is_404_from_this_office_s_board(network, as_user):
    booking = walk_in(network, 21, office=network.kanim_b, actor=network.officer_b)
    assert step(as_user(network.admin), booking, "check_in", code="KANIM-A").status_code == 404
    assert step(as_user(network.admin), booking, "check_in", code="KANIM-A", htmx=True).status_code == 404
    assert status_of(booking) == BookingStatus.BOOKED


def test_the_steps_answer_only_posts(network, as_user):
    client = as_user(network.officer_a)
    assert client.get(STEP.format(code="KANIM-A")).status_code == 405
    assert client.get(OVERRIDE.format(code="KANIM-A")).status_code == 405


# --- cost -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["officer_a", "head_a"])
def test_the_queue_with_its_buttons_costs_the_same_queries_for_more_bookings(network, as_user, who,
                                                                            django_assert_max_num_queries):
    client = as_user(getattr(network, who))
    through(walk_in(network, 30), "check_in", actor=network.officer_a)
    client.get("/office/KANIM-A/queue/", **HTMX)
    with django_assert_max_num_queries(16) as few:
        assert client.get("/office/KANIM-A/queue/", **HTMX).status_code == 200
    baseline = len(few.captured_queries)  # read now: the next request resets the log
    afternoon = [dt.time(10 + i // 2, 30 * (i % 2)) for i in range(12)]  # 10:00 … 15:30
    for serial in range(31, 45):
        booking = walk_in(network, serial, slot_time=afternoon[serial % 12])
        if serial % 2:
            through(booking, "check_in", actor=network.officer_a)
    with django_assert_max_num_queries(baseline):
        html = client.get("/office/KANIM-A/queue/", **HTMX).content.decode()
    assert html.count('class="counter-actions"') == 15
