"""Booking on the web: the office and the day, the free slots on sale, the person, and every refusal
of ``booking_create`` shown on the form (and recorded in the trail, as for the API)."""

from __future__ import annotations

import datetime as dt
import re

from audit.models import Event
from bookings.models import Booking, Slot
from bookings.services import capacity_change, day_close
from tests.bookings import builders
from tests.pages.applicant.conftest import booking_post, field_errors, form_alert

URL = "/apply/book/"
SUBMIT = "/apply/book/submit/"


def _offered(html: str) -> list[str]:
    """The times offered as radio choices on the booking form."""
    return re.findall(r'<input type="radio" name="slot" value="(\d\d:\d\d)"', html)


def _problem(html: str) -> str:
    match = re.search(r'<p class="msg msg-warning" id="day-problem">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def test_the_first_step_lists_active_offices_by_province(network, applicant_client):
    html = applicant_client.get(URL).content.decode()
    assert '<optgroup label="Sulawesi Selatan">' in html
    assert '<option value="KANIM-B">Kanim B</option>' in html and '<option value="ULP-A1">ULP A1</option>' in html
    assert 'id="booking-form"' not in html  # no day chosen yet


def test_a_day_on_sale_offers_its_free_slots_only(network, applicant_client, day, django_assert_max_num_queries):
    applicant_client.get(f"{URL}?office=KANIM-A&date={day}")  # the day's slots are made
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, slot_time=dt.time(8, 30),
                    capacity=0, reason="Counter under repair")
    with django_assert_max_num_queries(12):
        response = applicant_client.get(f"{URL}?office=KANIM-A&date={day}")
    html = response.content.decode()
    offered = _offered(html)
    assert offered[:2] == ["08:00", "09:00"] and "08:30" not in offered
    assert len(offered) == Slot.objects.filter(office=network.kanim_a, service_date=day).count() - 1
    assert "1 more slot is full." in html
    assert "Time (WIB)" in html


def test_slots_already_started_today_are_not_offered(network, applicant_client):
    today = network.kanim_a.local_date()
    now = dt.datetime.now(network.kanim_a.zone).time()
    offered = _offered(applicant_client.get(f"{URL}?office=KANIM-A&date={today}").content.decode())
    assert all(dt.time.fromisoformat(time) > now for time in offered)


def test_a_date_not_on_sale_yet_says_when_it_opens_and_makes_no_slots(network, applicant_client):
    later = network.kanim_a.local_date() + dt.timedelta(days=20)
    html = applicant_client.get(f"{URL}?office=KANIM-A&date={later}").content.decode()
    assert _problem(html).startswith(f"Places for {later} go on sale at ")
    assert _offered(html) == [] and not Slot.objects.filter(service_date=later).exists()


def test_a_past_date_and_a_closed_day_say_why_nothing_is_offered(network, applicant_client, day):
    past = network.kanim_a.local_date() - dt.timedelta(days=1)
    html = applicant_client.get(f"{URL}?office=KANIM-A&date={past}").content.decode()
    assert _problem(html) == "That date has passed. Choose today or a later date."
    day_close(actor=network.head_a, office=network.kanim_a, service_date=day, reason="Public holiday")
    html = applicant_client.get(f"{URL}?office=KANIM-A&date={day}").content.decode()
    assert _problem(html) == "The office does not serve on that day. Choose another date."


def test_an_unknown_office_is_named_on_its_field(network, applicant_client, day):
    response = applicant_client.get(f"{URL}?office=KANIM-X&date={day}")
    assert field_errors(response.content.decode(), "day-form") == {"id_office": ["Choose an office from the list."]}


def test_booking_takes_the_place_records_it_and_shows_the_code(network, applicant_client, applicant_user, day):
    device = applicant_client.get(URL).cookies["pp_device"].value
    response = applicant_client.post(SUBMIT, booking_post(network, day), REMOTE_ADDR="10.4.4.4")
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/apply/bookings/{booking.code}/"
    assert (booking.account, booking.office, booking.service_date, booking.slot_time, booking.nik) == (
        applicant_user.applicant_account, network.kanim_a, day, dt.time(8, 0), "3174011705900001")
    assert (booking.ip, booking.device, booking.channel) == ("10.4.4.4", f"web:{device}", "ONLINE")
    assert Slot.objects.get(office=network.kanim_a, service_date=day, starts_at=dt.time(8, 0)).booked == 1
    event = Event.objects.get(action="BOOK")
    assert (event.actor_id, event.target_id, event.ip) == (applicant_user.applicant_account.ref, booking.ref,
                                                           "10.4.4.4")
    assert event.details["device"] == f"web:{device}" and event.details["slot"] == "08:00"
    page = applicant_client.get(response["Location"]).content.decode()
    assert f"Booked. Your booking code is {booking.code}" in page


def test_a_nik_breaking_a_rule_is_named_on_its_field_and_recorded(network, applicant_client, day):
    response = applicant_client.post(SUBMIT, booking_post(network, day, nik="3174011705900"))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "booking-form") == {"id_nik": ["A NIK has exactly 16 digits."]}
    refused = Event.objects.get(action="BOOK_REFUSED")
    assert (refused.details["reason"], refused.details["rule"]) == ("nik_invalid", "length")
    assert not Booking.objects.exists()


def test_a_nik_disagreeing_with_the_birth_date_is_named(network, applicant_client, day):
    response = applicant_client.post(SUBMIT, booking_post(network, day, birth_date="1991-05-17"))
    assert response.status_code == 400
    assert list(field_errors(response.content.decode(), "booking-form")) == ["id_nik"]
    assert Event.objects.get(action="BOOK_REFUSED").details["reason"] == "nik_birth_date_mismatch"


def test_a_nik_already_booked_shows_that_booking_s_code_and_nothing_else(
        network, applicant_client, other_applicant_user, day):
    theirs = builders.booking(other_applicant_user, network.kanim_b, network.kanim_b.local_date()
                              + dt.timedelta(days=3), nik="3174011705900001", name="Budi Lain")
    response = applicant_client.post(SUBMIT, booking_post(network, day))
    assert response.status_code == 409
    html = response.content.decode()
    assert field_errors(html, "booking-form") == {"id_nik": [
        f"This NIK already has an active booking. Its booking code is {theirs.code}."]}
    assert "Budi Lain" not in html and other_applicant_user.email not in html
    assert Event.objects.get(action="BOOK_REFUSED").details["reason"] == "nik_has_active_booking"


def test_a_slot_that_filled_up_is_refused_on_the_time_field(network, applicant_client, day):
    applicant_client.get(f"{URL}?office=KANIM-A&date={day}")
    capacity_change(actor=network.head_a, office=network.kanim_a, service_date=day, slot_time=dt.time(8, 0),
                    capacity=0, reason="Counter under repair")
    response = applicant_client.post(SUBMIT, booking_post(network, day))
    assert response.status_code == 409
    assert field_errors(response.content.decode(), "booking-form") == {
        "id_slot": ["This slot is full. Choose another time or day."]}
    assert Event.objects.get(action="BOOK_REFUSED").details["reason"] == "slot_full"


def test_every_bad_field_the_service_finds_is_named(network, applicant_client, day):
    response = applicant_client.post(SUBMIT, booking_post(network, day, phone="12", email="nope", name=" "))
    assert response.status_code == 400
    assert set(field_errors(response.content.decode(), "booking-form")) == {"id_phone", "id_email", "id_name"}
    assert not Booking.objects.exists()


def test_a_missing_time_is_named_before_anything_is_attempted(network, applicant_client, day):
    response = applicant_client.post(SUBMIT, booking_post(network, day, slot=""))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "booking-form") == {"id_slot": ["Choose a time."]}
    assert not Event.objects.filter(action__startswith="BOOK").exists()


def test_the_rate_limit_answers_429_with_retry_after_and_a_clear_message(network, applicant_client, day,
                                                                          settings):
    settings.BOOKING_RATE_PER_ACCOUNT = 2
    for serial in (1, 2):
        response = applicant_client.post(SUBMIT, booking_post(network, day, nik=builders.nik_for(serial)))
        assert response.status_code == 302
    response = applicant_client.post(SUBMIT, booking_post(network, day, nik=builders.nik_for(3)))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.BOOKING_RATE_WINDOW_SECONDS
    alert = form_alert(response.content.decode(), "booking-form")
    assert alert.startswith("Too many booking attempts; try again later. You may try again in about ")
    refused = Event.objects.get(action="BOOK_REFUSED")
    assert refused.details["reason"] == "rate_limited" and refused.details["scopes"] == ["account"]
    assert Booking.objects.count() == 2


def test_the_account_cap_is_explained_above_the_form(network, applicant_client, day, settings):
    for serial in range(1, settings.BOOKING_ACCOUNT_CAP + 1):
        assert applicant_client.post(SUBMIT, booking_post(
            network, day, nik=builders.nik_for(serial))).status_code == 302
    response = applicant_client.post(SUBMIT, booking_post(network, day, nik=builders.nik_for(99)))
    assert response.status_code == 409
    assert form_alert(response.content.decode(), "booking-form") == (
        f"This account already holds {settings.BOOKING_ACCOUNT_CAP} active bookings, its limit. "
        "Cancel one or wait until one is served.")
